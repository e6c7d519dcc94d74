/**
 * Live container streams: logs and stats. Each watch streams `watch.*` events until it is stopped, its stream ends,
 * or it is not renewed for 30 s (so a closed window or a reloaded page leaks no engine stream).
 *
 * A watch holds the open engine response; stopping it (watches.stop, expiry, service close) destroys that stream.
 * When the stream ends by itself, `watch.end` says why: error null when the container exited and its log ended,
 * not_found when the container was removed, engine_unreachable when the engine went away.
 */
import { randomBytes } from 'node:crypto';
import type { StrataEvent } from '../../../shared/api';
import { StrataError, toErrorShape, type ErrorShape } from '../../../shared/errors';
import type { EngineContext, HandlerSlice } from '../host/context';
import { inspectContainer, openLogs, type OpenedWatch } from './logs';
import { openStats } from './stats';
import type { ContainerInspect } from '../core/answers';

type Methods = 'containers.logsWatch' | 'containers.statsWatch' | 'watches.renew' | 'watches.stop';

export type WatchKind = 'logs' | 'stats';

export const DEFAULT_WATCH_EXPIRY_MS = 30_000;
/** More than this many open watches is a leak in the app, not a use: refuse. */
export const MAX_WATCHES = 64;

export interface Watches {
  readonly handlers: HandlerSlice<Methods>;
  /** Ends every watch (service close). */
  close(): Promise<void>;
}

