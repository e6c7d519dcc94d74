/**
 * The engine's /events stream: one subscription per engine service, parsed into EngineEvents,
 * batched briefly and pushed as `engine.events`; kept in a bounded ring for `events.list`. When the
 * stream drops, a ping tells the app the engine is gone (engine.status), and the watcher reconnects
 * with back-off; once it is back, the status turns connected and the renderer refetches.
 *
 * On reconnect the watcher asks for events `since` the last one it saw (minus a millisecond, as the
 * engine's nanosecond times lose precision in a JSON number), so nothing in the gap is lost, and
 * drops the few it has already seen.
 */
import type { EngineEvent } from '../../../shared/api';
import type { EngineContext, HandlerSlice } from '../host/context';
import { asJson, objectOrUndefined, textOrUndefined, type Json } from '../core/answers';

export interface EventWatcherOptions {
  /** Events are pushed at most this often (one batch). Default 100 ms. */
  readonly batchMs?: number;
  /** Reconnect delays: from initialMs, doubling, up to maxMs. Defaults 500 ms and 15 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** How many events `events.list` can answer. Default 5000. */
  readonly keep?: number;
  /** How long to wait for the engine to answer the /events request (headers). Default 10 s. */
  readonly connectTimeoutMs?: number;
}

export interface EventWatcher {
  /** Opens the stream (idempotent). */
  start(): void;
  /** Closes the stream and every timer. */
  stop(): Promise<void>;
  /** Events seen this session, oldest first, filtered. */
  recent(filter: {
    readonly since?: number;
    readonly types?: readonly string[];
    readonly limit: number;
  }): EngineEvent[];
}

export const DEFAULT_BATCH_MS = 100;
export const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 15_000 } as const;
export const DEFAULT_KEEP = 5000;
/** A stream that stayed up this long was healthy: the next failure starts the back-off afresh. */
export const HEALTHY_STREAM_MS = 5000;
/** A line longer than this is skipped (the engine's events are small). */
const MAX_LINE = 1024 * 1024;

/** An event as parsed, with the engine's nanosecond time kept for `since` and de-duplication. */
export interface ParsedEngineEvent {
  readonly event: EngineEvent;
  readonly timeNano: number;
  /** Identifies the event across a reconnect (the engine may send it again). */
  readonly key: string;
}

function attributesOf(value: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, item] of Object.entries(objectOrUndefined(value) ?? {})) {
    if (typeof item === 'string') attributes[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') attributes[key] = String(item);
  }
  return attributes;
}

/**
 * One line of /events as an EngineEvent, or undefined when it is not an event. Current engines
 * send `Type`, `Action`, `Actor{ID,Attributes}`, `time`, `timeNano`; older ones also (or only)
 * `status`, `id`, `from` — a `from` marks a container event, its absence an image event.
 */
export function parseEngineEvent(
  engineId: string,
  raw: unknown,
  now: () => number = Date.now,
): ParsedEngineEvent | undefined {
  const event = objectOrUndefined(raw);
  if (event === undefined) return undefined;
  return toParsedEvent(engineId, event, now);
}

function toParsedEvent(engineId: string, raw: Json, now: () => number): ParsedEngineEvent | undefined {
  const actor = asJson(raw['Actor']);
  const type =
    textOrUndefined(raw['Type']) ??
    (raw['status'] === undefined ? undefined : raw['from'] === undefined ? 'image' : 'container');
  const action = textOrUndefined(raw['Action']) ?? textOrUndefined(raw['status']);
  if (type === undefined || type === '' || action === undefined || action === '') return undefined;
  const id = textOrUndefined(actor['ID']) ?? textOrUndefined(raw['id']) ?? '';
  const attributes = attributesOf(actor['Attributes']);
  const from = textOrUndefined(raw['from']);
  if (from !== undefined && attributes['image'] === undefined) attributes['image'] = from;
  const timeNano =
    typeof raw['timeNano'] === 'number' && Number.isFinite(raw['timeNano'])
      ? raw['timeNano']
      : typeof raw['time'] === 'number' && Number.isFinite(raw['time'])
        ? raw['time'] * 1e9
        : now() * 1e6;
  const event: EngineEvent = {
    engineId,
    type,
    action,
    id,
    name: attributes['name'] ?? '',
    attributes,
    time: Math.floor(timeNano / 1e6),
  };
  return { event, timeNano, key: `${timeNano}|${type}|${action}|${id}` };
}

/** The engine's `since` for a time in nanoseconds: seconds with a nanosecond fraction. */
export function sinceParameter(timeNano: number): string {
  const micros = Math.max(0, Math.floor(timeNano / 1000));
  const seconds = Math.floor(micros / 1e6);
  const fraction = micros - seconds * 1e6;
  return `${seconds}.${String(fraction).padStart(6, '0')}000`;
}

/** The delay before reconnect attempt n (0-based) since the last healthy stream. */
export function backoffDelay(attempt: number, backoff: { readonly initialMs: number; readonly maxMs: number }): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
}

/**
 * Splits a byte stream into lines and hands each parsed JSON value on. Unlike readNdjson (which
 * throws on a line that is not JSON, ending the stream), a bad or overlong line is skipped.
 */
