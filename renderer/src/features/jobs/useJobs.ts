/** Reading the job store: one job by id, or every job as rows for the Jobs drawer. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useRawStrata } from '../../api/engineScope';
import { jobStoreOf, type JobStore } from './jobStore';
import type { JobsById, TrackedJob } from './jobTracker';
import { jobRows, type JobRow } from './jobRows';

function useJobStore(): JobStore {
  return jobStoreOf(useRawStrata());
}

/**
 * One job, followed live. The store listens while the caller is mounted (before any job is started, so no event is
 * missed) and takes its `jobs.list` snapshot once a job is asked about (a dialog reopened on a running job).
 */
export function useJob(jobId: string | undefined): TrackedJob | undefined {
  const store = useJobStore();
  // Follows the whole store and picks in render: a selector closing over `jobId` could miss an event that arrives
  // between the render that set the id and React taking up the new selector.
  const jobs: JobsById = useSyncExternalStore(store.subscribe, store.getJobs);
  useEffect(() => {
    if (jobId !== undefined) store.load();
  }, [store, jobId]);
  return jobId === undefined ? undefined : jobs[jobId];
}

/**
 * Every job of the session, newest first: the `jobs.list` snapshot (so a reloaded page still lists jobs started
 * before) kept up to date by the events. jobs.list answers the jobs of every engine, so this does not change when the
 * user switches engines. `describe`: also ask jobs.list what the jobs seen only from events are (the drawer shows
 * their kind and title; the header button needs only their state).
 */
export function useJobs(options: { readonly describe?: boolean } = {}): readonly JobRow[] {
  const store = useJobStore();
  const tracked: JobsById = useSyncExternalStore(store.subscribe, store.getJobs);
  const describe = options.describe === true;
  useEffect(() => {
    store.load();
  }, [store]);
  useEffect(() => {
    if (describe) store.describeUnknown();
  }, [store, describe, tracked]);
  return useMemo(() => jobRows(tracked), [tracked]);
}
