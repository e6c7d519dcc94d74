/**
 * images.prunePreview and images.prune against the lab engine: a small family of images made here
 * (classic builder, so intermediates exist), all carrying one unique label; every prune is filtered
 * on that label so nothing else in the lab is touched. The preview must predict exactly what the
 * engine removes and the bytes it reclaims.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PruneArgs, PrunePlan, PruneResult } from '../../shared/api';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { progressOf, serviceOn, type ServiceUnderTest } from './engine-helpers';

const RAND = Math.random().toString(36).slice(2, 10);
const LABEL = `strata-prune-test=${RAND}`;
const REPO = `t-prune-${RAND}`;

let lab: LabInfo;
let sut: ServiceUnderTest;
let work: string;
const containers: string[] = [];
const ids: Record<string, string> = {};

async function build(name: string, lines: readonly string[], tags: readonly string[]): Promise<string> {
  writeFileSync(join(work, `${name}.Dockerfile`), lines.join('\n'));
  const out = await labDocker(lab, [
    'build',
    '-q',
    '--rm',
    '--force-rm',
    ...tags.flatMap((tag) => ['-t', tag]),
    '-f',
    join(work, `${name}.Dockerfile`),
    work,
  ]);
  const id = out.trim().split('\n').at(-1) ?? '';
  expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
  ids[name] = id;
  return id;
}

async function createContainer(image: string, name: string): Promise<void> {
  await labDocker(lab, ['create', '--name', name, image, 'true']);
  containers.push(name);
}

const preview = (args: PruneArgs): Promise<PrunePlan> => sut.service.handlers['images.prunePreview'](args);

async function prune(args: PruneArgs): Promise<PruneResult> {
  const { jobId } = await sut.service.handlers['images.prune'](args);
  const job = await sut.waitForEnd(jobId, 120_000);
  expect(job.error).toBeNull();
  expect(job.state).toBe('done');
  return job.result as PruneResult;
}

async function imageExists(id: string): Promise<boolean> {
  return labDocker(lab, ['image', 'inspect', id]).then(
    () => true,
    () => false,
  );
}

/** Asserts the engine did exactly what the plan said. */
function expectMatches(result: PruneResult): void {
  const plannedDeleted = result.plan.remove.filter((r) => r.deleted).map((r) => r.imageId);
  const plannedUntagged = result.plan.remove.flatMap((r) => r.references);
  const known = new Set([...result.plan.remove, ...result.plan.keep].map((image) => image.imageId));
  expect(result.deleted.filter((id) => known.has(id)).sort()).toEqual([...plannedDeleted].sort());
  expect([...result.untagged].sort()).toEqual([...plannedUntagged].sort());
  expect(result.deleted.filter((id) => !known.has(id))).toHaveLength(result.plan.freedLayers);
  expect(result.spaceReclaimed).toBe(result.plan.reclaimBytes);
  expect(result.differences).toEqual([]);
}

beforeAll(async () => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
  work = mkdtempSync(join(tmpdir(), 'strata-prune-'));
  const from = [`FROM ${lab.images.base}`, `LABEL ${LABEL}`];
  await build('parent', [...from, `RUN echo parent-${RAND} > /parent.txt`], [`${REPO}/parent:1`]);
  await build('child', [`FROM ${REPO}/parent:1`, `RUN echo child-${RAND} > /child.txt`], [`${REPO}/child:1`]);
  await build('dangling', [...from, `RUN head -c 20000 /dev/urandom > /d.bin`], []);
  await build('danglingUsed', [...from, `RUN echo du-${RAND} > /du.txt`], []);
  await build('used', [...from, `RUN echo used-${RAND} > /used.txt`], [`${REPO}/used:1`]);
  await build('multi', [...from, `RUN echo multi-${RAND} > /multi.txt`], [`${REPO}/multi:1`, `${REPO}/multi:2`]);
  await build('excluded', [...from, 'LABEL keep=1', `RUN echo ex-${RAND} > /ex.txt`], [`${REPO}/excluded:1`]);
  await createContainer(ids['danglingUsed'] ?? '', `${REPO}-du`);
  await createContainer(`${REPO}/used:1`, `${REPO}-used`);
  await createContainer(`${REPO}/multi:1`, `${REPO}-multi`);
}, 180_000);

