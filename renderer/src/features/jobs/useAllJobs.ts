import { useEffect, useMemo, useReducer, useRef } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { JobInfo } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { ENGINE_ID, queryKeys } from '../../app/queryKeys';
import { trackJobs, type JobsById } from './jobTracker';
import { mergeJobs, type JobRow } from './jobRows';

const EMPTY: JobsById = {};

/**
 * Every job of the session, newest first: a `jobs.list` snapshot (fetched on mount, so a reloaded page still
 * lists jobs started before) merged with live `job.progress` / `job.end` events.
 */
export function useAllJobs(engineId: string = ENGINE_ID): readonly JobRow[] {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const [tracked, dispatch] = useReducer(trackJobs, EMPTY);
  const known = useRef(new Set<string>());
  const key = queryKeys.jobs(engineId);

  const snapshot = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await strata.jobs.list({})),
  });

  useEffect(
    () =>
      strata.events.subscribe((event) => {
        if (event.type !== 'job.progress' && event.type !== 'job.end') return;
        dispatch({ type: 'event', event });
        // A job started elsewhere (another dialog, another window): fetch its kind, title and start time once.
        if (event.type === 'job.progress' && !known.current.has(event.jobId)) {
          known.current.add(event.jobId);
          void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(engineId) });
        }
      }),
    [strata, queryClient, engineId],
  );

  const data: readonly JobInfo[] | undefined = snapshot.data;
  useEffect(() => {
    if (data === undefined) return;
    for (const job of data) known.current.add(job.id);
    dispatch({ type: 'snapshot', jobs: data });
  }, [data]);

  return useMemo(() => mergeJobs(data ?? [], tracked), [data, tracked]);
}
