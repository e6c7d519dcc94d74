/**
 * images.build against the lab engine (classic builder): a context with .dockerignore, build args,
 * live steps, a failing RUN, cancel, a target stage, and a wrong context rejected before any engine call.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ArgsOf, type JobInfo } from '../../shared/api';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { progressOf, serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;
let root: string;
const unique = `${process.pid}-${Date.now().toString(36)}`;
const TAG = `t-build/app:${unique}`;
const TAG2 = `t-build/app:extra-${unique}`;
const FAIL_TAG = `t-build/fail:${unique}`;
const CANCEL_TAG = `t-build/cancel:${unique}`;
const STAGE_TAG = `t-build/stage:${unique}`;
const STALL_TAG = `t-build/stall:${unique}`;

function context(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function build(args: ArgsOf<'images.build'>): Promise<{ job: JobInfo; jobId: string }> {
  const { jobId } = await sut.service.handlers['images.build'](api['images.build'].args.parse(args));
  const job = await sut.waitForEnd(jobId, 110_000);
  return { job, jobId };
}

/** IDs of every container on the lab engine. */
async function containerIds(): Promise<string[]> {
  const out = await labDocker(lab, ['ps', '-a', '-q', '--no-trunc']);
  return out.split('\n').filter((l) => l.trim() !== '');
}

async function imageExists(reference: string): Promise<boolean> {
  try {
    await labDocker(lab, ['image', 'inspect', reference]);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
  root = mkdtempSync(join(tmpdir(), 'strata-build-'));
});

afterAll(async () => {
  await sut.close();
  for (const tag of [TAG, TAG2, FAIL_TAG, CANCEL_TAG, STAGE_TAG, STALL_TAG]) {
    await labDocker(lab, ['image', 'rm', '-f', tag]).catch(() => undefined);
  }
  rmSync(root, { recursive: true, force: true });
});