export interface WatchesOptions {
  /** A watch not renewed this long stops by itself. Default 30 000. */
  readonly expiryMs?: number | undefined;
  /** How often expiry is checked. Default a third of the expiry, at most 5 s. */
  readonly sweepMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

/** What the registry needs to run watches; createWatches gives it the engine, tests give it scripted streams. */
export interface WatchRegistryDeps {
  readonly emit: (event: StrataEvent) => void;
  /** Why a stream that ended by itself ended: null for a normal end, else the error to report. */
  readonly endErrorOf: (
    kind: WatchKind,
    containerId: string,
    label: string,
    failure: unknown,
  ) => Promise<ErrorShape | null>;
  readonly options?: WatchesOptions | undefined;
}

export interface WatchRegistry {
  /**
   * Opens a watch: `open` gets the new id (to tag its events) and resolves when the engine stream is open; its
   * errors reject here. Reading starts after the id has been answered.
   */
  start(kind: WatchKind, label: string, open: (watchId: string) => Promise<OpenedWatch>): Promise<string>;
  /** True while the watch runs: its events may be emitted. */
  isAlive(watchId: string): boolean;
  renew(watchIds: readonly string[]): string[];
  stop(watchId: string): boolean;
  /** The number of running watches. */
  readonly size: number;
  close(): Promise<void>;
}

interface Watch {
  readonly id: string;
  readonly kind: WatchKind;
  readonly controller: AbortController;
  lastRenewedAt: number;
  done: Promise<void>;
}

export function createWatchRegistry(deps: WatchRegistryDeps): WatchRegistry {
  const expiryMs = deps.options?.expiryMs ?? DEFAULT_WATCH_EXPIRY_MS;
  const sweepMs = deps.options?.sweepMs ?? Math.max(10, Math.min(5_000, Math.floor(expiryMs / 3)));
  const now = deps.options?.now ?? Date.now;
  const watches = new Map<string, Watch>();
  let sweepTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const end = (watch: Watch, error: ErrorShape | null): void => {
    if (watches.get(watch.id) !== watch) return;
    watches.delete(watch.id);
    watch.controller.abort(new Error('The watch stopped.'));
    if (watches.size === 0 && sweepTimer !== undefined) {
      clearInterval(sweepTimer);
      sweepTimer = undefined;
    }
    deps.emit({ type: 'watch.end', watchId: watch.id, error });
  };

  const sweep = (): void => {
    const t = now();
    for (const watch of [...watches.values()]) {
      if (t - watch.lastRenewedAt >= expiryMs) {
        end(
          watch,
          new StrataError(
            'cancelled',
            `The ${watch.kind} view stopped: it was not renewed for ${Math.round(expiryMs / 1000)} s.`,
          ).toShape(),
        );
      }
    }
  };

  return {
    get size() {
      return watches.size;
    },

    async start(kind, label, open) {
      if (closed) throw new StrataError('internal', 'The engine service is closed.');
      if (watches.size >= MAX_WATCHES) {
        throw new StrataError(
          'conflict',
          `Too many live logs and stats views are open (${MAX_WATCHES}); close some and try again.`,
        );
      }
      const id = `w${randomBytes(16).toString('hex')}`;
      const opened = await open(id);
      const watch: Watch = {
        id,
        kind,
        controller: new AbortController(),
        lastRenewedAt: now(),
        done: Promise.resolve(),
      };
      if (closed) {
        // Closed while opening: never leave the stream open.
        watch.controller.abort();
        await opened.pump(watch.controller.signal).catch(() => undefined);
        throw new StrataError('internal', 'The engine service is closed.');
      }
      watches.set(id, watch);
      if (sweepTimer === undefined) {
        sweepTimer = setInterval(sweep, sweepMs);
        sweepTimer.unref();
      }
      watch.done = (async () => {
        // Let the answer with the id go out before the first event.
        await new Promise<void>((resolve) => setImmediate(resolve));
        let failure: unknown = undefined;
        try {
          await opened.pump(watch.controller.signal);
        } catch (error) {
          failure = error ?? new Error('stream failed');
        }
        if (watches.get(id) !== watch) return; // stopped: already reported
        let error: ErrorShape | null;
        try {
          error = await deps.endErrorOf(kind, opened.containerId, label, failure);
        } catch (e) {
          error = toErrorShape(e);
        }
        end(watch, error);
      })();
      return id;
    },

    isAlive(watchId) {
      return watches.has(watchId);
    },

    renew(watchIds) {
      const t = now();
      const alive: string[] = [];
      for (const id of watchIds) {
        const watch = watches.get(id);
        if (watch === undefined) continue;
        watch.lastRenewedAt = t;
        alive.push(id);
      }
      return alive;
    },

    stop(watchId) {
      const watch = watches.get(watchId);
      if (watch === undefined) return false;
      end(watch, null);
      return true;
    },

    async close() {
      closed = true;
      const running = [...watches.values()];
      for (const watch of running) end(watch, null);
      await Promise.all(running.map((watch) => watch.done));
    },
  };
}

/** Why a watch's stream ended by itself, asked of the engine. */
async function endErrorOf(
  ctx: Pick<EngineContext, 'engine'>,
  kind: WatchKind,
  containerId: string,
  label: string,
  failure: unknown,
): Promise<ErrorShape | null> {
  const what = kind === 'logs' ? 'log' : 'stats';
  const removed = new StrataError('not_found', `The container "${label}" was removed; its ${what} ended.`).toShape();
  let inspected: ContainerInspect;
  try {
    inspected = await inspectContainer(ctx, containerId, 5_000);
  } catch (error) {
    const shape = toErrorShape(error);
    return shape.code === 'not_found' ? removed : shape;
  }
  // `docker rm -f` ends the streams while the engine is still removing the container.
  const status = inspected.State.Status;
  if (status === 'removing' || status === 'dead') return removed;
  if (failure === undefined) return null;
  const detail = failure instanceof Error ? failure.message : 'the stream broke';
  return new StrataError(
    'engine_unreachable',
    `The engine closed the ${what} stream of "${label}" before it ended (did Docker restart?); open it again.`,
    detail,
  ).toShape();
}

export function createWatches(ctx: EngineContext, options: WatchesOptions = {}): Watches {
  const registry = createWatchRegistry({
    emit: ctx.emit,
    endErrorOf: (kind, containerId, label, failure) => endErrorOf(ctx, kind, containerId, label, failure),
    options,
  });
  const label = (container: string): string => container.replace(/^\//, '');

  return {
    handlers: {
      'containers.logsWatch': (args) =>
        registry
          .start('logs', label(args.container), (watchId) =>
            openLogs(ctx, args, (lines, dropped) => {
              if (registry.isAlive(watchId)) ctx.emit({ type: 'watch.logs', watchId, lines, dropped });
            }),
          )
          .then((watchId) => ({ watchId })),

      'containers.statsWatch': (args) =>
        registry
          .start('stats', label(args.container), (watchId) =>
            openStats(ctx, args, (sample) => {
              if (registry.isAlive(watchId)) ctx.emit({ type: 'watch.stats', watchId, sample });
            }),
          )
          .then((watchId) => ({ watchId })),

      'watches.renew': (args) => Promise.resolve({ alive: registry.renew(args.watchIds) }),

      'watches.stop': (args) => Promise.resolve({ stopped: registry.stop(args.watchId) }),
    },
    close: () => registry.close(),
  };
}
