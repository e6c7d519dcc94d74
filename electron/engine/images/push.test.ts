import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobInfo, StrataEvent } from '../../../shared/api';
import { startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { readNdjson } from '../core/ndjson';
import { pushError } from '../core/errors';
import { initialPushState, reducePush, toPushProgress, type PushState } from './push';
import { createEngineService, type EngineService } from '../host/service';

const fixtures = join(__dirname, '../../../test/fixtures/engine');
const REGISTRY = '127.0.0.1:45713';

/** Replays a recorded engine stream in small chunks, as the socket would deliver it. */
async function replay(file: string, reference: string): Promise<PushState[]> {
  const bytes = readFileSync(join(fixtures, file));
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 29) chunks.push(bytes.subarray(i, i + 29));
  const states: PushState[] = [];
  let state = initialPushState(reference);
  for await (const line of readNdjson(Readable.from(chunks))) {
    state = reducePush(state, line);
    states.push(state);
  }
  return states;
}

describe('push progress from recorded engine streams', () => {
  it('tracks each layer (pushed, mounted), moves forward only, and ends at 1 with the digest', async () => {
    const states = await replay('push-app.ndjson', `${REGISTRY}/t-probe/app:1`);
    const last = states.at(-1)!;
    const progress = toPushProgress(last);
    expect(progress.layers.map((l) => [l.id, l.status, l.done])).toEqual([
      ['51a29e3f7432', 'Pushed', true],
      ['f8b9899dd72f', 'Mounted from t-probe/base', true],
    ]);
    expect(progress.fraction).toBe(1);
    expect(last.digest).toBe('sha256:5cd0076844d75000d17e987580972de01e0d4e3bd5da1b773abc257186ed767f');
    expect(last.size).toBe(735);
    expect(last.error).toBeUndefined();
    expect(progress.message).toBe(`Pushed ${REGISTRY}/t-probe/app:1 (1 of 2 layers uploaded, 1 already there)`);

    // While bytes go up: per-layer bytes (never a current above the total), message, fraction below 1.
    const pushing = states.find((s) => s.layers.get('51a29e3f7432')?.status === 'Pushing')!;
    const layer = toPushProgress(pushing).layers.find((l) => l.id === '51a29e3f7432')!;
    expect(layer.current).toBe(512);
    expect(layer.total).toBeGreaterThanOrEqual(layer.current);
    expect(toPushProgress(pushing).message).toMatch(/^Pushing 2 of 2 layers \(512 B \/ 512 B\)$/);
    expect(pushing.shownFraction).toBeLessThan(1);

    const fractions = states.map((s) => s.shownFraction).filter((f): f is number => f !== null);
    expect(fractions.length).toBeGreaterThan(2);
    for (let i = 1; i < fractions.length; i += 1) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
    for (const s of states.filter((x) => x.digest === undefined)) expect(s.shownFraction ?? 0).toBeLessThan(1);
  });

  it('counts a layer the registry already has as done', async () => {
    const states = await replay('push-exists.ndjson', `${REGISTRY}/t-probe/base:1`);
    const beforeDigest = states.find((s) => s.layers.get('f8b9899dd72f')?.status === 'Layer already exists')!;
    expect(toPushProgress(beforeDigest).layers).toEqual([
      { id: 'f8b9899dd72f', status: 'Layer already exists', current: 0, total: 0, done: true },
    ]);
    expect(beforeDigest.shownFraction).toBe(0.99);
    expect(beforeDigest.lastMessage).toBe('All 1 layers in the registry; writing the manifest');
    const last = states.at(-1)!;
    expect(last.digest).toBe('sha256:4d4c9ee3173f8c311b9835d2042b9c7c3436bec3a27026e88ef1d21cd36b49d7');
    expect(toPushProgress(last).fraction).toBe(1);
  });

  it('records the error line of a 200 stream (the tag does not exist locally)', async () => {
    const reference = `${REGISTRY}/t-probe/nothere:latest`;
    const states = await replay('push-missing.ndjson', reference);
    const last = states.at(-1)!;
    expect(last.error).toBe(`An image does not exist locally with the tag: ${REGISTRY}/t-probe/nothere`);
    expect(last.digest).toBeUndefined();
    expect(last.lastMessage).toBe(`Failed: An image does not exist locally with the tag: ${REGISTRY}/t-probe/nothere`);
    const error = pushError(last.error!, reference, REGISTRY);
    expect(error.code).toBe('not_found');
    expect(error.message).toBe(`There is no local image ${reference} to push; tag an image as ${reference} first.`);
  });
});

