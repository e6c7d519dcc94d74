import { useEffect, useReducer } from 'react';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { trackJobs, type JobsById, type TrackedJob } from './jobTracker';

const EMPTY: JobsById = {};

/**
 * Follows job events while the caller is mounted (subscribed before any job is started, so no
 * event is missed), and catches up with `jobs.list` once for each job id it is asked about.
 */
export function useJobTracker(jobId: string | undefined): TrackedJob | undefined {
  const strata = useStrata();
  const [jobs, dispatch] = useReducer(trackJobs, EMPTY);

  useEffect(
    () =>
      strata.events.subscribe((event) => {
        if (event.type === 'job.progress' || event.type === 'job.end') dispatch({ type: 'event', event });
      }),
    [strata],
  );

  useEffect(() => {
    if (jobId === undefined) return undefined;
    let live = true;
    strata.jobs
      .list({})
      .then((outcome) => {
        if (live) dispatch({ type: 'snapshot', jobs: unwrap(outcome) });
      })
      .catch(() => {
        // Catching up is best effort: live events still arrive.
      });
    return () => {
      live = false;
    };
  }, [strata, jobId]);

  return jobId === undefined ? undefined : jobs[jobId];
}
