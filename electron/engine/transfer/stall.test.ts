/**
 * The idle watchdog of save, export, load and import (core/streamed.ts) against a fake engine over node:http that
 * answers and then goes silent: the job fails with a clear message after the stall timeout, and no temporary file
 * is left behind. Without the watchdog these jobs would wait forever.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { EngineClient } from '../core/client';
import type { EngineContext } from '../host/context';
import { createFileStore, type FileStore } from '../host/files';
import { JobManager } from '../host/jobs';
import { transferHandlers } from './handlers';

const STALL_MS = 300;

async function tarOf(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(entries)) p.entry({ name }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function imageTar(layerBytes = 2000): Promise<Buffer> {
  return tarOf({
    'c.json': '{}',
    'l/layer.tar': Buffer.alloc(layerBytes, 1),
    'manifest.json': JSON.stringify([{ Config: 'c.json', RepoTags: ['t/x:1'], Layers: ['l/layer.tar'] }]),
  });
}

let dir: string;
let fake: FakeEngine;
let client: EngineClient;
let files: FileStore;
let jobs: JobManager;

function context(): EngineContext {
  const endpoint = { kind: 'unix' as const, address: fake.host, source: 'flag' as const, tls: false };
  return {
    engineId: 'default',
    endpoint,
    env: {},
    homeDir: dir,
    requestTimeoutMs: 1_000,
    stallTimeoutMs: STALL_MS,
    engine: () => client,
    getJson: async (path) => (await client.json({ method: 'GET', path })).value,
    ping: async () => {
      const res = await client.request({ method: 'GET', path: '/_ping', unversioned: true });
      return {
        engineId: 'default',
        state: res.status === 200 ? ('connected' as const) : ('unreachable' as const),
        endpoint,
        checkedAt: new Date().toISOString(),
      };
    },
    jobs,
    history: {} as EngineContext['history'],
    registryAuth: () => Promise.resolve(undefined),
    files,
    secrets: {} as EngineContext['secrets'],
    emit: () => undefined,
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-transfer-stall-'));
  fake = await startFakeEngine();
  client = new EngineClient({
    connection: { kind: 'unix', socketPath: fake.socketPath },
    address: fake.host,
    requestTimeoutMs: 1_000,
  });
  files = createFileStore(dir);
  jobs = new JobManager({ engineId: 'default', emit: () => undefined, progressIntervalMs: 0 });
  fake.route('GET', '/_ping', (_req, res) => {
    res.writeHead(200);
    res.end('OK');
  });
  fake.route('GET', /^\/images\/.+\/json$/, (_req, res) => json(res, 200, { Id: 'sha256:1', Size: 4096 }));
  fake.route('GET', '/images/json', (_req, res) => json(res, 200, []));
});
afterEach(async () => {
  await jobs.close();
  files.close();
  client.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The files in `folder` (a .strata-part left behind would show here). */
function left(folder: string): string[] {
  return readdirSync(folder);
}

describe('a download the engine stops sending', () => {
  it('images.save fails after the stall timeout and leaves no .strata-part file', async () => {
    const tar = await imageTar();
    let started = false;
    fake.route('GET', '/images/get', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      res.write(tar.subarray(0, 1024)); // a first part of the archive, then nothing
      started = true;
    });
    const sub = mkdtempSync(join(dir, 'save-'));
    const { jobId } = await transferHandlers(context())['images.save']({
      references: ['t/x:1'],
      compress: false,
      destination: { kind: 'path', path: join(sub, 'x.tar') },
    });
    const job = await jobs.settled(jobId);
    expect(started).toBe(true);
    expect(job.state).toBe('failed');
    expect(job.error).toEqual({
      code: 'engine_error',
      message:
        'The engine sent nothing more of t/x:1 for 0.3 s, so it was stopped; no file was written. Check that Docker is running and not stuck, then try again.',
    });
    expect(left(sub)).toEqual([]);
  });

  it('containers.export fails after the stall timeout and leaves no .strata-part file', async () => {
    const tar = await tarOf({ 'etc/hostname': 'web\n', 'bin/sh': Buffer.alloc(3000, 2) });
    fake.route('GET', '/containers/web/export', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      res.write(tar.subarray(0, 1536));
    });
    const sub = mkdtempSync(join(dir, 'export-'));
    const { jobId } = await transferHandlers(context())['containers.export']({
      container: '/web',
      destination: { kind: 'path', path: join(sub, 'web.tar') },
    });
    const job = await jobs.settled(jobId);
    expect(job.error?.message).toBe(
      'The engine sent nothing more of the filesystem of web for 0.3 s, so it was stopped; no file was written. Check that Docker is running and not stuck, then try again.',
    );
    expect(left(sub)).toEqual([]);
  });

  it('a save that keeps sending is not stopped, however long it takes in all', async () => {
    const tar = await imageTar(8000);
    fake.route('GET', '/images/get', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      // Slower in total than the stall timeout, but never silent for long.
      let at = 0;
      const timer = setInterval(() => {
        res.write(tar.subarray(at, at + 1024));
        at += 1024;
        if (at >= tar.length) {
          clearInterval(timer);
          res.end();
        }
      }, 60);
    });
    const sub = mkdtempSync(join(dir, 'slow-'));
    const path = join(sub, 'x.tar');
    const { jobId } = await transferHandlers(context())['images.save']({
      references: ['t/x:1'],
      compress: false,
      destination: { kind: 'path', path },
    });
    const job = await jobs.settled(jobId);
    expect(job.error).toBeNull();
    expect(job.result).toEqual({ path, downloadId: null, fileName: 'x.tar', bytes: tar.length });
    expect(left(sub)).toEqual(['x.tar']);
  });
});

