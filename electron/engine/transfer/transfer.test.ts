/**
 * The save/export file handling against a scripted engine (the real engine is in
 * test/integration/transfer.test.ts): what the engine cannot be made to do on demand — append its
 * error to a save midway, or stall while the user cancels — must still leave no file behind.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../shared/api';
import type { EngineClient, EngineRequest } from '../core/client';
import type { EngineContext } from '../host/context';
import { createFileStore, type FileStore } from '../host/files';
import { JobManager } from '../host/jobs';
import { transferHandlers } from './handlers';

async function imageTar(): Promise<Buffer> {
  const p = pack();
  p.entry({ name: 'c.json' }, '{}');
  p.entry({ name: 'l/layer.tar' }, Buffer.alloc(2000, 1));
  p.entry(
    { name: 'manifest.json' },
    JSON.stringify([{ Config: 'c.json', RepoTags: ['t/x:1'], Layers: ['l/layer.tar'] }]),
  );
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

type StreamAnswer = (req: EngineRequest) => { status: number; stream: Readable };

let dir: string;
let files: FileStore;
let jobs: JobManager;
const requests: EngineRequest[] = [];

function contextWith(answer: StreamAnswer): EngineContext {
  const engine = {
    stream: (req: EngineRequest) => {
      requests.push(req);
      const { status, stream } = answer(req);
      return Promise.resolve({ status, headers: {}, stream });
    },
    json: (req: EngineRequest) => {
      requests.push(req);
      return Promise.resolve({ status: 200, value: [], body: '[]' });
    },
  } as unknown as EngineClient;
  return {
    engineId: 'default',
    endpoint: { kind: 'unix', address: 'unix:///fake.sock', source: 'flag', tls: false },
    env: {},
    homeDir: dir,
    requestTimeoutMs: 1000,
    stallTimeoutMs: 1000,
    engine: () => engine,
    getJson: (path) => Promise.resolve(path.endsWith('/json') && path.startsWith('/images/t') ? { Size: 4096 } : []),
    ping: () => Promise.reject(new Error('unused')),
    jobs,
    history: {} as EngineContext['history'],
    registryAuth: () => Promise.resolve(undefined),
    files,
    secrets: {} as EngineContext['secrets'],
    emit: () => undefined,
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-transfer-unit-'));
  files = createFileStore(dir);
  jobs = new JobManager({ engineId: 'default', emit: () => undefined, progressIntervalMs: 0 });
  requests.length = 0;
});
afterEach(async () => {
  await jobs.close();
  files.close();
  rmSync(dir, { recursive: true, force: true });
});

const out = () => join(dir, 'out');

describe('images.save', () => {
  it('asks the engine for every image in one archive and renames the checked file into place', async () => {
    const tar = await imageTar();
    const handlers = transferHandlers(contextWith(() => ({ status: 200, stream: Readable.from([tar]) })));
    const path = join(dir, 'x.tar');
    const { jobId } = await handlers['images.save']({
      references: ['t/x:1', 't/y:2'],
      compress: false,
      destination: { kind: 'path', path },
    });
    const job: JobInfo = await jobs.settled(jobId);
    expect(job.error).toBeNull();
    expect(job.result).toEqual({ path, downloadId: null, fileName: 'x.tar', bytes: tar.length });
    const get = requests.find((r) => r.path === '/images/get');
    expect(get?.query).toEqual({ names: ['t/x:1', 't/y:2'] });
    expect(readdirSync(dir).filter((name) => !name.startsWith('strata-files-'))).toEqual(['x.tar']);
  });

  it('writes the archive readable by its owner only (0600), like docker save -o', async () => {
    const tar = await imageTar();
    const handlers = transferHandlers(contextWith(() => ({ status: 200, stream: Readable.from([tar]) })));
    const path = join(dir, 'private.tar');
    const job = await jobs.settled(
      (await handlers['images.save']({ references: ['t/x:1'], compress: false, destination: { kind: 'path', path } }))
        .jobId,
    );
    expect(job.state).toBe('done');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that exists unless told to replace it, and leaves it as it was', async () => {
    const tar = await imageTar();
    const handlers = transferHandlers(contextWith(() => ({ status: 200, stream: Readable.from([tar]) })));
    const path = join(dir, 'kept.tar');
    writeFileSync(path, 'the user’s own file');
    await expect(
      handlers['images.save']({ references: ['t/x:1'], compress: false, destination: { kind: 'path', path } }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: `${path} already exists and was left as it is; choose another file name, or confirm that it should be replaced.`,
    });
    expect(readFileSync(path, 'utf8')).toBe('the user’s own file');
    expect(requests).toEqual([]);

    const replaced = await jobs.settled(
      (
        await handlers['images.save']({
          references: ['t/x:1'],
          compress: false,
          destination: { kind: 'path', path, overwrite: true },
        })
      ).jobId,
    );
    expect(replaced.state).toBe('done');
    expect(readFileSync(path).equals(tar)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('never clobbers a file that appeared at the destination while the save ran', async () => {
    const tar = await imageTar();
    const path = join(dir, 'raced.tar');
    const handlers = transferHandlers(
      contextWith(() => {
        writeFileSync(path, 'written meanwhile');
        return { status: 200, stream: Readable.from([tar]) };
      }),
    );
    const job = await jobs.settled(
      (await handlers['images.save']({ references: ['t/x:1'], compress: false, destination: { kind: 'path', path } }))
        .jobId,
    );
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('conflict');
    expect(readFileSync(path, 'utf8')).toBe('written meanwhile');
    expect(readdirSync(dir).filter((name) => name.endsWith('.strata-part'))).toEqual([]);
  });

  it("fails with the engine's words when it appends an error to the tar, and leaves no file", async () => {
    const tar = await imageTar();
    const broken = Buffer.concat([tar.subarray(0, 1536), Buffer.from('{"message":"layer does not exist"}\n')]);
    const handlers = transferHandlers(contextWith(() => ({ status: 200, stream: Readable.from([broken]) })));
    mkdtempSync(out());
    const sub = mkdtempSync(join(dir, 'sub-'));
    const { jobId } = await handlers['images.save']({
      references: ['t/x:1'],
      compress: false,
      destination: { kind: 'path', path: join(sub, 'x.tar') },
    });
    const job = await jobs.settled(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toBe(
      'The engine could not write t/x:1: the engine stopped writing it: layer does not exist; no file was written.',
    );
    expect(readdirSync(sub)).toEqual([]);
  });

  it('cancelling removes the temporary file', async () => {
    const tar = await imageTar();
    const stream = new PassThrough();
    stream.write(tar.subarray(0, 1024));
    const handlers = transferHandlers(contextWith(() => ({ status: 200, stream })));
    const sub = mkdtempSync(join(dir, 'cancel-'));
    const { jobId } = await handlers['images.save']({
      references: ['t/x:1'],
      compress: true,
      destination: { kind: 'path', path: join(sub, 'x.tar.gz') },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(sub)).toHaveLength(1); // the temporary file, being written
    expect(jobs.cancel(jobId)).toBe(true);
    const job = await jobs.settled(jobId);
    expect(job.state).toBe('cancelled');
    expect(readdirSync(sub)).toEqual([]);
  });

  it('offers a download in browser mode', async () => {
    const tar = await imageTar();
    const handlers = transferHandlers(contextWith(() => ({ status: 200, stream: Readable.from([tar]) })));
    const { jobId } = await handlers['images.save']({
      references: ['t/x:1'],
      compress: false,
      destination: { kind: 'download', fileName: 'x.tar' },
    });
    const job = await jobs.settled(jobId);
    const id = String(job.result?.['downloadId']);
    expect(files.download(id)?.fileName).toBe('x.tar');
    expect(existsSync(files.download(id)?.path ?? '')).toBe(true);
  });
});

describe('images.load', () => {
  it('never calls the engine for a file that is not an image archive', async () => {
    const handlers = transferHandlers(contextWith(() => ({ status: 500, stream: Readable.from([]) })));
    const path = join(dir, 'junk.tar');
    writeFileSync(path, 'junk'.repeat(300));
    const { jobId } = await handlers['images.load']({ source: { kind: 'path', path } });
    const job = await jobs.settled(jobId);
    expect(job.error).toEqual({
      code: 'invalid_argument',
      message: 'junk.tar is not a complete image archive (it is not a tar archive); nothing was changed.',
    });
    expect(requests).toEqual([]);
  });

  it('reads an upload once: its staged file is gone when the job ends', async () => {
    const handlers = transferHandlers(contextWith(() => ({ status: 500, stream: Readable.from([]) })));
    const staged = files.newUpload('broken.tar');
    writeFileSync(staged.path, 'junk'.repeat(300));
    const { jobId } = await handlers['images.load']({ source: { kind: 'upload', uploadId: staged.id } });
    const job = await jobs.settled(jobId);
    expect(job.error?.message).toBe(
      'broken.tar is not a complete image archive (it is not a tar archive); nothing was changed.',
    );
    expect(existsSync(staged.path)).toBe(false);
    expect(() => files.upload(staged.id)).toThrow(/upload it again/);
    expect(requests).toEqual([]);
  });

  it('answers not_found for an upload id this session does not know', async () => {
    const handlers = transferHandlers(contextWith(() => ({ status: 500, stream: Readable.from([]) })));
    await expect(handlers['images.load']({ source: { kind: 'upload', uploadId: 'abcdefgh12' } })).rejects.toMatchObject(
      {
        code: 'not_found',
      },
    );
  });
});