describe('push errors', () => {
  it('says what each failure means and what to do', async () => {
    const lastError = async (file: string, ref: string) => (await replay(file, ref)).at(-1)!.error!;

    const missingTag = pushError(
      await lastError('push-missing-tag.ndjson', `${REGISTRY}/t-probe/base:2`),
      `${REGISTRY}/t-probe/base:2`,
      REGISTRY,
    );
    expect(missingTag.code).toBe('not_found');
    expect(missingTag.message).toContain(`There is no local image ${REGISTRY}/t-probe/base:2 to push`);

    const closed = pushError(
      await lastError('push-closed-port.ndjson', '127.0.0.1:1/t/app:1'),
      '127.0.0.1:1/t/app:1',
      '127.0.0.1:1',
    );
    expect(closed.code).toBe('engine_error');
    expect(closed.message).toBe(
      'The engine could not reach the registry 127.0.0.1:1 to push 127.0.0.1:1/t/app:1; check that the registry is running and reachable from the engine, then push again.',
    );
    expect(closed.detail).toContain('connection refused');

    const hub = pushError(await lastError('push-hub-offline.ndjson', 't-probe/hub:1'), 't-probe/hub:1', undefined);
    expect(hub.code).toBe('engine_error');
    expect(hub.message).toContain('could not find the registry Docker Hub (docker.io) to push t-probe/hub:1');
    expect(hub.message).toContain('no internet connection or DNS');

    const denied = pushError(
      'denied: requested access to the resource is denied',
      'registry.example.com/team/app:v1',
      'registry.example.com',
    );
    expect(denied.code).toBe('registry_unauthorized');
    expect(denied.message).toContain('registry.example.com/team/app:v1');
    expect(denied.message).toContain('log in to registry.example.com');
    const unauthorized = pushError('unauthorized: authentication required', 'team/app:v1', undefined);
    expect(unauthorized.message).toContain('log in to docker.io');
  });
});

describe('images.push on a recorded engine', () => {
  let engine: FakeEngine;
  let home: string;
  let service: EngineService;
  let events: StrataEvent[];

  const streamLines = (res: ServerResponse, text: string, holdOpen = false): void => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(text);
    if (!holdOpen) res.end();
  };
  const ended = async (jobId: string): Promise<JobInfo> => {
    for (;;) {
      const found = events.find((e) => e.type === 'job.end' && e.job.id === jobId);
      if (found?.type === 'job.end') return found.job;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeEach(async () => {
    engine = await startFakeEngine();
    home = mkdtempSync(join(tmpdir(), 'strata-home-'));
    engine.route('GET', '/_ping', (_req, res) => {
      res.writeHead(200, { 'Api-Version': '1.41' });
      res.end('OK');
    });
    events = [];
    service = createEngineService({
      watchEvents: false,
      host: engine.host,
      env: {},
      homeDir: home,
      requestTimeoutMs: 2_000,
      stallTimeoutMs: 300,
      progressIntervalMs: 0,
    });
    service.onEvent((e) => events.push(e));
  });
  afterEach(async () => {
    await service.close();
    await engine.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('posts to /images/{name}/push?tag= with an anonymous X-Registry-Auth and ends with the digest', async () => {
    const recorded = readFileSync(join(fixtures, 'push-app.ndjson'), 'utf8');
    engine.route('POST', `/images/${REGISTRY}/t-probe/app/push`, (_req, res) => streamLines(res, recorded));
    const { jobId } = await service.handlers['images.push']({ reference: `${REGISTRY}/t-probe/app:1` });
    const job = await ended(jobId);
    expect(job.state).toBe('done');
    expect(job.kind).toBe('push');
    expect(job.result).toEqual({
      reference: `${REGISTRY}/t-probe/app:1`,
      digest: 'sha256:5cd0076844d75000d17e987580972de01e0d4e3bd5da1b773abc257186ed767f',
      size: 735,
    });
    const push = engine.seen.find((r) => r.method === 'POST')!;
    expect(push.url).toBe(`/images/${REGISTRY}/t-probe/app/push?tag=1`);
    expect(push.headers['x-registry-auth']).toBe(Buffer.from('{}').toString('base64url'));
    const layered = events.filter((e) => e.type === 'job.progress' && e.progress.layers.length === 2);
    expect(layered.length).toBeGreaterThan(0);
  });

  it('pushes latest when the reference has no tag, and fails with the readable not_found message', async () => {
    const recorded = readFileSync(join(fixtures, 'push-missing.ndjson'), 'utf8');
    engine.route('POST', `/images/${REGISTRY}/t-probe/nothere/push`, (_req, res) => streamLines(res, recorded));
    const { jobId } = await service.handlers['images.push']({ reference: `${REGISTRY}/t-probe/nothere` });
    const job = await ended(jobId);
    expect(engine.seen.find((r) => r.method === 'POST')?.url).toBe(
      `/images/${REGISTRY}/t-probe/nothere/push?tag=latest`,
    );
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('not_found');
    expect(job.error?.message).toBe(
      `There is no local image ${REGISTRY}/t-probe/nothere:latest to push; tag an image as ${REGISTRY}/t-probe/nothere:latest first.`,
    );
  });

  it('stops a push that makes no progress and says the registry stalled', async () => {
    engine.route('POST', `/images/${REGISTRY}/t-probe/app/push`, (_req, res) =>
      streamLines(res, '{"status":"The push refers to repository [x]"}\r\n{"status":"Preparing","id":"aaa"}\r\n', true),
    );
    const { jobId } = await service.handlers['images.push']({ reference: `${REGISTRY}/t-probe/app:1` });
    const job = await ended(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('registry_stalled');
    expect(job.error?.message).toContain(`the push of ${REGISTRY}/t-probe/app:1 to ${REGISTRY} made no progress`);
  });

  it('refuses an image ID or a digest before calling the engine', async () => {
    await expect(service.handlers['images.push']({ reference: `sha256:${'a'.repeat(64)}` })).rejects.toThrow(
      /only a tag can be pushed/,
    );
    await expect(
      service.handlers['images.push']({ reference: `${REGISTRY}/x/y@sha256:${'b'.repeat(64)}` }),
    ).rejects.toThrow(/only a tag can be pushed/);
    expect(engine.seen.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
