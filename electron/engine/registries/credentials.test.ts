import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReference } from '../../../shared/reference';
import {
  configuredRegistries,
  createCredentialResolver,
  findAuth,
  registryAuthHeader,
  registryHostOf,
} from './credentials';
import { memorySecretStore } from '../host/secrets';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const host = (ref: string) => {
  const parsed = parseReference(ref);
  if (!parsed.ok) throw new Error(parsed.reason);
  return registryHostOf(parsed.value);
};

describe('registry credentials from config.json', () => {
  it('finds the registry host of a reference, Docker Hub by default', () => {
    expect(host('alpine:3.19')).toBe('docker.io');
    expect(host('library/alpine')).toBe('docker.io');
    expect(host('127.0.0.1:5000/team/app:1')).toBe('127.0.0.1:5000');
    expect(host('ghcr.io/o/r@sha256:' + 'a'.repeat(64))).toBe('ghcr.io');
  });

  it('reads `auth` as base64 user:password, whatever form the key takes', () => {
    const config = { auths: { 'http://127.0.0.1:5000/v2/': { auth: b64('me:p:ss') } } };
    expect(findAuth(config, '127.0.0.1:5000')).toEqual({
      username: 'me',
      password: 'p:ss',
      serveraddress: '127.0.0.1:5000',
    });
    expect(findAuth(config, '127.0.0.1:5001')).toBeUndefined();
  });

  it('matches Docker Hub under any of its names and prefers an identity token', () => {
    const config = { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw'), identitytoken: 'tok' } } };
    expect(findAuth(config, 'docker.io')).toEqual({
      identitytoken: 'tok',
      serveraddress: 'https://index.docker.io/v1/',
    });
    expect(findAuth({ auths: { 'docker.io': { auth: b64('hub:pw') } } }, 'docker.io')).toMatchObject({
      username: 'hub',
    });
  });

  it('ignores configs without inline credentials (credential helpers)', () => {
    expect(findAuth({ credsStore: 'desktop', auths: { 'ghcr.io': {} } }, 'ghcr.io')).toBeUndefined();
    expect(findAuth(null, 'ghcr.io')).toBeUndefined();
    expect(findAuth({ auths: { 'ghcr.io': { auth: b64('no-colon') } } }, 'ghcr.io')).toBeUndefined();
  });

  it('encodes X-Registry-Auth as base64url JSON', () => {
    const header = registryAuthHeader({ username: 'me', password: '??>>', serveraddress: 'r.example' });
    expect(header).not.toMatch(/[+/=]/);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toEqual({
      username: 'me',
      password: '??>>',
      serveraddress: 'r.example',
    });
  });
});

describe('credential resolution order and helpers', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A temp dir with config.json and a `docker-credential-<name>` script per helper. */
  function setup(config: unknown, helpers: Readonly<Record<string, string>> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cred-'));
    dirs.push(dir);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    for (const [name, script] of Object.entries(helpers)) {
      const file = join(bin, `docker-credential-${name}`);
      writeFileSync(file, `#!/bin/sh\n${script}\n`);
      chmodSync(file, 0o755);
    }
    return { dir, env: { PATH: `${bin}:/usr/bin:/bin` } };
  }

  // The helper echoes the server URL it was asked for into the user name, so the test sees what it got.
  const echoHelper = (secret: string) =>
    `read url; printf '{"ServerURL":"%s","Username":"user-for-%s","Secret":"${secret}"}' "$url" "$url"`;

  it('never runs a helper whose configured name is not a plain word (a path or shell syntax in config.json)', async () => {
    const marker = (name: string) => `touch "$(dirname "$0")/ran-${name.length}"; echo '{"Username":"u","Secret":"s"}'`;
    const names = ['lab;touch', 'lab helper', '-help', '.hidden'];
    const { dir, env } = setup(
      { credHelpers: Object.fromEntries(names.map((name, i) => [`r${i}.example`, name])) },
      Object.fromEntries(names.map((name) => [name, marker(name)])),
    );
    const resolve = createCredentialResolver({ configDir: dir, secrets: memorySecretStore(), env });
    for (let i = 0; i < names.length; i += 1) expect(await resolve(`r${i}.example`)).toBeUndefined();
    const ran = names.filter((name) => existsSync(join(dir, 'bin', `ran-${name.length}`)));
    expect(ran).toEqual([]);
  });

  it('asks credHelpers[host] with the server URL on stdin', async () => {
    const { dir, env } = setup(
      { credHelpers: { 'ghcr.io': 'gh' }, auths: { 'ghcr.io': { auth: b64('inline:pw') } } },
      { gh: echoHelper('helper-pw') },
    );
    const resolve = createCredentialResolver({ configDir: dir, secrets: memorySecretStore(), env });
    expect(await resolve('ghcr.io')).toEqual({
      username: 'user-for-ghcr.io',
      password: 'helper-pw',
      serveraddress: 'ghcr.io',
    });
  });

  it('asks credsStore for Docker Hub under https://index.docker.io/v1/, and reads "<token>" as an identity token', async () => {
    const { dir, env } = setup(
      { credsStore: 'store', auths: { 'https://index.docker.io/v1/': {} } },
      {
        store: `read url; [ "$url" = "https://index.docker.io/v1/" ] || exit 1; echo '{"Username":"<token>","Secret":"idt"}'`,
      },
    );
    const resolve = createCredentialResolver({ configDir: dir, secrets: memorySecretStore(), env });
    expect(await resolve('docker.io')).toEqual({ identitytoken: 'idt', serveraddress: 'https://index.docker.io/v1/' });
  });

  it('prefers what the user stored in Strata over helpers and config', async () => {
    const { dir, env } = setup(
      { credsStore: 'store', auths: { 'r.example': { auth: b64('inline:pw') } } },
      {
        store: echoHelper('helper-pw'),
      },
    );
    const secrets = memorySecretStore();
    await secrets.set({ registry: 'r.example', username: 'typed', password: 'typed-pw' });
    const resolve = createCredentialResolver({ configDir: dir, secrets, env });
    expect(await resolve('r.example')).toEqual({ username: 'typed', password: 'typed-pw', serveraddress: 'r.example' });
  });

  it('goes on to auths when a helper is missing or fails, and anonymous when nothing is there', async () => {
    const { dir, env } = setup(
      {
        credHelpers: { 'r.example': 'missing' },
        credsStore: 'broken',
        auths: { 'r.example': { auth: b64('inline:pw') } },
      },
      { broken: 'echo "credentials not found in native keychain" >&2; exit 1' },
    );
    const resolve = createCredentialResolver({ configDir: dir, secrets: memorySecretStore(), env });
    expect(await resolve('r.example')).toEqual({ username: 'inline', password: 'pw', serveraddress: 'r.example' });
    expect(await resolve('other.example')).toBeUndefined();
  });

  it('gives up on a helper that hangs, after the timeout', async () => {
    const { dir, env } = setup({ credsStore: 'slow' }, { slow: 'exec sleep 30' });
    const resolve = createCredentialResolver({
      configDir: dir,
      secrets: memorySecretStore(),
      env,
      helperTimeoutMs: 300,
    });
    const started = Date.now();
    expect(await resolve('r.example')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('lists config registries with their source, never a secret', () => {
    const list = configuredRegistries({
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud' },
      auths: { 'https://index.docker.io/v1/': {}, '127.0.0.1:5000': { auth: b64('me:secret-pw') } },
    });
    expect(list).toEqual([
      { registry: 'docker.io', username: null, source: 'helper' },
      { registry: '127.0.0.1:5000', username: 'me', source: 'config' },
      { registry: 'gcr.io', username: null, source: 'helper' },
    ]);
    expect(JSON.stringify(list)).not.toContain('secret-pw');
  });
});
