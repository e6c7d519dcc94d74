/** react-query hooks for engine data, and the one subscription that keeps them fresh. */
import { useEffect } from 'react';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { EngineEvent, EngineStatus, StrataEvent } from '../../../shared/api';
import { useEngineScopes } from '../api/engineScope';
import { keysAffectedByAll, type AffectedKey } from './affectedKeys';
import { unwrap } from '../api/client';
import { useStrata } from '../api/StrataContext';
import { ENGINE_ID, queryKeys } from './queryKeys';

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

export function useVolumes() {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.volumes(),
    queryFn: async () => unwrap(await strata.volumes.list({})),
    enabled: connected,
  });
}

/** `docker system df -v`: slow on engines with many images, so views show the fast lists first. */
export function useDiskUsage() {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.disk(),
    queryFn: async () => unwrap(await strata.disk.usage({})),
    enabled: connected,
  });
}

/** containers.list with writable-layer sizes: slow on the engine, so fetched only once `enabled` (on demand). */
export function useContainersSized(enabled: boolean) {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.containersSized(),
    queryFn: async () => unwrap(await strata.containers.list({ all: true, size: true })),
    enabled: connected && enabled,
  });
}

/** How many engine events the event log keeps in the cache (the service keeps as many). */
export const EVENT_LOG_LIMIT = 5000;

/** The event log: the events the service has seen this session (oldest first), then live batches appended. */
export function useEngineEvents() {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.events(),
    queryFn: async () => unwrap(await strata.events.list({ limit: EVENT_LOG_LIMIT })),
    enabled: connected,
  });
}

const eventKey = (e: EngineEvent): string => `${e.time}|${e.type}|${e.action}|${e.id}`;

/** `log` with `batch` appended (skipping events it already has), keeping the newest `limit`. */
export function appendEvents(
  log: readonly EngineEvent[],
  batch: readonly EngineEvent[],
  limit: number = EVENT_LOG_LIMIT,
): EngineEvent[] {
  if (batch.length === 0) return [...log];
  const oldest = Math.min(...batch.map((e) => e.time));
  // Only the tail can overlap: a list fetched while the batch was on its way holds some of it already.
  const known = new Set<string>();
  for (let i = log.length - 1; i >= 0 && log[i]!.time >= oldest; i--) known.add(eventKey(log[i]!));
  const fresh = batch.filter((e) => !known.has(eventKey(e)));
  const next = [...log, ...fresh];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** Collects keys to invalidate and invalidates their union once the events stop for `delayMs`. */
export interface KeyInvalidator {
  readonly add: (keys: readonly AffectedKey[]) => void;
  readonly dispose: () => void;
}

export function createDebouncedInvalidator(queryClient: QueryClient, delayMs = 150): KeyInvalidator {
  const pending = new Map<string, AffectedKey>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    timer = undefined;
    const keys = [...pending.values()];
    pending.clear();
    for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
  };
  return {
    add: (keys) => {
      if (keys.length === 0) return;
      for (const key of keys) pending.set(JSON.stringify(key), key);
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, delayMs);
    },
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
  };
}

const immediate = (queryClient: QueryClient): KeyInvalidator => ({
  add: (keys) => {
    for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
  },
  dispose: () => undefined,
});

const isStatusKey = (key: readonly unknown[]): boolean => key[0] === 'engine' && key[2] === 'status';

/** After the engine comes back: refetch every engine query except the status we just learnt. */
export function refreshAfterReconnect(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (query) => !isStatusKey(query.queryKey) });
}

/**
 * Applies one pushed event to the query cache. Engine events are appended to the event log at once and the queries
 * they affect handed to `invalidator` (debounced by useStrataEvents; at once when none is given).
 * `keyEngineId` is the engine id the cache's keys carry: each engine has its own client, in which the views key their
 * data with the default id (the client is the partition), so useStrataEvents passes ENGINE_ID; by default the keys
 * carry the event's own engine.
 */
