/**
 * The event watcher over recorded /events lines: parsing (current and old-style fields, a malformed
 * line), batching, the ring for events.list, the back-off schedule, `since` on reconnect, and stop.
 */
import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineStatus, StrataEvent } from '../../../shared/api';
import { startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { EngineClient, type EngineStreamResponse } from '../core/client';
import {
  backoffDelay,
  createEventWatcher,
  forEachJsonLine,
  parseEngineEvent,
  sinceParameter,
  type EventWatcher,
} from './events';

const TAG_LINE =
  '{"status":"tag","id":"sha256:5f1c","Type":"image","Action":"tag","Actor":{"ID":"sha256:5f1c","Attributes":{"name":"t-ev/x:1"}},"scope":"local","time":1764037800,"timeNano":1764037800123456789}';
const UNTAG_LINE =
  '{"status":"untag","id":"sha256:5f1c","Type":"image","Action":"untag","Actor":{"ID":"sha256:5f1c","Attributes":{"name":"sha256:5f1c"}},"scope":"local","time":1764037801,"timeNano":1764037801000000000}';
const CONTAINER_LINE =
  '{"status":"die","id":"4a1d","from":"lab/tool:1.0","Type":"container","Action":"die","Actor":{"ID":"4a1d","Attributes":{"exitCode":"137","image":"lab/tool:1.0","name":"lab-running"}},"scope":"local","time":1764037802,"timeNano":1764037802500000000}';
/** Docker before 1.10: no Type, Action or Actor. */
const OLD_IMAGE_LINE = '{"status":"pull","id":"busybox:latest","time":1452000000}';
const OLD_CONTAINER_LINE = '{"status":"start","id":"abc123","from":"busybox:latest","time":1452000001}';

const statusConnected: EngineStatus = {
  engineId: 'default',
  state: 'connected',
  endpoint: { kind: 'unix', address: 'unix:///x', source: 'flag', tls: false },
  checkedAt: '2026-01-01T00:00:00.000Z',
};

describe('parseEngineEvent', () => {
  it('maps a current event: type, action, actor id, name, attributes and the time in ms from timeNano', () => {
    const parsed = parseEngineEvent('default', JSON.parse(TAG_LINE));
    expect(parsed?.event).toEqual({
      engineId: 'default',
      type: 'image',
      action: 'tag',
      id: 'sha256:5f1c',
      name: 't-ev/x:1',
      attributes: { name: 't-ev/x:1' },
      time: 1764037800123,
    });
    const die = parseEngineEvent('default', JSON.parse(CONTAINER_LINE));
    expect(die?.event).toMatchObject({ type: 'container', action: 'die', id: '4a1d', name: 'lab-running' });
    expect(die?.event.attributes['exitCode']).toBe('137');
  });

  it('maps old-style events (status, id, from) and takes the time from seconds', () => {
    expect(parseEngineEvent('e1', JSON.parse(OLD_IMAGE_LINE))?.event).toEqual({
      engineId: 'e1',
      type: 'image',
      action: 'pull',
      id: 'busybox:latest',
      name: '',
      attributes: {},
      time: 1452000000000,
    });
    expect(parseEngineEvent('e1', JSON.parse(OLD_CONTAINER_LINE))?.event).toMatchObject({
      type: 'container',
      action: 'start',
      id: 'abc123',
      attributes: { image: 'busybox:latest' },
    });
  });

  it('returns undefined for values that are not events, and keeps only string-like attributes', () => {
    for (const value of [null, 42, 'x', [], {}, { Type: 'image' }, { Action: 'tag' }, { Type: 7, Action: 'x' }]) {
      expect(parseEngineEvent('default', value)).toBeUndefined();
    }
    const odd = parseEngineEvent('default', {
      Type: 'image',
      Action: 'tag',
      Actor: { ID: 5, Attributes: { a: 'x', b: 2, c: { nested: true }, d: null } },
      timeNano: 1e18,
    });
    expect(odd?.event).toMatchObject({ id: '', attributes: { a: 'x', b: '2' }, time: 1e12 });
  });
});

describe('forEachJsonLine', () => {
  async function* chunks(...parts: readonly (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
    for (const part of parts) {
      await Promise.resolve();
      yield part;
    }
  }

  it('skips a malformed line and goes on; joins lines split across chunks, including a split UTF-8 character', async () => {
    const values: unknown[] = [];
    const skipped: string[] = [];
    const euro = Buffer.from('{"a":"€"}\n', 'utf8');
    await forEachJsonLine(
      chunks('{"a":1}\r\n{"a":', '2}\n{not json\n\n', euro.subarray(0, 7), euro.subarray(7), '{"a":3}'),
      (v) => values.push(v),
      (s) => skipped.push(s),
    );
    expect(values).toEqual([{ a: 1 }, { a: 2 }, { a: '€' }, { a: 3 }]);
    expect(skipped).toEqual(['{not json']);
  });
});

describe('sinceParameter and backoffDelay', () => {
  it('formats seconds with a nanosecond fraction', () => {
    expect(sinceParameter(1764037800123456000)).toMatch(/^1764037800\.123456\d{3}$/);
    expect(sinceParameter(1_000_000_000)).toBe('1.000000000');
  });

  it('doubles from initialMs up to maxMs', () => {
    const schedule = [0, 1, 2, 3, 4, 5, 6, 40].map((n) => backoffDelay(n, { initialMs: 500, maxMs: 15_000 }));
    expect(schedule).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });
});

/** A scripted engine: each /events request gets the next script entry. */
interface Scripted {
  readonly watcher: EventWatcher;
  readonly emitted: StrataEvent[];
  readonly opens: { readonly at: number; readonly since: string | undefined }[];
  readonly pings: number[];
}

type Script = (stream: PassThrough) => number; // returns the status; writes/ends the stream as it likes

function scripted(scripts: readonly Script[], options: Parameters<typeof createEventWatcher>[1] = {}): Scripted {
  const emitted: StrataEvent[] = [];
  const opens: { at: number; since: string | undefined }[] = [];
  const pings: number[] = [];
  let n = 0;
  const fakeClient = {
    stream: (req: { query?: Record<string, unknown>; signal?: AbortSignal }): Promise<EngineStreamResponse> => {
      const since = req.query?.['since'];
      opens.push({ at: Date.now(), since: typeof since === 'string' ? since : undefined });
      const script = scripts[n] ?? scripts[scripts.length - 1];
      n += 1;
      if (script === undefined) return Promise.reject(new Error('no script'));
      const stream = new PassThrough();
      req.signal?.addEventListener('abort', () => stream.destroy(), { once: true });
      const status = script(stream);
      if (status < 0) return Promise.reject(new Error('connect ECONNREFUSED'));
      return Promise.resolve({ status, headers: {}, stream } as unknown as EngineStreamResponse);
    },
  };
  const watcher = createEventWatcher(
    {
      engineId: 'default',
      engine: () => fakeClient as unknown as EngineClient,
      ping: () => {
        pings.push(Date.now());
        return Promise.resolve(statusConnected);
      },
      emit: (event) => emitted.push(event),
    },
    options,
  );
  return { watcher, emitted, opens, pings };
}

const refused: Script = () => -1;
const holdOpen =
  (...lines: readonly string[]): Script =>
  (stream) => {
    for (const line of lines) stream.write(`${line}\n`);
    return 200;
  };

afterEach(() => {
  vi.useRealTimers();
});

describe('the watcher', () => {
  it('emits one engine.events batch per batchMs, skipping a malformed line, and keeps the events for events.list', async () => {
    vi.useFakeTimers();
    let stream: PassThrough | undefined;
    const s = scripted([
      (st) => {
        stream = st;
        st.write(`${TAG_LINE}\nnot json at all\n${CONTAINER_LINE}\n`);
        return 200;
      },
    ]);
    s.watcher.start();
    s.watcher.start(); // idempotent
    await vi.advanceTimersByTimeAsync(50);
    expect(s.opens).toHaveLength(1);
    expect(s.emitted).toEqual([]);
    stream?.write(`${UNTAG_LINE}\n`);
    await vi.advanceTimersByTimeAsync(60);
    expect(s.emitted).toHaveLength(1);
    const batch = s.emitted[0];
    expect(batch?.type === 'engine.events' && batch.events.map((e) => `${e.type}/${e.action}`)).toEqual([
      'image/tag',
      'container/die',
      'image/untag',
    ]);

    expect(s.watcher.recent({ limit: 10 }).map((e) => e.action)).toEqual(['tag', 'die', 'untag']);
    expect(s.watcher.recent({ limit: 2 }).map((e) => e.action)).toEqual(['die', 'untag']);
    expect(s.watcher.recent({ types: ['image'], limit: 10 }).map((e) => e.action)).toEqual(['tag', 'untag']);
    expect(s.watcher.recent({ since: 1764037800123, limit: 10 }).map((e) => e.action)).toEqual(['die', 'untag']);
    await s.watcher.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps only the newest `keep` events', async () => {
    vi.useFakeTimers();
    const lines = Array.from({ length: 25 }, (_, i) =>
      JSON.stringify({
        Type: 'image',
        Action: 'tag',
        Actor: { ID: `id${i}`, Attributes: {} },
        timeNano: (1e9 + i) * 1e9,
      }),
    );
    const s = scripted([holdOpen(...lines)], { keep: 10 });
    s.watcher.start();
    await vi.advanceTimersByTimeAsync(200);
    const kept = s.watcher.recent({ limit: 5000 });
    expect(kept.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => `id${15 + i}`));
    await s.watcher.stop();
  });

  it('pings when the stream drops and reconnects with a doubling back-off, asking for events since the last one', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    let first: PassThrough | undefined;
    const s = scripted(
      [
        (st) => {
          first = st;
          return 200;
        },
        refused,
        refused,
        refused,
        refused,
        refused,
        (st) => {
          st.write(`${TAG_LINE}\n${UNTAG_LINE}\n`); // TAG_LINE again: already seen, not emitted twice
          return 200;
        },
      ],
      { backoff: { initialMs: 100, maxMs: 1000 } },
    );
    s.watcher.start();
    await vi.advanceTimersByTimeAsync(10);
    first?.write(`${TAG_LINE}\n`);
    await vi.advanceTimersByTimeAsync(200);
    first?.end();
    await vi.advanceTimersByTimeAsync(5_000);
    const gaps = s.opens.map((o) => o.at - start);
    // A drop after a stream that delivered an event starts at initialMs again: 100, 200, 400, 800, 1000, 1000.
    // The first stream ended at 210 ms; then 100 ms, and for each refused attempt double that, up to maxMs.
    const deltas = gaps.slice(1).map((g, i) => g - (gaps[i] ?? 0));
    expect(gaps).toHaveLength(7);
    expect(deltas).toEqual([310, 200, 400, 800, 1000, 1000]);
    expect(s.pings.length).toBeGreaterThanOrEqual(6);
    expect(s.opens[0]?.since).toBeUndefined();
    expect(s.opens[1]?.since).toMatch(/^1764037800\.12245\d{4}$/);
    const batches = s.emitted.flatMap((e) => (e.type === 'engine.events' ? [e.events.map((x) => x.action)] : []));
    expect(batches).toEqual([['tag'], ['untag']]);
    await s.watcher.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a non-200 answer counts as a failure and stop() during a back-off wait resolves at once and leaves no timer', async () => {
    vi.useFakeTimers();
    const s = scripted(
      [
        (st) => {
          st.end('{"message":"page not found"}');
          return 404;
        },
      ],
      { backoff: { initialMs: 1000, maxMs: 60_000 } },
    );
    s.watcher.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(s.opens.map((o) => o.at - s.opens[0]!.at)).toEqual([0, 1000, 3000]); // the next would wait 4000
    expect(s.pings).toHaveLength(3);
    await s.watcher.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.opens).toHaveLength(3);
  });
});