afterAll(async () => {
  for (const name of containers) await labDocker(lab, ['rm', '-f', name]).catch(() => undefined);
  const left = (await labDocker(lab, ['images', '-a', '-q', '--no-trunc', '--filter', `label=${LABEL}`]))
    .split('\n')
    .filter((line) => line !== '');
  for (const id of [...new Set(left)].reverse()) await labDocker(lab, ['rmi', '-f', id]).catch(() => undefined);
  await sut.close();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('prune preview and prune on the lab engine', () => {
  it('until: images created after it are kept, and the engine removes none of them either', async () => {
    const args: PruneArgs = { mode: 'all', until: '1h', labels: [LABEL] };
    const plan = await preview(args);
    expect(plan.remove).toEqual([]);
    const ours = plan.keep.filter((k) => Object.values(ids).includes(k.imageId));
    expect(ours.length).toBe(Object.keys(ids).length);
    for (const image of ours) {
      expect(image.reason).toBe('filtered-out');
      expect(image.detail).toMatch(/^created after /);
    }
    const result = await prune(args);
    expect(result.deleted).toEqual([]);
    expect(result.untagged).toEqual([]);
    expect(result.differences).toEqual([]);
  }, 120_000);

  it('dangling mode: the preview lists the unused dangling image and why every other image stays; the engine agrees', async () => {
    const args: PruneArgs = { mode: 'dangling', labels: [LABEL] };
    const plan = await preview(args);
    const removedIds = plan.remove.filter((r) => r.deleted).map((r) => r.imageId);
    expect(removedIds).toContain(ids['dangling']);
    expect(plan.remove.every((r) => r.references.length === 0)).toBe(true);
    // 20000 random bytes in the dangling image's own layer: freed, nothing else shares it.
    expect(plan.reclaimBytes).toBeGreaterThanOrEqual(20_000);
    expect(plan.freedLayers).toBeGreaterThanOrEqual(1);
    const keep = (id: string | undefined) => plan.keep.find((k) => k.imageId === id);
    expect(keep(ids['danglingUsed'])).toMatchObject({
      reason: 'in-use',
      detail: `used by container ${REPO}-du (created)`,
    });
    expect(keep(ids['used'])).toMatchObject({ reason: 'tagged' });
    expect(keep(ids['parent'])).toMatchObject({ reason: 'has-children', detail: `${REPO}/child:1 is built on it` });
    expect(keep(ids['excluded'])).toMatchObject({ reason: 'tagged' });
    // Other lab images are not selected by the label filter.
    const base = (await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', lab.images.base])).trim();
    expect(plan.keep.find((k) => k.imageId === base)?.reason).toMatch(/has-children|filtered-out/);

    const result = await prune(args);
    expectMatches(result);
    expect(await imageExists(ids['dangling'] ?? '')).toBe(false);
    expect(await imageExists(ids['danglingUsed'] ?? '')).toBe(true);
  }, 120_000);

  it('all mode, with label!: tags and images go as previewed, in-use and excluded images stay', async () => {
    // A Unix timestamp an hour ahead: every image is older.
    const args: PruneArgs = {
      mode: 'all',
      until: String(Math.floor(Date.now() / 1000) + 3600),
      labels: [LABEL, '!keep'],
    };
    const plan = await preview(args);
    const entry = (id: string | undefined) => plan.remove.find((r) => r.imageId === id);
    expect(entry(ids['child'])).toMatchObject({ deleted: true, references: [`${REPO}/child:1`] });
    expect(entry(ids['parent'])).toMatchObject({ deleted: true, references: [`${REPO}/parent:1`] });
    // An image used by a container loses every tag but its last one (the engine's order).
    expect(entry(ids['multi'])).toMatchObject({ deleted: false, references: [`${REPO}/multi:1`] });
    expect(plan.keep.find((k) => k.imageId === ids['used'])).toMatchObject({
      reason: 'in-use',
      references: [`${REPO}/used:1`],
    });
    expect(plan.keep.find((k) => k.imageId === ids['excluded'])).toMatchObject({
      reason: 'filtered-out',
      detail: 'label filter',
    });

    const result = await prune(args);
    expectMatches(result);
    expect(await imageExists(`${REPO}/child:1`)).toBe(false);
    expect(await imageExists(`${REPO}/multi:2`)).toBe(true);
    expect(await imageExists(`${REPO}/multi:1`)).toBe(false);
    expect(await imageExists(`${REPO}/excluded:1`)).toBe(true);
  }, 120_000);

  it('runs two prunes one after the other, never into the engine 409', async () => {
    const args: PruneArgs = { mode: 'dangling', labels: [LABEL] };
    await build('late', [`FROM ${lab.images.base}`, `LABEL ${LABEL}`, `RUN echo late-${RAND} > /late.txt`], []);
    const [a, b] = await Promise.all([
      sut.service.handlers['images.prune'](args),
      sut.service.handlers['images.prune'](args),
    ]);
    const [jobA, jobB] = await Promise.all([sut.waitForEnd(a.jobId, 120_000), sut.waitForEnd(b.jobId, 120_000)]);
    expect([jobA.state, jobB.state]).toEqual(['done', 'done']);
    const first = jobA.result as PruneResult;
    const second = jobB.result as PruneResult;
    expect(first.deleted).toContain(ids['late']);
    expect(first.differences).toEqual([]);
    // The second ran after the first had finished: its preview already saw the image gone.
    expect(second.plan.remove).toEqual([]);
    expect(second.differences).toEqual([]);
    expect(progressOf(sut.events, b.jobId).some((e) => /earlier prune/.test(e.progress.message))).toBe(true);
  }, 120_000);
});
