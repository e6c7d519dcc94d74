/**
 * The service over a recorded-response engine (a unix-socket HTTP server): the cases the lab
 * cannot produce on demand. The real engine is exercised in test/integration/engine*.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobInfo, StrataEvent } from '../../../shared/api';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { createEngineService, stallTimeoutFromEnv, type EngineService, type EngineServiceOptions } from './service';

const fixtures = join(__dirname, '../../../test/fixtures/engine');
let engine: FakeEngine;
let home: string;
let service: EngineService;
let events: StrataEvent[];

function start(options: Partial<EngineServiceOptions> = {}): EngineService {
  events = [];
  service = createEngineService({
    host: engine.host,
    env: {},
    homeDir: home,
    requestTimeoutMs: 2_000,
    watchEvents: false,
    ...options,
  });
  service.onEvent((e) => events.push(e));
  return service;
}

function streamLines(res: ServerResponse, lines: readonly string[], holdOpen = false): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  for (const line of lines) res.write(`${line}\r\n`);
  if (!holdOpen) res.end();
}

async function ended(jobId: string): Promise<JobInfo> {
  for (;;) {
    const found = events.find((e) => e.type === 'job.end' && e.job.id === jobId);
    if (found?.type === 'job.end') return found.job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  engine = await startFakeEngine();
  home = mkdtempSync(join(tmpdir(), 'strata-home-'));
  engine.route('GET', '/_ping', (_req, res) => {
    res.writeHead(200, { 'Api-Version': '1.41', Server: 'Docker/20.10.24+dfsg1 (linux)' });
    res.end('OK');
  });
});
afterEach(async () => {
  await service.close();
  await engine.close();
  rmSync(home, { recursive: true, force: true });
});

describe('images.list', () => {
  it('counts containers per image from /containers/json?all=1 and shows dangling images without tags', async () => {
    engine.route('GET', '/images/json', (_req, res) =>
      json(res, 200, [
        {
          Id: 'sha256:aaa',
          ParentId: '',
          RepoTags: ['lab/app:1.0', 'lab/app:latest'],
          RepoDigests: [],
          Created: 1,
          Size: 10,
          SharedSize: -1,
          Containers: -1,
          Labels: null,
        },
        {
          Id: 'sha256:bbb',
          ParentId: '',
          RepoTags: ['<none>:<none>'],
          RepoDigests: ['<none>@<none>'],
          Created: 2,
          Size: 5,
          SharedSize: -1,
          Containers: -1,
          Labels: { a: 'b' },
        },
      ]),
    );
    engine.route('GET', '/containers/json', (_req, res) =>
      json(res, 200, [{ ImageID: 'sha256:aaa' }, { ImageID: 'sha256:aaa' }, { ImageID: 'sha256:ccc' }]),
    );
    const images = await start().handlers['images.list']({});
    expect(images.map((i) => [i.id, i.repoTags, i.containers])).toEqual([
      ['sha256:aaa', ['lab/app:1.0', 'lab/app:latest'], 2],
      ['sha256:bbb', [], 0],
    ]);
    expect(images[1]?.labels).toEqual({ a: 'b' });
    expect(engine.seen.map((r) => r.url).sort()).toEqual(['/containers/json?all=1', '/images/json']);
  });
});

describe('images.pull', () => {
  it('fails on an error line inside a 200 stream, with the registry status in words', async () => {
    engine.route('POST', '/images/create', (_req, res) =>
      streamLines(res, [
        '{"status":"Pulling from team/app","id":"1.0"}',
        '{"status":"Pulling fs layer","progressDetail":{},"id":"abc"}',
        '{"errorDetail":{"message":"received unexpected HTTP status: 500 Internal Server Error"},"error":"received unexpected HTTP status: 500 Internal Server Error"}',
      ]),
    );
    const { jobId } = await start().handlers['images.pull']({ reference: 'registry.example/team/app:1.0' });
    const job = await ended(jobId);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({
      code: 'engine_error',
      message: expect.stringMatching(
        /^the registry answered 500 while pulling registry\.example\/team\/app:1\.0/,
      ) as unknown,
    });
    expect(engine.seen.filter((r) => r.url.includes('/json')).length).toBe(0); // no inspect after a failure
    const pull = engine.seen.find((r) => r.method === 'POST');
    expect(pull?.url).toBe('/images/create?fromImage=registry.example%2Fteam%2Fapp&tag=1.0');
  });

  it('a malformed line fails the job, not the process, and the service keeps answering', async () => {
    engine.route('POST', '/images/create', (_req, res) =>
      streamLines(res, ['{"status":"Pulling from team/app","id":"1.0"}', '<html>proxy error</html>']),
    );
    engine.route('GET', '/images/json', (_req, res) => json(res, 200, []));
    engine.route('GET', '/containers/json', (_req, res) => json(res, 200, []));
    const { jobId } = await start().handlers['images.pull']({ reference: 'team/app:1.0' });
    const job = await ended(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('engine_error');
    expect(job.error?.message).toMatch(/malformed pull progress stream .*line 2/);
    await expect(service.handlers['images.list']({})).resolves.toEqual([]);
  });

  it('is done only when the image then inspects, whatever the stream said', async () => {
    engine.route('POST', '/images/create', (_req, res) => {
      res.end(readFileSync(join(fixtures, 'pull-small.ndjson')));
    });
    engine.route('GET', /^\/images\/.*\/json$/, (_req, res) => json(res, 404, { message: 'No such image' }));
    const { jobId } = await start().handlers['images.pull']({ reference: '127.0.0.1:5000/lab/remote:1.0' });
    const job = await ended(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(
      /ended the pull of 127\.0\.0\.1:5000\/lab\/remote:1\.0 without an error, but the image is not there/,
    );
  });

  it('replays a recorded pull into throttled progress events and a done job', async () => {
    engine.route('POST', '/images/create', (_req, res) => {
      res.end(readFileSync(join(fixtures, 'pull-big.ndjson')));
    });
    engine.route('GET', '/images/127.0.0.1:5000/lab/big:1.0/json', (_req, res) => json(res, 200, { Id: 'sha256:big' }));
    const { jobId } = await start().handlers['images.pull']({ reference: '127.0.0.1:5000/lab/big:1.0' });
    const job = await ended(jobId);
    expect(job).toMatchObject({
      state: 'done',
      result: { imageId: 'sha256:big', reference: '127.0.0.1:5000/lab/big:1.0' },
    });
    const progress = events.filter((e) => e.type === 'job.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(50); // 50 lines in, throttled out
  });

  it('stops a pull that makes no progress with "registry stalled"', async () => {
    engine.route('POST', '/images/create', (_req, res) =>
      streamLines(
        res,
        [
          '{"status":"Pulling fs layer","progressDetail":{},"id":"abc"}',
          '{"status":"Downloading","progressDetail":{"current":10,"total":100},"id":"abc"}',
        ],
        true,
      ),
    );
    const started = Date.now();
    const { jobId } = await start({ stallTimeoutMs: 300 }).handlers['images.pull']({ reference: 'team/app:1.0' });
    const job = await ended(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('registry_stalled');
    expect(job.error?.message).toMatch(/^registry stalled: the pull of team\/app:1\.0 made no progress for 0\.3 s/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('takes the stall timeout from STRATA_STALL_TIMEOUT_MS, and ignores a value that is not a sane number', async () => {
    expect(stallTimeoutFromEnv({ STRATA_STALL_TIMEOUT_MS: '300' })).toBe(300);
    for (const bad of ['', '0', '50', 'abc', '1e3', '-500', '999999999', '300ms']) {
      expect(stallTimeoutFromEnv({ STRATA_STALL_TIMEOUT_MS: bad }), bad).toBeUndefined();
    }
    engine.route('POST', '/images/create', (_req, res) =>
      streamLines(res, ['{"status":"Pulling fs layer","progressDetail":{},"id":"abc"}'], true),
    );
    const { jobId } = await start({ env: { STRATA_STALL_TIMEOUT_MS: '300' } }).handlers['images.pull']({
      reference: 'team/app:1.0',
    });
    const job = await ended(jobId);
    expect(job.error?.message).toMatch(/made no progress for 0\.3 s/);
  });

  it('a registry that stalls before the first line is "registry stalled" too, not the engine', async () => {
    engine.route('POST', '/images/create', () => {
      // The engine waits for the registry's manifest: no headers yet.
    });
    const { jobId } = await start({ stallTimeoutMs: 300 }).handlers['images.pull']({ reference: 'team/app:1.0' });
    const job = await ended(jobId);
    expect(job.error?.code).toBe('registry_stalled');
  });

  it('an engine that stops answering mid-pull is "engine not responding", not a stalled registry', async () => {
    engine.route('POST', '/images/create', (_req, res) =>
      streamLines(res, ['{"status":"Pulling fs layer","progressDetail":{},"id":"abc"}'], true),
    );
    start({ stallTimeoutMs: 300, requestTimeoutMs: 300 });
    await service.handlers['engine.ping']({});
    engine.route('GET', '/_ping', () => undefined); // from now on, the engine is stuck
    const { jobId } = await service.handlers['images.pull']({ reference: 'team/app:1.0' });
    const job = await ended(jobId);
    expect(job.error?.code).toBe('engine_unreachable');
    expect(job.error?.message).toMatch(/^engine not responding at unix:\/\//);
  });

  it('sends credentials from config.json auths for the registry of the reference, and none to others', async () => {
    const configDir = join(home, '.docker');
    mkdirSync(configDir);
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({ auths: { 'registry.example': { auth: Buffer.from('me:secret').toString('base64') } } }),
    );
    engine.route('POST', '/images/create', (_req, res) => json(res, 404, { message: 'manifest unknown' }));
    start();
    const first = await service.handlers['images.pull']({ reference: 'registry.example/team/app:1.0' });
    await ended(first.jobId);
    const second = await service.handlers['images.pull']({ reference: 'other.example/team/app:1.0' });
    await ended(second.jobId);
    const [withAuth, without] = engine.seen.filter((r) => r.method === 'POST');
    const header = withAuth?.headers['x-registry-auth'];
    expect(typeof header).toBe('string');
    expect(JSON.parse(Buffer.from(String(header), 'base64url').toString('utf8'))).toEqual({
      username: 'me',
      password: 'secret',
      serveraddress: 'registry.example',
    });
    expect(without?.headers['x-registry-auth']).toBeUndefined();
  });
});

describe('bad input', () => {
  it('refuses to pull an image ID, and any invalid reference, without a request', async () => {
    start();
    await expect(service.handlers['images.pull']({ reference: `sha256:${'a'.repeat(64)}` })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/is an image ID, which cannot be pulled/) as unknown,
    });
    await expect(service.handlers['images.remove']({ reference: 'x?force=true', force: false })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    expect(engine.seen).toEqual([]);
  });
});

describe('engine.status events', () => {
  it('are sent when calls find the engine reachable, then unreachable', async () => {
    engine.route('GET', '/version', (_req, res) => json(res, 200, { Version: '20.10.24+dfsg1', ApiVersion: '1.41' }));
    start();
    const status = await service.handlers['engine.ping']({});
    expect(status).toMatchObject({ state: 'connected', serverVersion: '20.10.24+dfsg1', apiVersion: '1.41' });
    await service.handlers['engine.ping']({});
    await engine.close();
    engine = await startFakeEngine(); // a fresh one elsewhere, so afterEach can close it
    const down = await service.handlers['engine.ping']({});
    expect(down.state).toBe('unreachable');
    expect(down.error?.message).toMatch(/^no Docker engine at unix:\/\/.*the socket does not exist/);
    const statuses = events.flatMap((e) => (e.type === 'engine.status' ? [e.status.state] : []));
    expect(statuses).toEqual(['connected', 'unreachable']); // one per change, not one per call
  });
});
