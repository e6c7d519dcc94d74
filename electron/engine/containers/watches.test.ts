import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StrataEvent } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import type { OpenedWatch } from './logs';
import { createEngineService, type EngineService } from '../host/service';
import { createWatchRegistry, type WatchRegistryDeps } from './watches';

/** A scripted stream: runs until aborted, or until the test ends or breaks it. */
function scripted(): {
  readonly open: () => Promise<OpenedWatch>;
  readonly signals: AbortSignal[];
  end(): void;
  fail(error: Error): void;
} {
  const signals: AbortSignal[] = [];
  let finish: ((error?: Error) => void) | undefined;
  return {
    signals,
    open: () =>
      Promise.resolve({
        containerId: 'c0ffee',
        pump: (signal: AbortSignal) =>
          new Promise<void>((resolve, reject) => {
            signals.push(signal);
            finish = (error) => (error === undefined ? resolve() : reject(error));
            signal.addEventListener('abort', () => reject(new Error('destroyed')), { once: true });
          }),
      }),
    end: () => finish?.(),
    fail: (error) => finish?.(error),
  };
}

describe('watch registry', () => {
  let events: StrataEvent[];
  let clock: number;
  let endError: WatchRegistryDeps['endErrorOf'];

  beforeEach(() => {
    vi.useFakeTimers();
    events = [];
    clock = 0;
    endError = () => Promise.resolve(null);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const registry = (expiryMs = 30_000) =>
    createWatchRegistry({
      emit: (event) => events.push(event),
      endErrorOf: (...args) => endError(...args),
      options: { expiryMs, sweepMs: 1000, now: () => clock },
    });

  const tick = async (ms: number): Promise<void> => {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  it('gives unguessable ids and starts reading only after the id was answered', async () => {
    const r = registry();
    const a = scripted();
    const b = scripted();
    const idA = await r.start('logs', 'web', a.open);
    const idB = await r.start('stats', 'web', b.open);
    expect(idA).toMatch(/^w[0-9a-f]{32}$/);
    expect(idB).not.toBe(idA);
    expect(a.signals).toHaveLength(0);
    await tick(1);
    expect(a.signals).toHaveLength(1);
    await r.close();
  });

  it('a watch not renewed for the expiry stops by itself and destroys its stream; renewed ones live on', async () => {
    const r = registry(30_000);
    const kept = scripted();
    const left = scripted();
    const keptId = await r.start('logs', 'web', kept.open);
    const leftId = await r.start('stats', 'web', left.open);
    await tick(1);
    for (let t = 0; t < 29; t += 1) await tick(1000);
    expect(r.renew([keptId, 'wunknown'])).toEqual([keptId]);
    expect(r.isAlive(leftId)).toBe(true);
    await tick(2000);
    expect(r.isAlive(leftId)).toBe(false);
    expect(left.signals[0]?.aborted).toBe(true);
    const end = events.find((e) => e.type === 'watch.end' && e.watchId === leftId);
    expect(end).toMatchObject({ type: 'watch.end', error: { code: 'cancelled' } });
    expect(r.isAlive(keptId)).toBe(true);
    expect(kept.signals[0]?.aborted).toBe(false);
    expect(r.renew([keptId, leftId])).toEqual([keptId]);
    // Renewed at 29 s, again now: still alive at 58 s, gone 30 s after the last renewal.
    await tick(27_000);
    expect(r.isAlive(keptId)).toBe(true);
    await tick(5_000);
    expect(r.isAlive(keptId)).toBe(false);
    expect(kept.signals[0]?.aborted).toBe(true);
  });

  it('stop ends one watch once: the stream is destroyed, watch.end has no error, a second stop says false', async () => {
    const r = registry();
    const s = scripted();
    const id = await r.start('logs', 'web', s.open);
    await tick(1);
    expect(r.stop(id)).toBe(true);
    expect(s.signals[0]?.aborted).toBe(true);
    expect(r.stop(id)).toBe(false);
    await tick(10);
    const ends = events.filter((e) => e.type === 'watch.end');
    expect(ends).toEqual([{ type: 'watch.end', watchId: id, error: null }]);
    expect(r.renew([id])).toEqual([]);
  });

  it('a stream that ends or breaks by itself reports why, once', async () => {
    const r = registry();
    const exited = scripted();
    const broken = scripted();
    const exitedId = await r.start('logs', 'web', exited.open);
    const brokenId = await r.start('logs', 'db', broken.open);
    await tick(1);
    endError = (_kind, containerId, label, failure) =>
      Promise.resolve(
        failure === undefined
          ? null
          : new StrataError('engine_unreachable', `engine gone while reading ${label} (${containerId})`).toShape(),
      );
    exited.end();
    broken.fail(new Error('aborted'));
    await tick(1);
    expect(events.filter((e) => e.type === 'watch.end')).toEqual([
      { type: 'watch.end', watchId: exitedId, error: null },
      {
        type: 'watch.end',
        watchId: brokenId,
        error: { code: 'engine_unreachable', message: 'engine gone while reading db (c0ffee)' },
      },
    ]);
    expect(r.size).toBe(0);
  });

  it('an opening that fails rejects the call and leaves no watch', async () => {
    const r = registry();
    await expect(
      r.start('logs', 'nope', () => Promise.reject(new StrataError('not_found', 'No container named "nope".'))),
    ).rejects.toMatchObject({ code: 'not_found', message: 'No container named "nope".' });
    expect(r.size).toBe(0);
  });

  it('close stops every watch and refuses new ones', async () => {
    const r = registry();
    const a = scripted();
    const b = scripted();
    await r.start('logs', 'a', a.open);
    await r.start('stats', 'b', b.open);
    await tick(1);
    await r.close();
    expect(a.signals[0]?.aborted).toBe(true);
    expect(b.signals[0]?.aborted).toBe(true);
    expect(r.size).toBe(0);
    await expect(r.start('logs', 'c', scripted().open)).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('watches on a recorded engine', () => {
  let engine: FakeEngine;
  let service: EngineService;
  let events: StrataEvent[];
  const ID = 'a'.repeat(64);

  const waitFor = async (predicate: () => boolean, ms = 5000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeEach(async () => {
    engine = await startFakeEngine();
    engine.route('GET', `/containers/web/json`, (_req, res) => json(res, 200, { Id: ID, Config: { Tty: false } }));
    engine.route('GET', `/containers/${ID}/json`, (_req, res) =>
      json(res, 200, { Id: ID, State: { Status: 'running' } }),
    );
    service = createEngineService({ host: engine.host, env: {}, homeDir: '/nonexistent', watchEvents: false });
    events = [];
    service.onEvent((event) => {
      if (event.type.startsWith('watch.')) events.push(event);
    });
  });
  afterEach(async () => {
    await service.close();
    await engine.close();
  });

  it('watches.stop destroys the open engine response', async () => {
    let closed = false;
    engine.route('GET', `/containers/${ID}/stats`, (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(
        `${readFileSync(join(__dirname, '../../../test/fixtures/watches/stats-cgroup-v1.json'), 'utf8').replace(/\n/g, '')}\n`,
      );
      req.socket.on('close', () => {
        closed = true;
      });
    });
    const { watchId } = await service.handlers['containers.statsWatch']({ container: 'web' });
    await waitFor(() => events.some((e) => e.type === 'watch.stats'));
    const sample = events.find((e) => e.type === 'watch.stats');
    expect(sample).toMatchObject({ watchId, sample: { memoryUsed: 6537216 - 1048576, networkRx: 9979 } });
    expect(closed).toBe(false);
    expect(await service.handlers['watches.stop']({ watchId })).toEqual({ stopped: true });
    await waitFor(() => closed);
    expect(engine.seen.map((r) => r.url)).toContain(`/containers/${ID}/stats?stream=1`);
  });

  it('asks for the log with the right query, and trusts the raw-stream content type', async () => {
    engine.route('GET', `/containers/${ID}/logs`, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
      res.end('raw one\r\nraw two\r\n');
    });
    const { watchId } = await service.handlers['containers.logsWatch']({
      container: 'web',
      follow: true,
      timestamps: false,
      tail: 50,
    });
    await waitFor(() => events.some((e) => e.type === 'watch.end'));
    expect(engine.seen.map((r) => r.url)).toContain(
      `/containers/${ID}/logs?stdout=1&stderr=1&follow=1&timestamps=0&tail=50`,
    );
    expect(events).toEqual([
      {
        type: 'watch.logs',
        watchId,
        dropped: 0,
        lines: [
          { stream: 'stdout', text: 'raw one', time: null },
          { stream: 'stdout', text: 'raw two', time: null },
        ],
      },
      { type: 'watch.end', watchId, error: null },
    ]);
  });

  it('the engine going away mid-stream ends the watch with engine_unreachable, after the lines it sent', async () => {
    engine.route('GET', `/containers/${ID}/logs`, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
      const payload = Buffer.from('before the crash\n');
      const header = Buffer.alloc(8);
      header[0] = 1;
      header.writeUInt32BE(payload.length, 4);
      res.write(Buffer.concat([header, payload]));
    });
    const { watchId } = await service.handlers['containers.logsWatch']({
      container: 'web',
      follow: true,
      timestamps: false,
      tail: 50,
    });
    await waitFor(() => events.some((e) => e.type === 'watch.logs'));
    await engine.close();
    await waitFor(() => events.some((e) => e.type === 'watch.end'));
    const end = events.find((e) => e.type === 'watch.end');
    expect(end).toMatchObject({ watchId, error: { code: 'engine_unreachable' } });
    expect(
      events.filter((e) => e.type === 'watch.logs').flatMap((e) => (e.type === 'watch.logs' ? e.lines : [])),
    ).toEqual([{ stream: 'stdout', text: 'before the crash', time: null }]);
    engine = await startFakeEngine(); // afterEach closes it
  });

  it('an unknown container: not_found, no watch', async () => {
    await expect(service.handlers['containers.statsWatch']({ container: 'ghost' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No container named "ghost".',
    });
    expect(await service.handlers['watches.renew']({ watchIds: [] })).toEqual({ alive: [] });
  });
});
