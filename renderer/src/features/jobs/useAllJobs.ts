import { useEffect, useMemo, useReducer, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { JobInfo } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useEngineScopes } from '../../api/engineScope';
import { queryKeys } from '../../app/queryKeys';
import { trackJobs, type JobsById } from './jobTracker';
import { mergeJobs, type JobRow } from './jobRows';

const EMPTY: JobsById = {};

/**
 * Every job of the session, newest first: a `jobs.list` snapshot (fetched on mount, so a reloaded page still
 * lists jobs started before) merged with live `job.progress` / `job.end` events. jobs.list answers the jobs of every
 * engine, so this is cached outside any one engine's client and does not change when the user switches engines.
 */
export function useAllJobs(): readonly JobRow[] {
  const scopes = useEngineScopes();
  const strata = scopes.raw;
  const queryClient = scopes.global;
  const [tracked, dispatch] = useReducer(trackJobs, EMPTY);
  const known = useRef(new Set<string>());
  const key = queryKeys.jobs('all');

  const snapshot = useQuery(
    {
      queryKey: key,
      queryFn: async () => unwrap(await strata.jobs.list({})),
    },
    queryClient,
  );

  useEffect(
    () =>
      strata.events.subscribe((event) => {
        if (event.type !== 'job.progress' && event.type !== 'job.end') return;
        dispatch({ type: 'event', event });
        // A job started elsewhere (another dialog, another window): fetch its kind, title and start time once.
        if (event.type === 'job.progress' && !known.current.has(event.jobId)) {
          known.current.add(event.jobId);
          void queryClient.invalidateQueries({ queryKey: queryKeys.jobs('all') });
        }
      }),
    [strata, queryClient],
  );

  const data: readonly JobInfo[] | undefined = snapshot.data;
  useEffect(() => {
    if (data === undefined) return;
    for (const job of data) known.current.add(job.id);
    dispatch({ type: 'snapshot', jobs: data });
  }, [data]);

  return useMemo(() => mergeJobs(data ?? [], tracked), [data, tracked]);
}
