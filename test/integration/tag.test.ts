/**
 * images.tag, images.removeMany and images.inspect on the lab engine. Works only on images it builds
 * itself (t-tag/…), never retags or removes the seeded ones, and removes what it made in afterAll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StrataError } from '../../shared/errors';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

const unique = `${process.pid}-${Date.now()}`;
const SRC = 't-tag/src:1';
const USED = 't-tag/used:1';
const CONTAINER = `t-tag-c-${unique}`;

let lab: LabInfo;
let sut: ServiceUnderTest;
let dir: string;
const made: string[] = [];

async function build(tag: string, label: string): Promise<void> {
  const context = mkdtempSync(join(dir, 'ctx-'));
  writeFileSync(join(context, 'Dockerfile'), `FROM ${lab.images.base}\nLABEL strata.test.tag="${label}"\n`);
  await labDocker(lab, ['build', '-q', '-t', tag, context]);
  made.push(tag);
}

async function repoTagsOf(reference: string): Promise<string[]> {
  return JSON.parse(
    await labDocker(lab, ['image', 'inspect', '--format', '{{json .RepoTags}}', reference]),
  ) as string[];
}

async function rejection(promise: Promise<unknown>): Promise<StrataError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StrataError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
  dir = mkdtempSync(join(tmpdir(), 't-tag-'));
  await build(SRC, `src-${unique}`);
  await build(USED, `used-${unique}`);
  await labDocker(lab, ['create', '--name', CONTAINER, USED]);
}, 120_000);

afterAll(async () => {
  await labDocker(lab, ['rm', '-f', CONTAINER]).catch(() => '');
  const extra = [`t-tag/x:1`, `t-tag/y:latest`, `${lab.registry}/t-tag/x:1`];
  for (const tag of [...made, ...extra]) await labDocker(lab, ['rmi', '-f', tag]).catch(() => '');
  await sut.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('images.tag on the lab engine', () => {
  it('adds several tags, registry host:port included, and lists them normalised', async () => {
    const remote = `${lab.registry}/t-tag/x:1`;
    const result = await sut.service.handlers['images.tag']({ reference: SRC, tags: ['t-tag/x:1', 't-tag/y', remote] });
    expect(result).toEqual({ reference: SRC, tagged: ['t-tag/x:1', 't-tag/y:latest', remote] });
    expect((await repoTagsOf(SRC)).sort()).toEqual([SRC, 't-tag/x:1', 't-tag/y:latest', remote].sort());
  });

  it('an invalid tag (or a digest) makes zero engine requests and names the problem', async () => {
    const before = sut.requests.length;
    const bad = await rejection(
      sut.service.handlers['images.tag']({ reference: SRC, tags: ['t-tag/ok:1', 'Bad/Name'] }),
    );
    expect(bad.code).toBe('invalid_argument');
    expect(bad.message).toContain('"Bad/Name" is not a valid image reference');
    const digest = await rejection(
      sut.service.handlers['images.tag']({ reference: SRC, tags: [`t-tag/d@sha256:${'0'.repeat(64)}`] }),
    );
    expect(digest.message).toMatch(/digest/);
    expect(sut.requests.length).toBe(before);
    expect(await repoTagsOf(SRC)).not.toContain('t-tag/ok:1');
  });

  it('a missing image: a readable not_found naming it', async () => {
    const error = await rejection(
      sut.service.handlers['images.tag']({ reference: 't-tag/nope:1', tags: ['t-tag/z:1'] }),
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('"t-tag/nope:1"');
  });
});

describe('removing on the lab engine', () => {
  it('by ID an image with several tags: a conflict naming the image and its tag count', async () => {
    const id = (await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', SRC])).trim();
    const [item] = await sut.service.handlers['images.removeMany']({ references: [id] });
    expect(item?.ok).toBe(false);
    if (item?.ok !== false) return;
    expect(item.error.code).toBe('conflict');
    expect(item.error.message).toContain(`"${id}"`);
    expect(item.error.message).toContain('it has 4 tags; remove each tag, or all of them at once');
    expect(item.error.detail).toContain('tag: t-tag/x:1');
    const single = await rejection(sut.service.handlers['images.remove']({ reference: id }));
    expect(single.code).toBe('conflict');
    expect(single.message).toContain('it has 4 tags; remove each tag, or all of them at once');
    expect(await repoTagsOf(SRC)).toHaveLength(4);
  });

  it('removeMany: one item in use fails with its reason, the others still go', async () => {
    const remote = `${lab.registry}/t-tag/x:1`;
    const results = await sut.service.handlers['images.removeMany']({ references: ['t-tag/y:latest', USED, remote] });
    expect(results.map((r) => [r.reference, r.ok])).toEqual([
      ['t-tag/y:latest', true],
      [USED, false],
      [remote, true],
    ]);
    const failed = results[1];
    if (failed?.ok !== false) throw new Error('expected a failure');
    expect(failed.error.code).toBe('conflict');
    expect(failed.error.message).toContain(USED);
    expect(failed.error.message).toMatch(/container .* is using|force/i);
    expect((await repoTagsOf(SRC)).sort()).toEqual([SRC, 't-tag/x:1'].sort());
    expect(await repoTagsOf(USED)).toEqual([USED]);

    const forced = await sut.service.handlers['images.removeMany']({ references: [USED], force: true });
    expect(forced[0]?.ok).toBe(true);
    await expect(repoTagsOf(USED)).rejects.toThrow();
  });
});

describe('images.inspect on the lab engine', () => {
  it('the key fields of lab/app:1.0 match docker inspect', async () => {
    const cli = (
      JSON.parse(await labDocker(lab, ['image', 'inspect', lab.images.app])) as Record<string, unknown>[]
    )[0];
    if (cli === undefined) throw new Error('no inspect');
    const config = cli['Config'] as Record<string, unknown>;
    const details = await sut.service.handlers['images.inspect']({ reference: lab.images.app });
    expect(details.id).toBe(cli['Id']);
    expect([...details.repoTags].sort()).toEqual([...(cli['RepoTags'] as string[])].sort());
    expect(details.architecture).toBe(cli['Architecture']);
    expect(details.os).toBe(cli['Os']);
    expect(details.size).toBe(cli['Size']);
    expect(details.layers).toEqual((cli['RootFS'] as { Layers: string[] }).Layers);
    expect(details.config.cmd).toEqual(config['Cmd']);
    expect(details.config.workingDir).toBe(config['WorkingDir']);
    expect(details.config.env).toEqual(config['Env']);
    expect(details.config.labels).toEqual(config['Labels']);
    expect(details.config.labels['org.opencontainers.image.title']).toBe('Lab app');
    expect(details.raw['Id']).toBe(cli['Id']);
  });
});