describe('the watcher over HTTP (fake engine on a unix socket)', () => {
  let engine: FakeEngine | undefined;
  let client: EngineClient | undefined;
  afterEach(async () => {
    client?.close();
    await engine?.close();
  });

  it('reads the real response stream, reconnects with `since`, and stop() closes a held-open stream', async () => {
    engine = await startFakeEngine();
    const held: ServerResponse[] = [];
    engine.route('GET', '/events', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (held.length === 0) {
        res.end(`${TAG_LINE}\n{garbage\n`);
      } else {
        res.write(`${UNTAG_LINE}\n`);
      }
      held.push(res);
    });
    const socketPath = engine.socketPath;
    client = new EngineClient({
      connection: { kind: 'unix', socketPath },
      address: engine.host,
      requestTimeoutMs: 2_000,
    });
    const current = client;
    const emitted: StrataEvent[] = [];
    const watcher = createEventWatcher(
      {
        engineId: 'default',
        engine: () => current,
        ping: () => Promise.resolve(statusConnected),
        emit: (e) => emitted.push(e),
      },
      { batchMs: 20, backoff: { initialMs: 20, maxMs: 100 } },
    );
    watcher.start();
    const deadline = Date.now() + 3_000;
    while (watcher.recent({ limit: 10 }).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(watcher.recent({ limit: 10 }).map((e) => e.action)).toEqual(['tag', 'untag']);
    const urls = engine.seen.filter((r) => r.url.startsWith('/events')).map((r) => r.url);
    expect(urls[0]).toBe('/events');
    expect(urls[1]).toMatch(/^\/events\?since=1764037800\.122/);
    const closed = new Promise<void>((resolve) => held.at(-1)?.once('close', () => resolve()));
    await watcher.stop();
    await closed; // the held-open stream was closed by stop()
    const count = engine.seen.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(engine.seen).toHaveLength(count); // and no reconnect after stop
  });
});
