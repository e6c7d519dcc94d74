/** react-query hooks for engine data, and the one subscription that keeps them fresh. */
import { useEffect } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { EngineStatus, StrataEvent } from '../../../shared/api';
import { unwrap } from '../api/client';
import { useStrata } from '../api/StrataContext';
import { queryKeys } from './queryKeys';

export function useEngineStatus() {
  const strata = useStrata();
  return useQuery({
    queryKey: queryKeys.engineStatus(),
    queryFn: async () => unwrap(await strata.engine.ping({})),
    // The service learns about reachability from calls only; a user coming back to the window
    // gets a fresh check (one ping on focus; there is no polling).
    refetchOnWindowFocus: true,
  });
}

/** True once the engine answered; engine queries wait for it instead of spinning. */
export function useEngineConnected(): boolean {
  return useEngineStatus().data?.state === 'connected';
}

export function useEngineInfo() {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.engineInfo(),
    queryFn: async () => unwrap(await strata.engine.info({})),
    enabled: connected,
  });
}

export function useImages() {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.images(),
    queryFn: async () => unwrap(await strata.images.list({})),
    enabled: connected,
  });
}

export function useContainers() {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.containers(),
    queryFn: async () => unwrap(await strata.containers.list({ all: true })),
    enabled: connected,
  });
}

const isStatusKey = (key: readonly unknown[]): boolean => key[0] === 'engine' && key[2] === 'status';

/** After the engine comes back: refetch every engine query except the status we just learnt. */
export function refreshAfterReconnect(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (query) => !isStatusKey(query.queryKey) });
}

/** Applies one pushed event to the query cache. */
export function applyEventToCache(queryClient: QueryClient, event: StrataEvent): void {
  switch (event.type) {
    case 'job.end':
      // Every job kind can change the image list (a failed load may still have loaded some images).
      void queryClient.invalidateQueries({ queryKey: ['images'] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.engineInfo(event.job.engineId) });
      if (event.job.kind === 'prune' || event.job.kind === 'export') {
        void queryClient.invalidateQueries({ queryKey: queryKeys.containers(event.job.engineId) });
      }
      return;
    case 'engine.status': {
      const key = queryKeys.engineStatus(event.status.engineId);
      const previous = queryClient.getQueryData<EngineStatus>(key);
      queryClient.setQueryData(key, event.status);
      if (event.status.state === 'connected' && previous?.state !== 'connected') {
        void refreshAfterReconnect(queryClient);
      }
      return;
    }
    case 'job.progress':
      return;
  }
}

/** Subscribes once to the service's events for the life of the app. */
export function useStrataEvents(): void {
  const strata = useStrata();
  const queryClient = useQueryClient();
  useEffect(() => strata.events.subscribe((event) => applyEventToCache(queryClient, event)), [strata, queryClient]);
}