export function applyEventToCache(
  queryClient: QueryClient,
  event: StrataEvent,
  invalidator: KeyInvalidator = immediate(queryClient),
  keyEngineId?: string,
): void {
  switch (event.type) {
    case 'job.end': {
      const id = keyEngineId ?? event.job.engineId;
      // Every job kind can change the image list (a failed load may still have loaded some images).
      void queryClient.invalidateQueries({ queryKey: ['images'] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.engineInfo(id) });
      if (event.job.kind === 'prune' || event.job.kind === 'export') {
        void queryClient.invalidateQueries({ queryKey: queryKeys.containers(id) });
      }
      if (event.job.kind === 'cleanup') {
        for (const queryKey of [queryKeys.containers(id), queryKeys.volumes(id), queryKeys.disk(id)]) {
          void queryClient.invalidateQueries({ queryKey });
        }
      }
      return;
    }
    case 'engine.status': {
      const key = queryKeys.engineStatus(keyEngineId ?? event.status.engineId);
      const previous = queryClient.getQueryData<EngineStatus>(key);
      queryClient.setQueryData(key, event.status);
      if (event.status.state === 'connected' && previous?.state !== 'connected') {
        void refreshAfterReconnect(queryClient);
      }
      return;
    }
    case 'engine.events': {
      if (event.events.length === 0) return;
      queryClient.setQueryData<EngineEvent[]>(queryKeys.events(keyEngineId ?? event.engineId), (log) =>
        // Before the log was first fetched there is nothing to append to: the fetch will include these.
        log === undefined ? undefined : appendEvents(log, event.events),
      );
      const affected =
        keyEngineId === undefined ? event.events : event.events.map((e) => ({ ...e, engineId: keyEngineId }));
      invalidator.add(keysAffectedByAll(affected));
      return;
    }
    case 'job.progress':
      return;
  }
}

/** The engine a pushed event is about; undefined for events the hooks consume themselves (job progress, watches). */
export function engineOfEvent(event: StrataEvent): string | undefined {
  switch (event.type) {
    case 'engine.status':
      return event.status.engineId;
    case 'engine.events':
      return event.engineId;
    case 'job.end':
      return event.job.engineId;
    default:
      return undefined;
  }
}

/**
 * Subscribes once to the service's events for the life of the app, and applies each to the cache of the engine it
 * is about (an engine without a cache yet fetches fresh data when first shown).
 */
export function useStrataEvents(): void {
  const scopes = useEngineScopes();
  useEffect(() => {
    const invalidators = new Map<QueryClient, KeyInvalidator>();
    const unsubscribe = scopes.raw.events.subscribe((event) => {
      const engineId = engineOfEvent(event);
      if (engineId === undefined) return;
      const client = scopes.knownClients().get(engineId);
      if (client === undefined) return;
      let invalidator = invalidators.get(client);
      if (invalidator === undefined) {
        invalidator = createDebouncedInvalidator(client);
        invalidators.set(client, invalidator);
      }
      applyEventToCache(client, event, invalidator, ENGINE_ID);
    });
    return () => {
      unsubscribe();
      for (const invalidator of invalidators.values()) invalidator.dispose();
    };
  }, [scopes]);
}

/** Every engine Strata talks to (engines.list), shared by the title bar and the Engine view. */
export function useEngines() {
  const scopes = useEngineScopes();
  return useQuery(
    {
      queryKey: ['engines', 'list'] as const,
      queryFn: async () => unwrap(await scopes.raw.engines.list({})),
    },
    scopes.global,
  );
}

/** Engines found on this machine (docker contexts, Podman, the default socket), offered to add. */
export function useEngineCandidates() {
  const scopes = useEngineScopes();
  return useQuery(
    {
      queryKey: ['engines', 'discover'] as const,
      queryFn: async () => unwrap(await scopes.raw.engines.discover({})),
    },
    scopes.global,
  );
}
