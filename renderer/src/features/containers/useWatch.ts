/**
 * Runs one log or stats watch for as long as a component wants it: starts it, hands on its `watch.*` events, renews
 * it every 10 s (the service drops a watch nobody renews for 30 s), and stops it on unmount or when its arguments
 * change. Events that arrive before the start call answers are held and replayed once the watch ID is known.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Outcome, StrataEvent } from '../../../../shared/api';
import type { ErrorShape } from '../../../../shared/errors';
import { useStrata } from '../../api/StrataContext';

export type WatchEvent = Extract<StrataEvent, { readonly type: 'watch.logs' | 'watch.stats' }>;
type AnyWatchEvent = Extract<StrataEvent, { readonly watchId: string }>;

export const WATCH_RENEW_MS = 10_000;
const EARLY_LIMIT = 2000;

export type WatchState =
  | { readonly status: 'idle' }
  | { readonly status: 'starting' }
  | { readonly status: 'running'; readonly watchId: string }
  /** The stream ended (`error` null: it simply finished, e.g. the container exited) or was refused. */
  | { readonly status: 'ended'; readonly error: ErrorShape | null };

export interface UseWatchResult {
  readonly state: WatchState;
  /** Starts the watch again (after it ended, or to reload). */
  readonly restart: () => void;
}

const isWatchEvent = (event: StrataEvent): event is AnyWatchEvent =>
  event.type === 'watch.logs' || event.type === 'watch.stats' || event.type === 'watch.end';

/**
 * `start` opens the watch (undefined: no watch, e.g. a stopped container's stats); `key` names its arguments — a new
 * key stops the old watch and starts a new one. `onEvent` receives this watch's data events (not `watch.end`).
 */
export function useWatch(
  start: (() => Promise<Outcome<{ readonly watchId: string }>>) | undefined,
  key: string,
  onEvent: (event: WatchEvent) => void,
): UseWatchResult {
  const strata = useStrata();
  const [state, setState] = useState<WatchState>(start === undefined ? { status: 'idle' } : { status: 'starting' });
  const [generation, setGeneration] = useState(0);
  const startRef = useRef(start);
  const onEventRef = useRef(onEvent);
  useEffect(() => {
    startRef.current = start;
    onEventRef.current = onEvent;
  });
  const enabled = start !== undefined;

  useEffect(() => {
    const open = startRef.current;
    if (!enabled || open === undefined) {
      setState({ status: 'idle' });
      return undefined;
    }
    let disposed = false;
    let watchId: string | undefined;
    let ended = false;
    const early: AnyWatchEvent[] = [];
    let renewTimer: ReturnType<typeof setInterval> | undefined;

    const finish = (error: ErrorShape | null): void => {
      ended = true;
      if (renewTimer !== undefined) clearInterval(renewTimer);
      renewTimer = undefined;
      if (!disposed) setState({ status: 'ended', error });
    };

    const handle = (event: AnyWatchEvent): void => {
      if (ended || disposed) return;
      if (event.type === 'watch.end') finish(event.error);
      else onEventRef.current(event);
    };

    const unsubscribe = strata.events.subscribe((event) => {
      if (!isWatchEvent(event)) return;
      if (watchId === undefined) {
        // Held only while the start call is on its way; bounded in case other watches are busy meanwhile.
        if (early.length < EARLY_LIMIT) early.push(event);
      } else if (event.watchId === watchId) handle(event);
    });

    const stop = (id: string): void => {
      void strata.watches.stop({ watchId: id }).catch(() => undefined);
    };

    setState({ status: 'starting' });
    open().then(
      (outcome) => {
        if (!outcome.ok) {
          finish(outcome.error);
          return;
        }
        const id = outcome.value.watchId;
        if (disposed) {
          stop(id);
          return;
        }
        watchId = id;
        setState({ status: 'running', watchId: id });
        for (const event of early.splice(0)) if (event.watchId === id) handle(event);
        if (ended) return;
        renewTimer = setInterval(() => {
          void strata.watches.renew({ watchIds: [id] }).then(
            (answer) => {
              if (answer.ok && !answer.value.alive.includes(id)) finish(null);
            },
            () => undefined,
          );
        }, WATCH_RENEW_MS);
      },
      (caught: unknown) =>
        finish({ code: 'internal', message: caught instanceof Error ? caught.message : String(caught) }),
    );

    return () => {
      disposed = true;
      unsubscribe();
      if (renewTimer !== undefined) clearInterval(renewTimer);
      if (watchId !== undefined && !ended) stop(watchId);
    };
  }, [strata, enabled, key, generation]);

  const restart = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, restart };
}
