/**
 * images.push against the lab engine and the lab registry: per-layer progress and the digest the
 * registry serves, a tag that does not exist locally (200 with the error in the stream), a registry
 * that is not there, and a cancelled push of an 8 MB layer behind a slow link.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { progressOf, serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;
const made: string[] = [];

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
});
afterAll(async () => {
  for (const reference of made) await labDocker(lab, ['image', 'rm', '-f', reference]).catch(() => undefined);
  await sut.close();
});

async function tag(source: string, target: string): Promise<void> {
  await labDocker(lab, ['tag', source, target]);
  made.push(target);
}

/** The digest the registry serves for a manifest (HEAD with the v2 Accept header), or the status when absent. */
function registryDigest(registry: string, repository: string, tagName: string): Promise<string | number> {
  return new Promise((resolve, reject) => {
    const [host, port] = registry.split(':');
    const req = request(
      {
        host,
        port: Number(port),
        method: 'GET',
        path: `/v2/${repository}/manifests/${tagName}`,
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      },
      (res) => {
        res.resume();
        const digest = res.headers['docker-content-digest'];
        resolve(res.statusCode === 200 && typeof digest === 'string' ? digest : (res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A loopback proxy that lets the client send only `bytesPerSecond` upstream (an upload over a slow link). */
function slowUploadProxy(target: string, bytesPerSecond: number): Promise<{ address: string; close(): Promise<void> }> {
  const [host, port] = target.split(':');
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host, port: Number(port) });
    sockets.add(client).add(upstream);
    upstream.pipe(client);
    const perTick = Math.max(1, Math.floor(bytesPerSecond / 10));
    let budget = perTick;
    const timer = setInterval(() => {
      budget = perTick;
      client.resume();
    }, 100);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      budget -= chunk.length;
      if (budget <= 0) client.pause();
    });
    const end = (): void => {
      clearInterval(timer);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const listening = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        address: `127.0.0.1:${listening}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

describe('images.push', () => {
  it('pushes a tag to the lab registry with per-layer progress; the digest is the registry’s', async () => {
    const target = `${lab.registry}/t-push/base:1`;
    await tag(lab.images.base, target);
    const { jobId } = await sut.service.handlers['images.push']({ reference: target });
    const job = await sut.waitForEnd(jobId);
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    expect(job.kind).toBe('push');

    const progress = progressOf(sut.events, jobId);
    const withLayers = progress.filter((p) => p.progress.layers.length > 0);
    expect(withLayers.length).toBeGreaterThan(0);
    const lastLayers = job.progress.layers;
    expect(lastLayers.length).toBeGreaterThan(0);
    expect(lastLayers.every((l) => l.done)).toBe(true);
    expect(job.progress.fraction).toBe(1);

    const result = job.result as { reference: string; digest: string | null; size: number };
    expect(result.reference).toBe(target);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.size).toBeGreaterThan(0);
    expect(await registryDigest(lab.registry, 't-push/base', '1')).toBe(result.digest);
  });

  it('fails with a readable not_found when the tag does not exist locally (engine answers 200)', async () => {
    const target = `${lab.registry}/t-push/nothere:1`;
    const { jobId } = await sut.service.handlers['images.push']({ reference: target });
    const job = await sut.waitForEnd(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('not_found');
    expect(job.error?.message).toBe(`There is no local image ${target} to push; tag an image as ${target} first.`);
    expect(await registryDigest(lab.registry, 't-push/nothere', '1')).toBe(404);
  });

  it('names the registry when nothing listens there', async () => {
    const target = '127.0.0.1:1/t-push/closed:1';
    await tag(lab.images.base, target);
    const { jobId } = await sut.service.handlers['images.push']({ reference: target });
    const job = await sut.waitForEnd(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('engine_error');
    expect(job.error?.message).toBe(
      `The engine could not reach the registry 127.0.0.1:1 to push ${target}; check that the registry is running and reachable from the engine, then push again.`,
    );
  });

  it('cancels a push of an 8 MB layer over a slow link; the registry has no manifest', async () => {
    const proxy = await slowUploadProxy(lab.registry, 256 * 1024);
    const address = proxy.address;
    const context = mkdtempSync(join(tmpdir(), 't-push-big-'));
    const target = `${address}/t-push/big:1`;
    try {
      writeFileSync(join(context, 'blob.bin'), randomBytes(8 * 1024 * 1024));
      writeFileSync(
        join(context, 'Dockerfile'),
        `FROM ${lab.images.base}\nLABEL t-push=big\nCOPY blob.bin /blob.bin\n`,
      );
      await labDocker(lab, ['build', '-q', '-t', target, context]);
      made.push(target);

      const { jobId } = await sut.service.handlers['images.push']({ reference: target });
      await sut.waitFor(
        (e) =>
          e.type === 'job.progress' &&
          e.jobId === jobId &&
          e.progress.layers.some((l) => l.status === 'Pushing' && l.current > 0),
        60_000,
      );
      expect((await sut.service.handlers['jobs.cancel']({ jobId })).cancelled).toBe(true);
      const job = await sut.waitForEnd(jobId, 30_000);
      expect(job.state).toBe('cancelled');
      expect(await registryDigest(lab.registry, 't-push/big', '1')).toBe(404);
    } finally {
      rmSync(context, { recursive: true, force: true });
      await proxy.close();
    }
  });
});
