/**
 * disk.usage, volumes and cleanup against the lab engine. Totals are compared with what the docker CLI prints for the
 * same engine; the labelled cleanup touches only what this file made (label `strata.test.disk=<random>`, names
 * `t-disk-*`). Build cache: the lab CLI has no buildx, so records are made with a BuildKit build through the API
 * (POST /build?version=2 works offline for `FROM scratch` + `COPY`); records carry no labels, so the build cache
 * cleanup runs unfiltered: this file owns all build cache on the lab (the lab's own builds use the classic builder).
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupArgsSchema, type CleanupArgs, type CleanupPlan, type CleanupResult } from '../../shared/api';
import { dockerHumanSize, dockerHumanSizePrecision, reclaimableText } from '../../shared/disk';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { tarArchive } from '../lab/tar';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

const RAND = Math.random().toString(36).slice(2, 10);
const LABEL = `strata.test.disk=${RAND}`;
const P = `t-disk-${RAND}`;

let lab: LabInfo;
let sut: ServiceUnderTest;
let work: string;
const containers: string[] = [];
const volumes: string[] = [];
const images: string[] = [];

const docker = (args: readonly string[]): Promise<string> => labDocker(lab, args);

async function build(name: string, lines: readonly string[], tag: string): Promise<string> {
  writeFileSync(join(work, `${name}.Dockerfile`), lines.join('\n'));
  const out = await docker(['build', '-q', '--rm', '-t', tag, '-f', join(work, `${name}.Dockerfile`), work]);
  images.push(tag);
  return out.trim().split('\n').at(-1) ?? '';
}

/** A BuildKit build through the engine API (leaves build cache records). */
function buildKit(tag: string, payload: string): Promise<string> {
  const context = tarArchive([
    { type: 'file', path: 'Dockerfile', data: 'FROM scratch\nCOPY blob /blob\n' },
    { type: 'file', path: 'blob', data: payload },
  ]);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: lab.socketPath,
        method: 'POST',
        path: `/build?version=2&t=${encodeURIComponent(tag)}`,
        headers: { 'Content-Type': 'application/x-tar', 'Content-Length': String(context.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || !body.includes('moby.image.id')) reject(new Error(`build failed: ${body}`));
          else resolve(body);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(context);
  });
}

async function runCleanup(args: CleanupArgs): Promise<CleanupResult> {
  const { jobId } = await sut.service.handlers['disk.cleanup'](cleanupArgsSchema.parse(args));
  const job = await sut.waitForEnd(jobId, 120_000);
  expect(job.error).toBeNull();
  expect(job.state).toBe('done');
  return job.result as CleanupResult;
}

const preview = (args: CleanupArgs): Promise<CleanupPlan> =>
  sut.service.handlers['disk.cleanupPreview'](cleanupArgsSchema.parse(args));

beforeAll(async () => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
  work = mkdtempSync(join(tmpdir(), 'strata-disk-'));
  writeFileSync(join(work, 'a.txt'), `a ${RAND}\n`);
  writeFileSync(join(work, 'b.txt'), `b ${RAND} ${'x'.repeat(3000)}\n`);
  for (const name of [`${P}-used`, `${P}-free`, `${P}-data`]) {
    await docker(['volume', 'create', '--label', LABEL, name]);
    volumes.push(name);
  }
  // A container (never started) holding `-used`, and a stopped one that wrote into `-data` and its own layer.
  await docker([
    'create',
    '--network',
    'none',
    '--label',
    LABEL,
    '--name',
    `${P}-user`,
    '-v',
    `${P}-used:/u`,
    lab.images.tool,
    'true',
  ]);
  containers.push(`${P}-user`);
  await docker([
    'run',
    '--network',
    'none',
    '--label',
    LABEL,
    '--name',
    `${P}-writer`,
    '-v',
    `${P}-data:/data`,
    lab.images.tool,
    'sh',
    '-c',
    'head -c 5000 /dev/zero > /data/x; head -c 321 /dev/zero > /z',
  ]);
  containers.push(`${P}-writer`);
  // A dangling image (the tag moves to the second build) and an unused tagged one, both labelled.
  await build('one', [`FROM ${lab.images.base}`, `LABEL strata.test.disk=${RAND}`, 'COPY a.txt /a.txt'], `${P}:1`);
  await build('two', [`FROM ${lab.images.base}`, `LABEL strata.test.disk=${RAND}`, 'COPY b.txt /b.txt'], `${P}:1`);
});