export async function forEachJsonLine(
  source: AsyncIterable<Uint8Array | string>,
  onValue: (value: unknown) => void,
  onSkipped: (excerpt: string) => void = () => undefined,
): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  let buffered = '';
  let skipping = false;
  const line = (text: string): void => {
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed) as unknown;
    } catch {
      onSkipped(trimmed.slice(0, 120));
      return;
    }
    onValue(value);
  };
  const drain = (): void => {
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      if (skipping) skipping = false;
      else line(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
    if (buffered.length > MAX_LINE) {
      onSkipped(buffered.slice(0, 120));
      buffered = '';
      skipping = true;
    }
  };
  for await (const chunk of source) {
    buffered += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    drain();
  }
  buffered += decoder.decode();
  drain();
  if (!skipping) line(buffered);
}

type WatcherContext = Pick<EngineContext, 'engineId' | 'engine' | 'ping' | 'emit'>;

export function createEventWatcher(ctx: WatcherContext, options: EventWatcherOptions = {}): EventWatcher {
  const batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const keep = Math.max(1, options.keep ?? DEFAULT_KEEP);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;

  let ring: EngineEvent[] = [];
  let pending: EngineEvent[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  /** Nanosecond time of the newest event seen, for `since` on reconnect. */
  let lastNano: number | undefined;
  /** Keys of the events seen in the last few milliseconds: a reconnect may send them again. */
  let recentKeys = new Map<string, number>();

  let controller: AbortController | undefined;
  let running: Promise<void> | undefined;

  const flush = (): void => {
    if (batchTimer !== undefined) clearTimeout(batchTimer);
    batchTimer = undefined;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    ctx.emit({ type: 'engine.events', engineId: ctx.engineId, events });
  };

  const accept = (parsed: ParsedEngineEvent): boolean => {
    if (recentKeys.has(parsed.key)) return false;
    if (lastNano === undefined || parsed.timeNano > lastNano) lastNano = parsed.timeNano;
    recentKeys.set(parsed.key, parsed.timeNano);
    if (recentKeys.size > 256) {
      const floor = lastNano - 2e6;
      recentKeys = new Map([...recentKeys].filter(([, nano]) => nano >= floor));
    }
    ring.push(parsed.event);
    if (ring.length >= keep * 2) ring = ring.slice(-keep);
    pending.push(parsed.event);
    if (batchTimer === undefined) batchTimer = setTimeout(flush, batchMs);
    return true;
  };

  const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });

  /** One subscription, until the stream ends or fails. Reports whether it was healthy. */
  async function follow(signal: AbortSignal): Promise<boolean> {
    const query: Record<string, string> = {};
    if (lastNano !== undefined) query['since'] = sinceParameter(lastNano - 1e6);
    const res = await ctx
      .engine()
      .stream({ method: 'GET', path: '/events', query, signal, timeoutMs: connectTimeoutMs });
    if (res.status !== 200) {
      res.stream.resume();
      return false;
    }
    const openedAt = Date.now();
    let sawEvent = false;
    // Stopping the watcher aborts `signal`, and the client then ends this stream.
    try {
      await forEachJsonLine(res.stream, (value) => {
        const parsed = parseEngineEvent(ctx.engineId, value);
        if (parsed !== undefined && accept(parsed)) sawEvent = true;
      });
    } catch {
      // The engine went away mid-stream (killed, restarted) or we stopped: both end this subscription.
    } finally {
      res.stream.destroy();
    }
    return sawEvent || Date.now() - openedAt >= HEALTHY_STREAM_MS;
  }

  async function loop(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    while (!signal.aborted) {
      let healthy = false;
      try {
        healthy = await follow(signal);
      } catch {
        // Connection refused, timed out, aborted: the client has already reported reachability.
      }
      if (signal.aborted) break;
      flush();
      if (healthy) attempt = 0;
      // The stream is gone: find out whether the engine is (this emits engine.status on a change).
      const pinged = ctx.ping().then(
        () => undefined,
        () => undefined,
      );
      await Promise.race([pinged, aborted]);
      if (signal.aborted) break;
      await sleep(backoffDelay(attempt, backoff), signal);
      attempt += 1;
    }
  }

  return {
    start() {
      if (running !== undefined) return;
      const current = new AbortController();
      controller = current;
      running = loop(current.signal).finally(() => {
        if (controller === current) {
          controller = undefined;
          running = undefined;
        }
      });
    },
    async stop() {
      const current = running;
      controller?.abort(new Error('The event watcher stopped.'));
      if (current !== undefined) await current;
      flush();
    },
    recent({ since, types, limit }) {
      const wanted = types === undefined || types.length === 0 ? undefined : new Set(types);
      const found: EngineEvent[] = [];
      const window = ring.slice(-keep);
      for (let i = window.length - 1; i >= 0 && found.length < limit; i -= 1) {
        const event = window[i];
        if (event === undefined) continue;
        if (since !== undefined && event.time <= since) continue;
        if (wanted !== undefined && !wanted.has(event.type)) continue;
        found.push(event);
      }
      return found.reverse();
    },
  };
}

export function eventHandlers(watcher: EventWatcher): HandlerSlice<'events.list'> {
  return {
    'events.list': (args) => Promise.resolve(watcher.recent(args)),
  };
}
