import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, type JobInfo } from '../../../shared/api';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { fromHosts } from './build';
import { createEngineService, type EngineService } from '../host/service';

const ID = `sha256:${'ab'.repeat(32)}`;

let fake: FakeEngine;
let service: EngineService;
let root: string;
let ends: JobInfo[];

async function tarNames(req: IncomingMessage): Promise<string[]> {
  const names: string[] = [];
  const reader = extract();
  await new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      names.push(header.name);
      stream.on('end', () => next());
      stream.resume();
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
    req.pipe(reader);
  });
  return names;
}

function waitEnd(jobId: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const check = (): void => {
      const job = ends.find((j) => j.id === jobId);
      if (job === undefined) setTimeout(check, 10);
      else resolve(job);
    };
    check();
  });
}

beforeEach(async () => {
  fake = await startFakeEngine();
  root = mkdtempSync(join(tmpdir(), 'strata-build-unit-'));
  mkdirSync(join(root, 'home/.docker'), { recursive: true });
  const auth = Buffer.from('alice:s3cret').toString('base64');
  writeFileSync(
    join(root, 'home/.docker/config.json'),
    JSON.stringify({ auths: { 'registry.example.com': { auth } } }),
  );
  mkdirSync(join(root, 'ctx'));
  writeFileSync(join(root, 'ctx/Dockerfile'), 'FROM registry.example.com/team/base:1 AS b\nFROM b\nRUN true\n');
  writeFileSync(join(root, 'ctx/.dockerignore'), 'skip.txt\n');
  writeFileSync(join(root, 'ctx/skip.txt'), 'x');
  writeFileSync(join(root, 'ctx/app.txt'), 'y');
  ends = [];
  service = createEngineService({
    host: fake.host,
    env: {},
    homeDir: join(root, 'home'),
    stallTimeoutMs: 400,
    watchEvents: false,
  });
  service.onEvent((e) => {
    if (e.type === 'job.end') ends.push(e.job);
  });
});

afterEach(async () => {
  await service.close();
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

const args = (extra: Record<string, unknown> = {}) =>
  api['images.build'].args.parse({ contextPath: join(root, 'ctx'), ...extra });

describe('images.build against a recorded engine', () => {
  it('sends the filtered context, the query with every tag, and the registry auths', async () => {
    let sent: string[] = [];
    fake.route('POST', '/build', async (req, res) => {
      sent = await tarNames(req);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"stream":"Step 1/1 : RUN true\\n"}\n');
      res.end(`{"aux":{"ID":"${ID}"}}\n{"stream":"Successfully built abababababab\\n"}\n`);
    });
    fake.route('GET', /^\/images\/.*\/json$/, (_req, res) => json(res, 200, { Id: ID }));
    const { jobId } = await service.handlers['images.build'](
      args({ tags: ['t/a:1', 't/a:2'], buildArgs: { A: '1' }, target: 'b', pull: true, noCache: true }),
    );
    const job = await waitEnd(jobId);
    expect(job.error).toBeNull();
    expect(job.result).toEqual({ imageId: ID, tags: ['t/a:1', 't/a:2'] });
    expect(sent.sort()).toEqual(['.dockerignore', 'Dockerfile', 'app.txt']);

    const build = fake.seen.find((r) => r.url.startsWith('/build'))!;
    const query = new URL(build.url, 'http://x').searchParams;
    expect(query.getAll('t')).toEqual(['t/a:1', 't/a:2']);
    expect(Object.fromEntries(query)).toMatchObject({
      dockerfile: 'Dockerfile',
      buildargs: '{"A":"1"}',
      target: 'b',
      nocache: 'true',
      pull: 'true',
      rm: 'true',
      forcerm: 'true',
      version: '1',
    });
    expect(build.headers['content-type']).toBe('application/x-tar');
    const config = JSON.parse(
      Buffer.from(String(build.headers['x-registry-config']), 'base64url').toString('utf8'),
    ) as Record<string, { username?: string }>;
    expect(config['registry.example.com']?.username).toBe('alice');
    expect(fake.seen.some((r) => r.url.includes('/tag'))).toBe(false);
  });

  it('fails a build that prints nothing for the stall timeout, naming it', async () => {
    fake.route('POST', '/build', (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"stream":"Step 1/1 : RUN sleep 999\\n"}\n');
      });
    });
    const { jobId } = await service.handlers['images.build'](args({ tags: ['t/slow:1'] }));
    const job = await waitEnd(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/^build stalled: the build of t\/slow:1 printed nothing for 0\.4 s/);
  });

  it('turns an engine refusal into a readable error', async () => {
    fake.route('POST', '/build', (req, res) => {
      req.resume();
      req.on('end', () => json(res, 500, { message: 'failed to reach build target nope in Dockerfile' }));
    });
    const { jobId } = await service.handlers['images.build'](args({ tags: ['t/x:1'] }));
    const job = await waitEnd(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toBe(
      'The engine refused the build of t/x:1 (500): failed to reach build target nope in Dockerfile',
    );
  });

  it('finds the registry hosts of FROM lines, skipping stages, scratch and variables', () => {
    expect(
      fromHosts(
        'FROM --platform=linux/amd64 a.example.com:5000/x/y:1 AS one\nFROM one\nFROM scratch\nFROM ${B}\nFROM alpine',
      ),
    ).toEqual(['a.example.com:5000', 'docker.io']);
  });
});