afterAll(async () => {
  for (const name of containers) await docker(['rm', '-f', name]).catch(() => undefined);
  for (const name of volumes) await docker(['volume', 'rm', '-f', name]).catch(() => undefined);
  for (const tag of images) await docker(['rmi', '-f', tag]).catch(() => undefined);
  await docker(['image', 'prune', '-f', '--filter', `label=${LABEL}`]).catch(() => undefined);
  await sut.close();
  rmSync(work, { recursive: true, force: true });
});

describe('volumes', () => {
  it('lists volumes with the containers that use them', async () => {
    const list = await sut.service.handlers['volumes.list']({});
    const used = list.find((v) => v.name === `${P}-used`);
    expect(used).toMatchObject({ driver: 'local', anonymous: false, labels: { 'strata.test.disk': RAND } });
    expect(used?.usedBy.map((u) => [u.name, u.state])).toEqual([[`${P}-user`, 'created']]);
    expect(list.find((v) => v.name === `${P}-free`)?.usedBy).toEqual([]);
  });

  it('refuses to remove a volume in use, naming the container, and removes an unused one', async () => {
    await expect(sut.service.handlers['volumes.remove']({ name: `${P}-used` })).rejects.toMatchObject({
      code: 'conflict',
      message: `Volume ${P}-used is in use by container(s) ${P}-user; remove them first.`,
    });
    await expect(sut.service.handlers['volumes.remove']({ name: `${P}-free` })).resolves.toEqual({ name: `${P}-free` });
    expect(await docker(['volume', 'ls', '-q'])).not.toContain(`${P}-free`);
    await expect(sut.service.handlers['volumes.remove']({ name: `${P}-free` })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('disk.usage', () => {
  it('shows the totals `docker system df` prints for the same engine', async () => {
    const usage = await sut.service.handlers['disk.usage']({});
    const cli = (await docker(['system', 'df', '--format', '{{json .}}']))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    const types = { images: 'Images', containers: 'Containers', volumes: 'Local Volumes', buildCache: 'Build Cache' };
    expect(
      usage.totals.map((t) => ({
        Type: types[t.category],
        TotalCount: String(t.count),
        Active: String(t.active),
        Size: dockerHumanSize(t.size),
        Reclaimable: reclaimableText(t),
      })),
    ).toEqual(
      cli.map((row) => ({
        Type: row['Type'],
        TotalCount: row['TotalCount'],
        Active: row['Active'],
        Size: row['Size'],
        Reclaimable: row['Reclaimable'],
      })),
    );
    expect(usage.engineMs).toBeGreaterThanOrEqual(0);
    const data = usage.volumes.find((v) => v.name === `${P}-data`);
    expect(data?.size).toBe(5000);
    expect(data?.usedBy.map((u) => u.name)).toEqual([`${P}-writer`]);
    expect(usage.containers.find((c) => c.name === `${P}-writer`)?.sizeRw).toBe(321);
  });

  it('gives each image the shared and unique sizes of `docker system df -v`', async () => {
    const usage = await sut.service.handlers['disk.usage']({});
    const cli = JSON.parse(await docker(['system', 'df', '-v', '--format', '{{json .}}'])) as {
      Images: { ID: string; Size: string; SharedSize: string; UniqueSize: string; Containers: string }[];
    };
    expect(usage.images.map((i) => i.id).sort()).toEqual(cli.Images.map((i) => i.ID).sort());
    for (const row of cli.Images) {
      const image = usage.images.find((i) => i.id === row.ID);
      expect({
        Size: dockerHumanSizePrecision(image?.size ?? -1, 3),
        SharedSize: dockerHumanSize(image?.sharedSize ?? -1),
        UniqueSize: dockerHumanSize(image?.uniqueSize ?? -1),
        Containers: String(image?.containers),
      }).toEqual({
        Size: row.Size,
        SharedSize: row.SharedSize,
        UniqueSize: row.UniqueSize,
        Containers: row.Containers,
      });
    }
  });
});

describe('cleanup', () => {
  it('refuses volumes with an age filter before any engine call', async () => {
    await expect(preview({ volumes: true, until: '24h', labels: [LABEL] })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('previews a labelled cleanup, and the engine removes exactly that', async () => {
    const args: CleanupArgs = { containers: true, volumes: true, images: 'all', buildCache: true, labels: [LABEL] };
    const plan = await preview(args);
    expect(plan.containers.map((c) => c.name).sort()).toEqual([`${P}-user`, `${P}-writer`]);
    expect(plan.containers.find((c) => c.name === `${P}-writer`)?.size).toBe(321);
    // The volumes of the removed containers go too: the engine prunes volumes after containers.
    expect(plan.volumes).toEqual([
      { name: `${P}-data`, size: 5000 },
      { name: `${P}-used`, size: 0 },
    ]);
    expect(plan.images?.remove.filter((r) => r.deleted).length).toBeGreaterThanOrEqual(2);
    expect(plan.images?.remove.flatMap((r) => r.references)).toEqual([`${P}:1`]);
    expect(plan.buildCache).toEqual([]);
    expect(plan.unknownSizes).toEqual([]);
    expect(plan.bytes.total).toBe(plan.bytes.containers + plan.bytes.volumes + plan.bytes.images);

    const result = await runCleanup(args);
    expect(result.differences).toEqual([]);
    expect(result.containers?.deleted.sort()).toEqual(plan.containers.map((c) => c.id).sort());
    expect(result.containers?.spaceReclaimed).toBe(plan.bytes.containers);
    expect(result.volumes?.deleted.sort()).toEqual(plan.volumes.map((v) => v.name).sort());
    expect(result.volumes?.spaceReclaimed).toBe(plan.bytes.volumes);
    const plannedImages = plan.images?.remove.filter((r) => r.deleted).map((r) => r.imageId) ?? [];
    expect(result.images?.deleted.filter((id) => plannedImages.includes(id)).sort()).toEqual([...plannedImages].sort());
    expect(result.images?.untagged).toEqual([`${P}:1`]);
    expect(result.images?.spaceReclaimed).toBe(plan.bytes.images);
    expect(result.buildCache).toEqual({ deleted: [], spaceReclaimed: 0 });
    expect(result.spaceReclaimed).toBe(plan.bytes.total);

    const left = await docker(['ps', '-a', '--filter', `label=${LABEL}`, '--format', '{{.Names}}']);
    expect(left.trim()).toBe('');
    const leftVolumes = await docker(['volume', 'ls', '-q', '--filter', `label=${LABEL}`]);
    expect(leftVolumes.trim()).toBe('');
    // Nothing of the lab was touched.
    expect(await docker(['ps', '-a', '--format', '{{.Names}}'])).toContain('lab-stopped');
  });

  it('lists build cache records and prunes exactly the previewed ones', async () => {
    await buildKit(`${P}-bk:1`, `blob ${RAND} ${'y'.repeat(20_000)}`);
    images.push(`${P}-bk:1`);
    const usage = await sut.service.handlers['disk.usage']({});
    expect(usage.buildCache.length).toBeGreaterThanOrEqual(2);
    const cacheRow = usage.totals.find((t) => t.category === 'buildCache');
    expect(cacheRow?.count).toBe(usage.buildCache.length);
    expect(cacheRow?.size).toBe(usage.buildCache.filter((r) => !r.shared).reduce((sum, r) => sum + r.size, 0));

    const plan = await preview({ buildCache: true });
    expect(plan.buildCache.length).toBeGreaterThan(0);
    expect(plan.buildCache.every((r) => !r.inUse && !r.shared)).toBe(true);
    const result = await runCleanup({ buildCache: true });
    expect(result.differences).toEqual([]);
    expect(result.buildCache?.deleted.sort()).toEqual(plan.buildCache.map((r) => r.id).sort());
    expect(result.buildCache?.spaceReclaimed).toBe(plan.bytes.buildCache);
    const after = await sut.service.handlers['disk.usage']({});
    expect(after.buildCache.map((r) => r.id)).not.toContain(plan.buildCache[0]?.id);
  });
});
