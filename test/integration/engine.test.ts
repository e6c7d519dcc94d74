/**
 * The engine service against the lab engine and lab registry: list, inspect, pull with progress,
 * cancel, remove refused when in use, untag one of several tags, and bad input rejected before
 * any engine call.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextDirName } from '../../electron/engine/core/endpoint';
import { createDispatch } from '../../shared/dispatch';
import { singleEngineHost } from '../../electron/engine/host/single-engine';
import { labDocker, labInfo, startThrottleProxy, type LabInfo } from '../lab/context';
import { progressOf, serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
});
afterAll(async () => {
  await sut.close();
});

async function removeQuietly(reference: string): Promise<void> {
  await labDocker(lab, ['image', 'rm', '-f', reference]).catch(() => undefined);
}

describe('engine', () => {
  it('pings and reports what docker info / docker version show', async () => {
    const status = await sut.service.handlers['engine.ping']({});
    expect(status).toMatchObject({ engineId: 'default', state: 'connected' });
    expect(status.endpoint).toEqual({ kind: 'unix', address: lab.dockerHost, source: 'flag', tls: false });

    const info = await sut.service.handlers['engine.info']({});
    const cliVersion = (
      await labDocker(lab, ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'])
    ).trim();
    const cliInfo = (
      await labDocker(lab, ['info', '--format', '{{.Driver}}|{{.DockerRootDir}}|{{.NCPU}}|{{.Images}}'])
    ).trim();
    expect(`${info.serverVersion} ${info.apiVersion}`).toBe(cliVersion);
    expect(`${info.storageDriver}|${info.dataRoot}|${info.cpus}|${info.images}`).toBe(cliInfo);
    expect(info.dataRoot.startsWith(lab.dir)).toBe(true);
    expect(info.containers).toBeGreaterThanOrEqual(2);
    expect(info.containersRunning).toBeGreaterThanOrEqual(1);
    expect(info.memoryBytes).toBeGreaterThan(0);
    expect(info.kernelVersion).not.toBe('');
    expect(info.osType).toBe('linux');
  });

  it('negotiates the API version and sends every request with it', async () => {
    const info = await sut.service.handlers['engine.info']({});
    // The lab is Engine 20.10: its own API 1.41 is the one both sides speak, nothing works differently.
    expect(info.apiVersion).toBe('1.41');
    expect(info.apiVersionUsed).toBe('1.41');
    expect(info.imageStore).toBe('classic');
    expect(info.compatibility).toEqual([]);
    await sut.service.handlers['images.list']({});
    const sent = sut.requests.filter((r) => r.path.startsWith('/images/json'));
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) expect(request.apiVersion).toBe('1.41');
    // Only the ping and the version question go unversioned.
    const unversioned = new Set(sut.requests.filter((r) => r.apiVersion === undefined).map((r) => r.path));
    expect([...unversioned].every((path) => path === '/_ping' || path === '/version')).toBe(true);
  });
});

describe('endpoint resolution, as the docker CLI does it', () => {
  it('reaches the engine through DOCKER_HOST=tcp://', async () => {
    const proxy = createServer((socket) => {
      const upstream = connect(lab.socketPath);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    const viaTcp = serviceOn('', { env: { DOCKER_HOST: `tcp://127.0.0.1:${address.port}` } });
    try {
      expect(viaTcp.service.endpoint).toEqual({
        kind: 'tcp',
        address: `tcp://127.0.0.1:${address.port}`,
        source: 'DOCKER_HOST',
        tls: false,
      });
      const images = await viaTcp.service.handlers['images.list']({});
      expect(images.some((image) => image.repoTags.includes(lab.images.app))).toBe(true);
    } finally {
      await viaTcp.close();
      proxy.close();
    }
  });

  it('reaches the engine through the current docker context of ~/.docker/config.json', async () => {
    const viaContext = serviceOn('', {
      homeDirSetup: (home) => {
        const configDir = join(home, '.docker');
        const meta = join(configDir, 'contexts', 'meta', contextDirName('lab'));
        mkdirSync(meta, { recursive: true });
        writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'lab' }));
        writeFileSync(
          join(meta, 'meta.json'),
          JSON.stringify({
            Name: 'lab',
            Metadata: {},
            Endpoints: { docker: { Host: lab.dockerHost, SkipTLSVerify: false } },
          }),
        );
      },
    });
    try {
      expect(viaContext.service.endpoint).toEqual({
        kind: 'unix',
        address: lab.dockerHost,
        source: 'context',
        context: 'lab',
        tls: false,
      });
      await expect(viaContext.service.handlers['engine.ping']({})).resolves.toMatchObject({ state: 'connected' });
    } finally {
      await viaContext.close();
    }
  });
});

describe('images.list and images.inspect', () => {
  it('lists every image with its tags and the containers using it, dangling ones included', async () => {
    const images = await sut.service.handlers['images.list']({});
    const app = images.find((image) => image.repoTags.includes(lab.images.app));
    expect(app?.repoTags.slice().sort()).toEqual([...lab.images.appTags].sort());
    expect(app?.containers).toBe(1); // lab-stopped
    const tool = images.find((image) => image.repoTags.includes(lab.images.tool));
    expect(tool?.containers).toBe(1); // lab-running
    const base = images.find((image) => image.repoTags.includes(lab.images.base));
    expect(base?.containers).toBe(0);
    const dangling = images.find((image) => image.id === lab.images.danglingId);
    expect(dangling?.repoTags).toEqual([]);

    // The same images as the docker CLI lists.
    const cliIds = new Set((await labDocker(lab, ['images', '-q', '--no-trunc'])).trim().split('\n'));
    expect(new Set(images.map((image) => image.id))).toEqual(cliIds);
  });

  it('inspects an image by tag, and says which one is missing', async () => {
    const details = await sut.service.handlers['images.inspect']({ reference: lab.images.app });
    const id = (await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', lab.images.app])).trim();
    expect(details.id).toBe(id);
    expect(details.repoTags.slice().sort()).toEqual([...lab.images.appTags].sort());
    expect(details.layers.length).toBeGreaterThan(0);
    expect(details.os).toBe('linux');

    await expect(sut.service.handlers['images.inspect']({ reference: 'lab/nope:1.0' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No image "lab/nope:1.0" on this engine.',
    });
  });
});

describe('images.remove', () => {
  it('refuses to remove an image a container uses, with the engine reason and force as the way out', async () => {
    const failure = await sut.service.handlers['images.remove']({ reference: lab.images.tool }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 'conflict' });
    const message = (failure as Error).message;
    expect(message).toContain(`Cannot remove image "${lab.images.tool}"`);
    expect(message).toMatch(/container [0-9a-f]+ is using its referenced image/);
    expect(message).toMatch(/force/i);
    // Still there.
    await expect(sut.service.handlers['images.inspect']({ reference: lab.images.tool })).resolves.toBeDefined();
  });

  it('removing one tag of a multi-tag image only untags it', async () => {
    const before = await sut.service.handlers['images.inspect']({ reference: lab.images.app });
    try {
      const result = await sut.service.handlers['images.remove']({ reference: 'lab/app:stable' });
      expect(result).toEqual({ reference: 'lab/app:stable', untagged: ['lab/app:stable'], deleted: [] });
      const after = await sut.service.handlers['images.inspect']({ reference: lab.images.app });
      expect(after.id).toBe(before.id);
      expect(after.repoTags.slice().sort()).toEqual(['lab/app:1.0', 'lab/app:latest']);
      await expect(sut.service.handlers['images.inspect']({ reference: 'lab/app:stable' })).rejects.toMatchObject({
        code: 'not_found',
      });
    } finally {
      await labDocker(lab, ['tag', lab.images.app, 'lab/app:stable']);
    }
  });
});

describe('bad input', () => {
  const bad = [
    'Lab/App:1.0',
    'lab/app:1.0 extra',
    'lab app',
    `lab/app:${'a'.repeat(129)}`,
    'x?force=true',
    'lab/app:1.0?force=true',
    '',
  ];

  it('rejects invalid references before any engine call, directly and through the dispatcher', async () => {
    const dispatch = createDispatch(singleEngineHost(sut.service).handlers);
    const before = sut.requests.length;
    for (const reference of bad) {
      for (const method of ['images.inspect', 'images.remove', 'images.pull'] as const) {
        const direct = sut.service.handlers[method]({ reference });
        await expect(direct, `${method} ${JSON.stringify(reference)}`).rejects.toMatchObject({
          code: 'invalid_argument',
          message: expect.stringContaining('is not a valid image reference') as unknown,
        });
        const outcome = await dispatch(method, { reference, force: method === 'images.remove' ? false : undefined });
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error.code).toBe('invalid_argument');
      }
    }
    expect(sut.requests.slice(before)).toEqual([]);
    // Nothing was force-removed behind our back.
    await expect(sut.service.handlers['images.inspect']({ reference: lab.images.app })).resolves.toBeDefined();
  });

  it('explains what is wrong with each reference', async () => {
    await expect(sut.service.handlers['images.inspect']({ reference: 'Lab/App:1.0' })).rejects.toThrow(/lowercase/);
    await expect(sut.service.handlers['images.inspect']({ reference: `lab/app:${'a'.repeat(129)}` })).rejects.toThrow(
      /129 characters long, more than 128/,
    );
    await expect(sut.service.handlers['images.inspect']({ reference: 'lab app' })).rejects.toThrow(/whitespace/);
    await expect(sut.service.handlers['images.inspect']({ reference: '' })).rejects.toThrow(/empty/);
    await expect(sut.service.handlers['images.remove']({ reference: 'x?force=true' })).rejects.toThrow(/"\?"/);
  });
});

describe('images.pull', () => {
  it('pulls from the lab registry as a job with per-layer progress, and the image then inspects', async () => {
    const reference = lab.remote.small;
    await removeQuietly(reference);
    try {
      const { jobId } = await sut.service.handlers['images.pull']({ reference });
      const running = (await sut.service.handlers['jobs.list']({})).find((job) => job.id === jobId);
      expect(running).toMatchObject({ kind: 'pull', title: reference, engineId: 'default' });

      const job = await sut.waitForEnd(jobId);
      expect(job.state).toBe('done');
      expect(job.error).toBeNull();
      expect(job.progress.fraction).toBe(1);
      const progress = progressOf(sut.events, jobId);
      expect(progress.length).toBeGreaterThan(0);
      const layers = progress.at(-1)?.progress.layers ?? [];
      expect(layers.length).toBeGreaterThan(0);
      expect(layers.every((layer) => layer.done)).toBe(true);
      expect(layers.map((l) => l.status)).toEqual(expect.arrayContaining(['Pull complete']) as unknown);
      const fractions = progress.map((p) => p.progress.fraction).filter((f): f is number => f !== null);
      expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (fractions[i - 1] ?? 0)))).toBe(true);

      const details = await sut.service.handlers['images.inspect']({ reference });
      expect(job.result).toMatchObject({ imageId: details.id, reference });
      const listed = await sut.service.handlers['images.list']({});
      expect(listed.some((image) => image.repoTags.includes(reference))).toBe(true);
      const ended = (await sut.service.handlers['jobs.list']({})).find((j) => j.id === jobId);
      expect(ended?.state).toBe('done');
    } finally {
      await removeQuietly(reference);
    }
  });

  it('fails a pull of a tag the registry does not have with "not found"', async () => {
    const reference = `${lab.registry}/lab/remote:no-such-tag`;
    const { jobId } = await sut.service.handlers['images.pull']({ reference });
    const job = await sut.waitForEnd(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('not_found');
    expect(job.error?.message).toMatch(/not found/);
    expect(job.error?.message).toContain(reference);
  });

  it('cancels a pull; the app keeps working and a second pull of the same image succeeds', async () => {
    const proxy = await startThrottleProxy(lab.registry, { bytesPerSecond: 1_000_000 });
    const reference = `${proxy.address}/lab/big:1.0`;
    try {
      const { jobId } = await sut.service.handlers['images.pull']({ reference });
      await sut.waitFor(
        (e) =>
          e.type === 'job.progress' &&
          e.jobId === jobId &&
          e.progress.layers.some((l) => l.status === 'Downloading' && l.current > 0),
        60_000,
      );
      const arrival: number[] = [];
      const off = sut.service.onEvent((e) => {
        if (e.type === 'job.progress' && e.jobId === jobId) arrival.push(Date.now());
      });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      off();
      // Throttled: at most ~10 progress events a second.
      expect(arrival.length).toBeLessThanOrEqual(17);

      await expect(sut.service.handlers['jobs.cancel']({ jobId })).resolves.toEqual({ cancelled: true });
      const job = await sut.waitForEnd(jobId, 15_000);
      expect(job.state).toBe('cancelled');
      expect(job.error?.code).toBe('cancelled');
      await expect(sut.service.handlers['jobs.cancel']({ jobId })).resolves.toEqual({ cancelled: false });
      const listed = (await sut.service.handlers['jobs.list']({})).find((j) => j.id === jobId);
      expect(listed?.state).toBe('cancelled');

      const images = await sut.service.handlers['images.list']({});
      expect(images.some((image) => image.repoTags.includes(reference))).toBe(false);

      const second = await sut.service.handlers['images.pull']({ reference });
      const done = await sut.waitForEnd(second.jobId, 90_000);
      expect(done.error).toBeNull();
      expect(done.state).toBe('done');
      await expect(sut.service.handlers['images.inspect']({ reference })).resolves.toMatchObject({
        repoTags: [reference],
      });
    } finally {
      await removeQuietly(reference);
      await proxy.close();
    }
  });

  it('fails a pull from a registry that stalls mid-blob with "registry stalled"', async () => {
    const proxy = await startThrottleProxy(lab.registry, { stallAfterBytes: 1_000_000 });
    const reference = `${proxy.address}/lab/big:1.0`;
    const stalling = serviceOn(lab.dockerHost, { stallTimeoutMs: 3_000 });
    try {
      const started = Date.now();
      const { jobId } = await stalling.service.handlers['images.pull']({ reference });
      const job = await stalling.waitForEnd(jobId, 60_000);
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('registry_stalled');
      expect(job.error?.message).toMatch(/^registry stalled: the pull of .* made no progress for 3 s/);
      expect(Date.now() - started).toBeLessThan(30_000);
      // The engine still answers.
      await expect(stalling.service.handlers['images.list']({})).resolves.toBeDefined();
    } finally {
      await stalling.close();
      await proxy.close();
      await removeQuietly(reference);
    }
  });
});
