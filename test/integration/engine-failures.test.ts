/**
 * The engine service when things go wrong for real: a dockerd killed mid-pull, a missing socket, a
 * socket nobody listens on, an endpoint that never answers, and registries that answer 401 or 500.
 */
import { linkSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labInfo, type LabInfo } from '../lab/context';
import { serviceOn } from './engine-helpers';

let lab: LabInfo;
let scratch: string;

beforeAll(() => {
  lab = labInfo();
  scratch = mkdtempSync(join(tmpdir(), 'strata-fail-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('unreachable endpoints', () => {
  it('a missing socket: a clear message naming the endpoint, no hang', async () => {
    const host = `unix://${join(scratch, 'missing.sock')}`;
    const sut = serviceOn(host);
    try {
      await expect(sut.service.handlers['images.list']({})).rejects.toMatchObject({
        code: 'engine_unreachable',
        message: `no Docker engine at ${host}: the socket does not exist; start Docker or set DOCKER_HOST`,
      });
      const status = await sut.service.handlers['engine.ping']({});
      expect(status.state).toBe('unreachable');
      expect(status.error?.message).toContain(host);
      expect(sut.events.some((e) => e.type === 'engine.status' && e.status.state === 'unreachable')).toBe(true);
    } finally {
      await sut.close();
    }
  });

  it('a socket with no listener: "nothing is listening at ..."', async () => {
    const live = join(scratch, 'live.sock');
    const stale = join(scratch, 'stale.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(live, resolve));
    linkSync(live, stale);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const sut = serviceOn(`unix://${stale}`);
    try {
      await expect(sut.service.handlers['engine.info']({})).rejects.toMatchObject({
        code: 'engine_unreachable',
        message: expect.stringMatching(new RegExp(`^nothing is listening at unix://${stale}.*DOCKER_HOST`)) as unknown,
      });
    } finally {
      await sut.close();
    }
  });

  it('an endpoint that accepts but never answers: "engine not responding at ..."', async () => {
    const path = join(scratch, 'hung.sock');
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => sockets.add(socket)); // reads nothing, answers nothing
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const sut = serviceOn(`unix://${path}`, { requestTimeoutMs: 1_000 });
    try {
      const started = Date.now();
      await expect(sut.service.handlers['images.list']({})).rejects.toMatchObject({
        code: 'engine_unreachable',
        message: expect.stringMatching(
          new RegExp(`^engine not responding at unix://${path}: no answer in 1 s`),
        ) as unknown,
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await sut.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** A registry v2 on loopback that answers what a test tells it to. */
async function fakeRegistry(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ address: string; seen: IncomingMessage[]; close(): Promise<void> }> {
  const seen: IncomingMessage[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    address: `127.0.0.1:${address.port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function registryJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Docker-Distribution-API-Version': 'registry/2.0',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

describe('registry failures inside a pull', () => {
  it('a registry answering 500: "the registry answered 500"', async () => {
    const registry = await fakeRegistry((req, res) => {
      if (req.url === '/v2/') registryJson(res, 200, {});
      else registryJson(res, 500, { errors: [{ code: 'UNKNOWN', message: 'boom' }] });
    });
    const sut = serviceOn(lab.dockerHost);
    try {
      const { jobId } = await sut.service.handlers['images.pull']({ reference: `${registry.address}/team/app:1.0` });
      const job = await sut.waitForEnd(jobId, 90_000);
      expect(job.state).toBe('failed');
      expect(job.error?.message).toMatch(/the registry answered 500 while pulling 127\.0\.0\.1:\d+\/team\/app:1\.0/);
    } finally {
      await sut.close();
      await registry.close();
    }
  });

  it('a registry wanting credentials: "pull access denied ... log in"; with auths in config.json they are sent', async () => {
    const good = `Basic ${Buffer.from('lab-user:lab-secret').toString('base64')}`;
    const registry = await fakeRegistry((req, res) => {
      if (req.headers.authorization !== good) {
        registryJson(
          res,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
          {
            'WWW-Authenticate': 'Basic realm="lab"',
          },
        );
        return;
      }
      if (req.url === '/v2/') registryJson(res, 200, {});
      else registryJson(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    });
    const reference = `${registry.address}/team/private:1.0`;
    const anonymous = serviceOn(lab.dockerHost);
    try {
      const { jobId } = await anonymous.service.handlers['images.pull']({ reference });
      const job = await anonymous.waitForEnd(jobId, 60_000);
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('registry_unauthorized');
      expect(job.error?.message).toMatch(/^pull access denied for .*team\/private:1\.0.*docker login/);
    } finally {
      await anonymous.close();
    }

    const configDir = join(scratch, 'docker-config');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({
        auths: { [`http://${registry.address}`]: { auth: Buffer.from('lab-user:lab-secret').toString('base64') } },
      }),
    );
    const withAuth = serviceOn(lab.dockerHost, { env: { DOCKER_CONFIG: configDir } });
    try {
      const { jobId } = await withAuth.service.handlers['images.pull']({ reference });
      const job = await withAuth.waitForEnd(jobId, 60_000);
      // The registry accepted the credentials and then had no such manifest.
      expect(registry.seen.some((req) => req.headers.authorization === good && req.url?.includes('/manifests/'))).toBe(
        true,
      );
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('not_found');
      expect(job.error?.message).toContain('was not found');
    } finally {
      await withAuth.close();
      await registry.close();
    }
  });
});
