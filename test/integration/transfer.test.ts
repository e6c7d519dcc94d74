/**
 * Save, load, import and export against the lab engine: real tars, checked before they are put in
 * place or sent; failures leave no file and no half-loaded tags. Only images tagged t-transfer/* are
 * made and removed here; the seeded lab images are never touched.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract, pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/api';
import { checkTarFile } from '../../electron/engine/transfer/tarfile';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { progressOf, serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;
let dir: string;
const made = new Set<string>();

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
  dir = mkdtempSync(join(tmpdir(), 'strata-transfer-'));
});
afterAll(async () => {
  for (const tag of made) await labDocker(lab, ['rmi', tag]).catch(() => undefined);
  await sut.close();
  rmSync(dir, { recursive: true, force: true });
});

async function tag(source: string, target: string): Promise<void> {
  await labDocker(lab, ['tag', source, target]);
  made.add(target);
}

async function exists(reference: string): Promise<boolean> {
  return labDocker(lab, ['image', 'inspect', reference]).then(
    () => true,
    () => false,
  );
}

async function finish(jobId: string): Promise<JobInfo> {
  return sut.waitForEnd(jobId, 90_000);
}

async function tarNames(bytes: Buffer): Promise<{ names: string[]; files: Map<string, Buffer> }> {
  const names: string[] = [];
  const files = new Map<string, Buffer>();
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      names.push(entry.header.name);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  ex.end(bytes);
  await done;
  return { names, files };
}

async function makeTar(entries: readonly [string, Buffer | string][]): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of entries) p.entry({ name, mode: 0o755 }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('images.save', () => {
  it('saves two lab images to a path: a valid tar that docker load accepts', async () => {
    const target = join(dir, 'two.tar');
    const { jobId } = await sut.service.handlers['images.save']({
      references: [lab.images.base, lab.images.tool],
      compress: false,
      destination: { kind: 'path', path: target },
    });
    const job = await finish(jobId);
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    expect(job.result).toMatchObject({ path: target, downloadId: null, fileName: 'two.tar' });
    const check = await checkTarFile(target, { image: true });
    const tags = check.manifest?.flatMap((entry) => entry.repoTags);
    expect(tags).toEqual(expect.arrayContaining([lab.images.base, lab.images.tool]));
    expect(readdirSync(dir)).toEqual(['two.tar']);
    const progress = progressOf(sut.events, jobId).map((e) => e.progress);
    const writing = progress.filter((p) => p.message.startsWith('Writing'));
    expect(writing.length).toBeGreaterThan(0);
    const last = writing.at(-1);
    expect(last?.bytes?.current).toBeGreaterThan(0);
    expect(last?.bytes?.total).toBeGreaterThan(0);
    expect(last?.message).toMatch(/^Writing lab\/base:latest, lab\/tool:1\.0: .+ of about .+$/);

    // A copy tag of our own goes through a save, a removal and docker load.
    await tag(lab.images.base, 't-transfer/copy:1');
    const copy = join(dir, 'copy.tar');
    const saved = await finish(
      (
        await sut.service.handlers['images.save']({
          references: ['t-transfer/copy:1'],
          compress: false,
          destination: { kind: 'path', path: copy },
        })
      ).jobId,
    );
    expect(saved.state).toBe('done');
    await labDocker(lab, ['rmi', 't-transfer/copy:1']);
    expect(await exists('t-transfer/copy:1')).toBe(false);
    const out = await labDocker(lab, ['load', '-i', copy]);
    expect(out).toContain('Loaded image: t-transfer/copy:1');
    expect(await exists('t-transfer/copy:1')).toBe(true);
  });

  it('fails for a missing image and leaves no file', async () => {
    const sub = mkdtempSync(join(dir, 'missing-'));
    const { jobId } = await sut.service.handlers['images.save']({
      references: [lab.images.base, 't-transfer/nope:404'],
      compress: false,
      destination: { kind: 'path', path: join(sub, 'x.tar') },
    });
    const job = await finish(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('not_found');
    expect(job.error?.message).toContain('t-transfer/nope:404');
    expect(readdirSync(sub)).toEqual([]);
  });

  it('saves compressed (.tar.gz), and offers a download in browser mode', async () => {
    const { jobId } = await sut.service.handlers['images.save']({
      references: [lab.images.base],
      compress: true,
      destination: { kind: 'download', fileName: 'base.tar.gz' },
    });
    const job = await finish(jobId);
    expect(job.state).toBe('done');
    const downloadId = job.result?.['downloadId'];
    expect(typeof downloadId).toBe('string');
    const staged = sut.service.files.download(String(downloadId));
    expect(staged?.fileName).toBe('base.tar.gz');
    const check = await checkTarFile(staged?.path ?? '', { image: true });
    expect(check.gzip).toBe(true);
    expect(check.manifest?.[0]?.repoTags).toEqual([lab.images.base]);
  });
});

describe('images.load', () => {
  it('refuses a truncated tar before calling the engine, and changes nothing', async () => {
    await tag(lab.images.base, 't-transfer/trunc:1');
    const whole = join(dir, 'whole.tar');
    expect(
      (
        await finish(
          (
            await sut.service.handlers['images.save']({
              references: ['t-transfer/trunc:1'],
              compress: false,
              destination: { kind: 'path', path: whole },
            })
          ).jobId,
        )
      ).state,
    ).toBe('done');
    await labDocker(lab, ['rmi', 't-transfer/trunc:1']);
    const cut = join(dir, 'cut.tar');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const before = await labDocker(lab, ['images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']);
    const requestsBefore = sut.requests.length;
    const job = await finish(
      (await sut.service.handlers['images.load']({ source: { kind: 'path', path: cut } })).jobId,
    );
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('invalid_argument');
    expect(job.error?.message).toMatch(/^cut\.tar is not a complete image archive \(it ends too early/);
    expect(sut.requests.slice(requestsBefore).some((r) => r.path.startsWith('/images/load'))).toBe(false);
    const after = await labDocker(lab, ['images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']);
    expect(after.split('\n').sort()).toEqual(before.split('\n').sort());
    expect(await exists('t-transfer/trunc:1')).toBe(false);
  });

  it('loads a gzip tar and lists what it loaded', async () => {
    await tag(lab.images.base, 't-transfer/gz:1');
    const gz = join(dir, 'gz.tar.gz');
    const saved = await finish(
      (
        await sut.service.handlers['images.save']({
          references: ['t-transfer/gz:1'],
          compress: true,
          destination: { kind: 'path', path: gz },
        })
      ).jobId,
    );
    expect(saved.state).toBe('done');
    await labDocker(lab, ['rmi', 't-transfer/gz:1']);
    const job = await finish((await sut.service.handlers['images.load']({ source: { kind: 'path', path: gz } })).jobId);
    expect(job.error).toBeNull();
    expect(job.result).toEqual({ loaded: ['t-transfer/gz:1'] });
    expect(await exists('t-transfer/gz:1')).toBe(true);
  });

  it('reports an error the engine puts in the body, and removes the tags the load had added', async () => {
    await tag(lab.images.base, 't-transfer/roll:1');
    const good = join(dir, 'roll.tar');
    const saved = await finish(
      (
        await sut.service.handlers['images.save']({
          references: ['t-transfer/roll:1'],
          compress: false,
          destination: { kind: 'path', path: good },
        })
      ).jobId,
    );
    expect(saved.state).toBe('done');
    await labDocker(lab, ['rmi', 't-transfer/roll:1']);
    const { names, files } = await tarNames(readFileSync(good));
    const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '[]') as {
      Config: string;
      RepoTags: string[];
      Layers: string[];
    }[];
    const first = manifest[0];
    if (first === undefined) throw new Error('no manifest entry');
    const broken = [first, { Config: 'broken.json', RepoTags: ['t-transfer/broken:1'], Layers: first.Layers }];
    const entries: [string, Buffer | string][] = names
      .filter((name) => name !== 'manifest.json' && files.get(name) !== undefined && !name.endsWith('/'))
      .map((name) => [name, files.get(name) ?? Buffer.alloc(0)]);
    entries.push(['broken.json', '{"architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": ["sha256:00"]}}']);
    entries.push(['manifest.json', JSON.stringify(broken)]);
    const path = join(dir, 'broken.tar');
    writeFileSync(path, await makeTar(entries));

    const job = await finish((await sut.service.handlers['images.load']({ source: { kind: 'path', path } })).jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('engine_error');
    expect(job.error?.message).toMatch(/^The engine could not load broken\.tar: /);
    expect(job.error?.message).toContain('removed again: t-transfer/roll:1');
    expect(await exists('t-transfer/roll:1')).toBe(false);
    expect(await exists('t-transfer/broken:1')).toBe(false);
    expect(await exists(lab.images.base)).toBe(true);
  });
});

describe('images.import and containers.export', () => {
  it('imports a rootfs tar with a CMD change', async () => {
    const rootfs = join(dir, 'rootfs.tar');
    writeFileSync(rootfs, await makeTar([['hello.txt', 'hello from strata\n']]));
    made.add('t-transfer/imported:1');
    const { jobId } = await sut.service.handlers['images.import']({
      source: { kind: 'path', path: rootfs },
      reference: 't-transfer/imported:1',
      changes: ['CMD ["/hello.txt"]', 'ENV STRATA=1'],
      message: 'imported by a test',
    });
    const job = await finish(jobId);
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({ reference: 't-transfer/imported:1' });
    const inspect = JSON.parse(await labDocker(lab, ['image', 'inspect', 't-transfer/imported:1'])) as {
      Id: string;
      Config: { Cmd: string[]; Env: string[] };
    }[];
    expect(inspect[0]?.Id).toBe(job.result?.['imageId']);
    expect(inspect[0]?.Config.Cmd).toEqual(['/hello.txt']);
    expect(inspect[0]?.Config.Env).toContain('STRATA=1');
  });

  it('refuses to import a file that is not a tar', async () => {
    const junk = join(dir, 'junk.tar');
    writeFileSync(junk, 'this is not a tar'.repeat(100));
    const job = await finish(
      (await sut.service.handlers['images.import']({ source: { kind: 'path', path: junk }, changes: [] })).jobId,
    );
    expect(job.state).toBe('failed');
    expect(job.error?.message).toBe(
      'junk.tar is not a complete tar archive (it is not a tar archive); nothing was changed.',
    );
  });

  it('exports the lab-stopped container: a tar holding bin/busybox', async () => {
    const target = join(dir, 'stopped.tar');
    const job = await finish(
      (
        await sut.service.handlers['containers.export']({
          container: lab.containers.stopped,
          destination: { kind: 'path', path: target },
        })
      ).jobId,
    );
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({ path: target, fileName: 'stopped.tar' });
    const { names } = await tarNames(readFileSync(target));
    expect(names).toContain('bin/busybox');
  });

  it('export of a missing container fails with not_found and leaves no file', async () => {
    const sub = mkdtempSync(join(dir, 'nocontainer-'));
    const job = await finish(
      (
        await sut.service.handlers['containers.export']({
          container: 't-transfer-none',
          destination: { kind: 'path', path: join(sub, 'x.tar') },
        })
      ).jobId,
    );
    expect(job.error?.code).toBe('not_found');
    expect(readdirSync(sub)).toEqual([]);
  });
});