describe('images.build', () => {
  it('builds a context with a build arg; .dockerignore keeps a file out; the log has the steps', async () => {
    const dir = context('ok', {
      Dockerfile: [
        `FROM ${lab.images.base}`,
        'ARG GREETING=none',
        `LABEL strata.test=build-${unique}`,
        'COPY . /ctx/',
        'RUN echo "greeting=$GREETING" > /ctx/greeting.txt && echo built-with-$GREETING',
        '',
      ].join('\n'),
      '.dockerignore': 'secret.txt\n**/*.log\n',
      'keep.txt': 'kept',
      'secret.txt': 'must not be sent',
      'sub/deep.log': 'ignored too',
      'sub/ok.txt': 'kept too',
    });
    const { job, jobId } = await build({
      contextPath: dir,
      tags: [TAG, TAG2],
      buildArgs: { GREETING: 'hello' },
    });
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    const result = api['images.build'].result; // job started; the result is in the job
    void result;
    expect(job.result?.['tags']).toEqual([TAG, TAG2]);
    const imageId = String(job.result?.['imageId']);
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const inspectedId = (await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', TAG])).trim();
    expect(inspectedId).toBe(imageId);
    expect((await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', TAG2])).trim()).toBe(imageId);

    const listing = await labDocker(lab, ['run', '--rm', '--network', 'none', TAG, 'ls', '-a', '/ctx', '/ctx/sub']);
    expect(listing).toContain('keep.txt');
    expect(listing).toContain('ok.txt');
    expect(listing).not.toContain('secret.txt');
    expect(listing).not.toContain('deep.log');
    const greeting = await labDocker(lab, ['run', '--rm', '--network', 'none', TAG, 'cat', '/ctx/greeting.txt']);
    expect(greeting.trim()).toBe('greeting=hello');

    const steps = job.progress.build?.steps ?? [];
    expect(steps.map((s) => `${s.number}/${s.total}`)).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
    expect(steps[4]?.instruction).toMatch(/^RUN echo/);
    expect(steps.every((s) => s.state === 'done')).toBe(true);
    expect(steps[4]?.lines.join('\n')).toContain('built-with-hello');
    // The log streamed live: progress events saw a step running before the end.
    const live = progressOf(sut.events, jobId).some((e) => e.progress.build?.steps.some((s) => s.state === 'running'));
    expect(live).toBe(true);
  });

  it('a failing RUN fails the job at that step, with the engine error', async () => {
    const dir = context('fail', {
      // No step commits an image before the failure, so nothing untagged is left behind.
      Dockerfile: `FROM ${lab.images.base}\nRUN echo about-to-fail && exit 3\nRUN echo never\n`,
    });
    const { job } = await build({ contextPath: dir, tags: [FAIL_TAG] });
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/failed at step 2\/3 \(RUN echo about-to-fail && exit 3\)/);
    expect(job.error?.message).toMatch(/non-zero code: 3/);
    const build_ = job.progress.build;
    expect(build_?.failedStep).toBe(1);
    expect(build_?.steps.map((s) => s.state)).toEqual(['done', 'failed']);
    expect(build_?.steps[1]?.lines.join('\n')).toContain('about-to-fail');
    expect(await imageExists(FAIL_TAG)).toBe(false);
  });

  it('cancel stops a build; nothing is tagged', async () => {
    const dir = context('cancel', { Dockerfile: `FROM ${lab.images.base}\nRUN echo start && sleep 30\n` });
    const containersBefore = await containerIds();
    const args = api['images.build'].args.parse({ contextPath: dir, tags: [CANCEL_TAG], noCache: true });
    const { jobId } = await sut.service.handlers['images.build'](args);
    await sut.waitFor(
      (e) => e.type === 'job.progress' && e.jobId === jobId && (e.progress.build?.steps.length ?? 0) >= 2,
      60_000,
    );
    const started = Date.now();
    expect(await sut.service.handlers['jobs.cancel']({ jobId })).toEqual({ cancelled: true });
    const job = await sut.waitForEnd(jobId, 30_000);
    expect(job.state).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(15_000);
    // Give the engine a moment to finish tearing the build down, then check no tag appeared.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await imageExists(CANCEL_TAG)).toBe(false);
    // The engine removed the build's container of the interrupted RUN.
    await expect.poll(containerIds, { timeout: 15_000, interval: 500 }).toEqual(containersBefore);
  });

  it('a build that prints nothing for the stall timeout fails with a clear message and tags nothing', async () => {
    const quick = serviceOn(lab.dockerHost, { stallTimeoutMs: 1_500 });
    try {
      const dir = context('stall', { Dockerfile: `FROM ${lab.images.base}\nRUN echo stalling && sleep 30\n` });
      const args = api['images.build'].args.parse({ contextPath: dir, tags: [STALL_TAG], noCache: true });
      const { jobId } = await quick.service.handlers['images.build'](args);
      const job = await quick.waitForEnd(jobId, 30_000);
      expect(job.state).toBe('failed');
      expect(job.error?.message).toMatch(/^build stalled: the build of t-build\/stall:\S+ printed nothing for 1\.5 s/);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await imageExists(STALL_TAG)).toBe(false);
    } finally {
      await quick.close();
    }
  });

  it('builds only the target stage of a multi-stage Dockerfile', async () => {
    const dir = context('stages', {
      Dockerfile: [
        `FROM ${lab.images.base} AS first`,
        'RUN echo first > /stage.txt',
        `FROM ${lab.images.base} AS second`,
        'RUN echo second > /stage.txt',
        '',
      ].join('\n'),
    });
    const { job } = await build({ contextPath: dir, tags: [STAGE_TAG], target: 'first' });
    expect(job.error).toBeNull();
    const out = await labDocker(lab, ['run', '--rm', '--network', 'none', STAGE_TAG, 'cat', '/stage.txt']);
    expect(out.trim()).toBe('first');
    expect(job.progress.build?.steps.map((s) => s.instruction)).not.toContain('RUN echo second > /stage.txt');
  });

  it('a context that does not exist, or a missing Dockerfile, fails the call before any engine request', async () => {
    const before = sut.requests.length;
    const missing = join(root, 'nope');
    await expect(
      sut.service.handlers['images.build'](api['images.build'].args.parse({ contextPath: missing })),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining(missing) as string });
    const dir = context('nodockerfile', { 'a.txt': 'x' });
    await expect(
      sut.service.handlers['images.build'](
        api['images.build'].args.parse({ contextPath: dir, dockerfile: 'docker/Dockerfile.dev' }),
      ),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('docker/Dockerfile.dev') as string,
    });
    expect(sut.requests.length).toBe(before);
  });
});
