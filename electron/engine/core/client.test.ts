import Docker from 'dockerode';
import { linkSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath } from '../../../shared/reference';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { EngineClient, buildPath } from './client';

let engine: FakeEngine;

beforeEach(async () => {
  engine = await startFakeEngine();
  engine.route('DELETE', /^\/images\//, (_req, res) => json(res, 200, [{ Untagged: 'x:latest' }]));
});
afterEach(async () => {
  await engine.close();
});

function clientFor(socketPath: string, requestTimeoutMs = 2_000): EngineClient {
  return new EngineClient({
    connection: { kind: 'unix', socketPath },
    address: `unix://${socketPath}`,
    requestTimeoutMs,
  });
}

describe('paths reaching the engine', () => {
  it('dockerode puts a name into the path unencoded, so a query can ride along (why Strata has its own client)', async () => {
    const docker = new Docker({ socketPath: engine.socketPath });
    await docker.getImage('x?force=true').remove();
    expect(engine.seen.at(-1)?.url).toBe('/images/x?force=true');
  });

  it('Strata encodes the reference: "?" never becomes a query', async () => {
    const client = clientFor(engine.socketPath);
    try {
      const res = await client.request({
        method: 'DELETE',
        path: `/images/${encodeReferenceForPath('x?force=true')}`,
        query: { force: false },
      });
      expect(res.status).toBe(200);
      const seen = engine.seen.at(-1);
      expect(seen?.url).toBe('/images/x%3Fforce%3Dtrue?force=false');
      expect(new URL(seen?.url ?? '', 'http://e').searchParams.getAll('force')).toEqual(['false']);
    } finally {
      client.close();
    }
  });

  it('refuses a raw path that carries a query or fragment, before sending anything', () => {
    expect(() => buildPath('/images/x?force=true', undefined)).toThrow(StrataError);
    expect(() => buildPath('/images/x#frag', undefined)).toThrow(/unsafe path/);
    expect(() => buildPath('/images/x%zz', undefined)).toThrow(/unsafe path/);
    expect(buildPath('/images/127.0.0.1:5000/lab/app:1.0/json', { a: 1, b: undefined })).toBe(
      '/images/127.0.0.1:5000/lab/app:1.0/json?a=1',
    );
  });
});

describe('why the engine client is not dockerode (the evidence behind docs/ARCHITECTURE.md)', () => {
  it("dockerode's followProgress reports success for a pull whose 200 stream carried an error line", async () => {
    engine.route('POST', /^\/images\/create/, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        '{"status":"Pulling from lab/app"}\n{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\n',
      );
    });
    const docker = new Docker({ socketPath: engine.socketPath });
    const stream = await docker.pull('lab/app:nope');
    const outcome = await new Promise<{ error: unknown; lines: unknown[] }>((resolve) => {
      docker.modem.followProgress(stream, (error: unknown, lines: unknown[]) => resolve({ error, lines }));
    });
    expect(outcome.error).toBeNull();
    expect(outcome.lines).toContainEqual(expect.objectContaining({ error: 'manifest unknown' }));
  });

  it('dockerode sets no request timeout unless told to', () => {
    const docker = new Docker({ socketPath: engine.socketPath });
    expect((docker.modem as unknown as { timeout?: number }).timeout).toBeUndefined();
  });
});

describe('unreachable engines', () => {
  it('names a missing socket', async () => {
    const client = clientFor('/tmp/strata-no-such-dir/x.sock');
    await expect(client.request({ method: 'GET', path: '/_ping' })).rejects.toMatchObject({
      code: 'engine_unreachable',
      message:
        'no Docker engine at unix:///tmp/strata-no-such-dir/x.sock: the socket does not exist; start Docker or set DOCKER_HOST',
    });
  });

  it('names a socket with no listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-stale-'));
    const live = join(dir, 'live.sock');
    const stale = join(dir, 'stale.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(live, resolve));
    linkSync(live, stale); // a socket file that outlives its listener
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = clientFor(stale);
    try {
      await expect(client.request({ method: 'GET', path: '/_ping' })).rejects.toMatchObject({
        code: 'engine_unreachable',
        message: expect.stringMatching(new RegExp(`^nothing is listening at unix://${stale}`)) as unknown,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says "engine not responding" when nothing answers in time', async () => {
    engine.route('GET', '/_ping', () => {
      // never answers
    });
    const client = clientFor(engine.socketPath, 300);
    const started = Date.now();
    await expect(client.request({ method: 'GET', path: '/_ping' })).rejects.toMatchObject({
      code: 'engine_unreachable',
      message: expect.stringMatching(/^engine not responding at unix:\/\/.*no answer in 0\.3 s/) as unknown,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    client.close();
  });

  it('times out a body that starts but never ends', async () => {
    engine.route('GET', '/info', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"Name":');
    });
    const client = clientFor(engine.socketPath, 300);
    await expect(client.request({ method: 'GET', path: '/info' })).rejects.toMatchObject({
      code: 'engine_unreachable',
      message: expect.stringMatching(/^engine not responding/) as unknown,
    });
    client.close();
  });

  it('stops at once when the signal aborts', async () => {
    engine.route('GET', '/_ping', () => undefined);
    const client = clientFor(engine.socketPath, 5_000);
    const controller = new AbortController();
    const pending = client.request({ method: 'GET', path: '/_ping', signal: controller.signal });
    setTimeout(() => controller.abort(new StrataError('cancelled', 'Cancelled: test.')), 50);
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    client.close();
  });
});

describe('a stream that is already open', () => {
  it('ends when the signal aborts, and the engine sees the connection close', async () => {
    let engineSawClose!: () => void;
    const closed = new Promise<void>((resolve) => (engineSawClose = resolve));
    engine.route('GET', '/events', (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"status":"tag"}\n');
      req.socket.once('close', () => engineSawClose());
    });
    const client = clientFor(engine.socketPath, 5_000);
    try {
      const controller = new AbortController();
      const res = await client.stream({ method: 'GET', path: '/events', signal: controller.signal });
      expect(res.status).toBe(200);
      const ended = new Promise<void>((resolve) => res.stream.once('close', () => resolve()));
      controller.abort(new Error('stopped by the test'));
      await ended;
      await closed;
      expect(res.stream.destroyed).toBe(true);
    } finally {
      client.close();
    }
  });
});

describe('an engine that accepts connections and never answers', () => {
  it('lets a request be cancelled while the API version is still being asked (removing such an engine is instant)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-mute-'));
    const socketPath = join(dir, 'mute.sock');
    // Reads (so it sees the client go) but never answers.
    const server = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const client = new EngineClient({
      connection: { kind: 'unix', socketPath },
      address: `unix://${socketPath}`,
      requestTimeoutMs: 10_000,
      negotiate: true,
    });
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = client.request({ method: 'GET', path: '/events', signal: controller.signal });
      setTimeout(() => controller.abort(new Error('stopped by the test')), 100);
      await expect(pending).rejects.toThrow('stopped by the test');
      expect(Date.now() - started).toBeLessThan(2_000);
      // Closing the client ends the version question too: nothing stays open towards that engine.
      const versions = client.apiVersions();
      client.close();
      await expect(versions).rejects.toThrow('The engine service is closed.');
    } finally {
      client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
