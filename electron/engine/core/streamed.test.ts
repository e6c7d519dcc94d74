/** The streaming helper against a fake engine over node:http: uploads, the idle watchdog on a raw answer, cancel. */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { EngineClient } from './client';
import { runStreamed, runStreamedRaw, type RawStreamedOperation } from './streamed';

let fake: FakeEngine;
let client: EngineClient;

beforeEach(async () => {
  fake = await startFakeEngine();
  client = new EngineClient({
    connection: { kind: 'unix', socketPath: fake.socketPath },
    address: fake.host,
    requestTimeoutMs: 1_000,
  });
  fake.route('GET', '/_ping', (_req, res) => {
    res.writeHead(200);
    res.end('OK');
  });
});
afterEach(async () => {
  client.close();
  await fake.close();
});

const ctx = () => ({
  engine: () => client,
  ping: async () => {
    const res = await client.request({ method: 'GET', path: '/_ping', unversioned: true });
    return {
      engineId: 'default',
      state: res.status === 200 ? ('connected' as const) : ('unreachable' as const),
      endpoint: { kind: 'unix' as const, address: fake.host, source: 'flag' as const, tls: false },
      checkedAt: new Date().toISOString(),
    };
  },
  requestTimeoutMs: 1_000,
  stallTimeoutMs: 300,
  endpoint: { kind: 'unix' as const, address: fake.host, source: 'flag' as const, tls: false },
});

/** Sends `upload` and copies the raw answer into memory, feeding the watchdog per chunk. */
function operation(signal: AbortSignal, received: Buffer[], sent: number[]): RawStreamedOperation<number> {
  return {
    request: { method: 'POST', path: '/raw' },
    upload: {
      stream: Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(500, 2)]),
      contentType: 'application/x-tar',
      onChunk: (bytes) => sent.push(bytes),
    },
    signal,
    onHttpError: (status) => new StrataError('engine_error', `answered ${status}`),
    stalled: () => new StrataError('engine_error', 'stalled: nothing for 0.3 s'),
    broken: (why) => `the engine ${why}`,
    onBody: async (body, watch) => {
      for await (const chunk of body) {
        watch.tick();
        received.push(chunk as Buffer);
      }
      return received.reduce((sum, chunk) => sum + chunk.length, 0);
    },
  };
}

describe('runStreamedRaw', () => {
  it('sends the upload and reads the whole raw answer', async () => {
    let uploaded = 0;
    fake.route('POST', '/raw', (req, res) => {
      req.on('data', (chunk: Buffer) => (uploaded += chunk.length));
      req.on('end', () => {
        res.writeHead(200);
        res.write(Buffer.alloc(700));
        setTimeout(() => res.end(Buffer.alloc(300)), 100);
      });
    });
    const sent: number[] = [];
    const total = await runStreamedRaw(ctx(), operation(new AbortController().signal, [], sent));
    expect(total).toBe(1000);
    expect(uploaded).toBe(1500);
    expect(sent).toEqual([1000, 500]);
  });

  it('ends as the stall error when the engine stops sending mid-body', async () => {
    fake.route('POST', '/raw', (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200);
        res.write(Buffer.alloc(100)); // and never more
      });
    });
    const received: Buffer[] = [];
    await expect(runStreamedRaw(ctx(), operation(new AbortController().signal, received, []))).rejects.toMatchObject({
      code: 'engine_error',
      message: 'stalled: nothing for 0.3 s',
    });
    expect(received.length).toBeGreaterThan(0);
  });

  it('ends as the stall error when the engine stops taking the upload', async () => {
    fake.route('POST', '/raw', (req) => {
      req.pause(); // reads nothing, answers nothing
    });
    const big = Readable.from(
      (function* () {
        for (let i = 0; i < 10_000; i += 1) yield Buffer.alloc(64 * 1024);
      })(),
    );
    const op = { ...operation(new AbortController().signal, [], []), upload: { stream: big, contentType: 'x' } };
    await expect(runStreamedRaw(ctx(), op)).rejects.toMatchObject({ message: 'stalled: nothing for 0.3 s' });
  });

  it('ends as cancelled when the job is cancelled mid-body', async () => {
    fake.route('POST', '/raw', (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200);
        const timer = setInterval(() => res.write(Buffer.alloc(10)), 20);
        res.on('close', () => clearInterval(timer));
      });
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new StrataError('cancelled', 'Cancelled: raw.')), 150);
    await expect(runStreamedRaw(ctx(), operation(controller.signal, [], []))).rejects.toMatchObject({
      code: 'cancelled',
      message: 'Cancelled: raw.',
    });
  });
});

describe('runStreamed: the idle watchdog is re-armed by every line', () => {
  it('lets a stream run many times the stall timeout while lines keep coming', async () => {
    fake.route('POST', '/lines', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        res.write(`{"status":"line ${sent}"}\n`);
        if (sent === 12) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
    });
    const lines: unknown[] = [];
    const started = Date.now();
    await runStreamed(ctx(), {
      request: { method: 'POST', path: '/lines' },
      signal: new AbortController().signal,
      what: 'test progress',
      onHttpError: (status) => new StrataError('engine_error', `answered ${status}`),
      stalled: () => new StrataError('engine_error', 'stalled: nothing for 0.3 s'),
      broken: (why) => `the engine ${why}`,
      onLine: (line) => {
        lines.push(line);
        return true;
      },
    });
    expect(lines).toHaveLength(12);
    expect(Date.now() - started).toBeGreaterThan(3 * 300);
  });
});
