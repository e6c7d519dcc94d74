import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toManifest } from './registries';
import { memorySecretStore } from '../host/secrets';
import { createEngineService, type EngineService } from '../host/service';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/registry', name), 'utf8')) as unknown;

describe('manifests as the contract shows them (recorded JSON)', () => {
  it('a manifest list becomes a platform list', () => {
    const m = toManifest(
      'r.example',
      'lab/multi',
      '1.0',
      'sha256:' + 'f'.repeat(64),
      undefined,
      fixture('manifest-list.json'),
    );
    expect(m.kind).toBe('list');
    expect(m.totalSize).toBe(0);
    expect(m.layers).toEqual([]);
    expect(m.platforms.map((p) => [p.os, p.architecture, p.variant])).toEqual([
      ['linux', 'amd64', null],
      ['linux', 'arm', 'v7'],
    ]);
  });

  it('an OCI image manifest lists its layers with sizes, and the total includes the config', () => {
    const m = toManifest(
      'r.example',
      'lab/app',
      '1.0',
      'sha256:' + 'e'.repeat(64),
      undefined,
      fixture('manifest-oci.json'),
    );
    expect(m.kind).toBe('image');
    expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.layers.map((l) => l.size)).toEqual([3623807, 120]);
    expect(m.configDigest).toBe('sha256:' + '3'.repeat(64));
    expect(m.totalSize).toBe(1470 + 3623807 + 120);
  });
});

// A registry that wants Basic alice:right-pw.
const GOOD = `Basic ${Buffer.from('alice:right-pw').toString('base64')}`;
let server: Server;
let registry: string;
let home: string;
let service: EngineService;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.headers.authorization !== GOOD) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"', 'Content-Type': 'application/json' });
      return void res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    }
    if (req.url === '/v2/') return void res.writeHead(200).end('{}');
    if (req.url?.startsWith('/v2/_catalog')) {
      res.writeHead(200, { Link: '</v2/_catalog?last=b%2Fone&n=2>; rel="next"', 'Content-Type': 'application/json' });
      return void res.end('{"repositories":["a/one","b/one"]}');
    }
    res.writeHead(404).end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  home = mkdtempSync(join(tmpdir(), 'strata-reg-home-'));
  mkdirSync(join(home, '.docker'));
  writeFileSync(
    join(home, '.docker', 'config.json'),
    JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('carol:cfg-secret').toString('base64') } } }),
  );
  service = createEngineService({
    watchEvents: false,
    host: 'unix:///nonexistent/strata.sock',
    env: {},
    homeDir: home,
    secrets: memorySecretStore(),
  });
});
afterAll(async () => {
  await service.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(home, { recursive: true, force: true });
});

describe('login, list, browse, logout', () => {
  it('a wrong password: the 401 message, nothing stored, no secret in the error', async () => {
    const error = await service.handlers['registries.login']({
      registry,
      username: 'alice',
      password: 'wrong-pw',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'registry_unauthorized',
      message: `${registry} refused the user name or password (401). Check them and log in again.`,
    });
    expect(JSON.stringify(error)).not.toContain('wrong-pw');
    expect((await service.handlers['registries.list']({})).some((e) => e.registry === registry)).toBe(false);
  });

  it('browsing without credentials says to log in', async () => {
    await expect(service.handlers['registries.catalog']({ registry, n: 2 })).rejects.toMatchObject({
      code: 'registry_unauthorized',
      message: expect.stringContaining(`log in to ${registry}`) as string,
    });
  });

  it('the right password is stored (session) and used to browse; results hold no password', async () => {
    const result = await service.handlers['registries.login']({ registry, username: 'alice', password: 'right-pw' });
    expect(result).toEqual({ registry, username: 'alice', stored: 'session' });
    const list = await service.handlers['registries.list']({});
    expect(list).toEqual([
      { registry, username: 'alice', source: 'session' },
      { registry: 'ghcr.io', username: 'carol', source: 'config' },
    ]);
    expect(JSON.stringify(list)).not.toMatch(/right-pw|cfg-secret/);
    expect(await service.handlers['registries.catalog']({ registry, n: 2 })).toEqual({
      registry,
      repositories: ['a/one', 'b/one'],
      next: 'b/one',
    });
    await expect(service.handlers['registries.tags']({ registry, repository: 'nope/x' })).rejects.toMatchObject({
      code: 'not_found',
      message: `the repository nope/x was not found in ${registry}.`,
    });
    expect(await service.handlers['registries.logout']({ registry })).toEqual({ removed: true });
    await expect(service.handlers['registries.catalog']({ registry, n: 2 })).rejects.toMatchObject({
      code: 'registry_unauthorized',
    });
  });
});

describe('where credentials are kept', () => {
  it('says, before and after a login, that a store without a keychain keeps them for the session only, and why', async () => {
    const reason = 'no keyring (GNOME Keyring or KWallet) is running';
    const secrets = { ...memorySecretStore(), sessionReason: reason };
    const weak = createEngineService({
      watchEvents: false,
      host: 'unix:///nonexistent/strata.sock',
      env: {},
      homeDir: home,
      secrets,
    });
    try {
      expect(await weak.handlers['registries.storage']({})).toEqual({ stored: 'session', reason });
      expect(await weak.handlers['registries.login']({ registry, username: 'alice', password: 'right-pw' })).toEqual({
        registry,
        username: 'alice',
        stored: 'session',
        reason,
      });
      expect(await service.handlers['registries.storage']({})).toEqual({ stored: 'session' });
    } finally {
      await weak.close();
    }
  });
});