describe('an upload the engine stops answering', () => {
  it('images.load fails after the stall timeout when the engine answers and then goes silent', async () => {
    const tar = await imageTar();
    const path = join(dir, 'x.tar');
    writeFileSync(path, tar);
    let received = 0;
    fake.route('POST', '/images/load', (req, res) => {
      req.on('data', (chunk: Buffer) => (received += chunk.length));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(`${JSON.stringify({ stream: 'Loading layer 1/1\n' })}\n`);
      });
    });
    const { jobId } = await transferHandlers(context())['images.load']({ source: { kind: 'path', path } });
    const job = await jobs.settled(jobId);
    expect(received).toBe(tar.length);
    expect(job.error).toEqual({
      code: 'engine_error',
      message:
        'The load of x.tar made no progress for 0.3 s, so it was stopped; check that Docker is running and not stuck, then try again.',
    });
    expect(left(dir).filter((name) => name.endsWith('.strata-part'))).toEqual([]);
  });

  it('images.load fails after the stall timeout when the engine stops taking the file', async () => {
    // Larger than the socket buffers, so the upload itself stops when the engine reads nothing.
    const tar = await imageTar(8 * 1024 * 1024);
    const path = join(dir, 'big.tar');
    writeFileSync(path, tar);
    fake.route('POST', '/images/load', (req) => {
      req.pause();
    });
    const { jobId } = await transferHandlers(context())['images.load']({ source: { kind: 'path', path } });
    const job = await jobs.settled(jobId);
    expect(job.error?.message).toBe(
      'The load of big.tar made no progress for 0.3 s, so it was stopped; check that Docker is running and not stuck, then try again.',
    );
  });

  it('images.import fails after the stall timeout when the engine answers and then goes silent', async () => {
    const tar = await tarOf({ 'etc/hostname': 'web\n' });
    const path = join(dir, 'fs.tar');
    writeFileSync(path, tar);
    fake.route('POST', '/images/create', (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(`${JSON.stringify({ status: 'Importing' })}\n`);
      });
    });
    const { jobId } = await transferHandlers(context())['images.import']({
      source: { kind: 'path', path },
      reference: 't/fs:1',
      changes: [],
    });
    const job = await jobs.settled(jobId);
    expect(job.error?.message).toBe(
      'The import of fs.tar made no progress for 0.3 s, so it was stopped; check that Docker is running and not stuck, then try again.',
    );
  });

  it("still reads an error line in a 200 answer as the engine's words", async () => {
    const tar = await imageTar();
    const path = join(dir, 'x.tar');
    writeFileSync(path, tar);
    fake.route('POST', '/images/load', (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`${JSON.stringify({ errorDetail: { message: 'no space left' }, error: 'no space left' })}\n`);
      });
    });
    const { jobId } = await transferHandlers(context())['images.load']({ source: { kind: 'path', path } });
    const job = await jobs.settled(jobId);
    expect(job.error?.message).toBe('The engine could not load x.tar: no space left. No image was tagged by it.');
  });
});
