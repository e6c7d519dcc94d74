import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextDirName, resolveEndpoint } from './endpoint';

let home: string;

function readFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function resolve(env: Record<string, string | undefined>, host?: string) {
  return resolveEndpoint({ host, env, homeDir: home, readFile });
}

function writeContext(configDir: string, name: string, dockerHost: string, tls?: { skip?: boolean; files?: boolean }) {
  const dir = contextDirName(name);
  const meta = join(configDir, 'contexts', 'meta', dir);
  mkdirSync(meta, { recursive: true });
  writeFileSync(
    join(meta, 'meta.json'),
    JSON.stringify({
      Name: name,
      Metadata: { Description: 'test' },
      Endpoints: { docker: { Host: dockerHost, SkipTLSVerify: tls?.skip === true } },
    }),
  );
  if (tls?.files === true) {
    const tlsDir = join(configDir, 'contexts', 'tls', dir, 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tlsDir, file), 'PEM');
  }
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'strata-endpoint-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('resolveEndpoint', () => {
  it('falls back to /var/run/docker.sock', () => {
    const r = resolve({});
    expect(r.endpoint).toEqual({ kind: 'unix', address: 'unix:///var/run/docker.sock', source: 'default', tls: false });
    expect(r.connection).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
  });

  it('uses an explicit host before DOCKER_HOST', () => {
    const r = resolve({ DOCKER_HOST: 'unix:///env.sock' }, 'unix:///flag.sock');
    expect(r.endpoint.source).toBe('flag');
    expect(r.connection).toEqual({ kind: 'unix', socketPath: '/flag.sock' });
  });

  it('reads DOCKER_HOST unix:// and tcp://, with default ports', () => {
    expect(resolve({ DOCKER_HOST: 'unix:///tmp/x.sock' }).endpoint).toMatchObject({
      kind: 'unix',
      address: 'unix:///tmp/x.sock',
      source: 'DOCKER_HOST',
    });
    const tcp = resolve({ DOCKER_HOST: 'tcp://10.0.0.5' });
    expect(tcp.endpoint).toMatchObject({ kind: 'tcp', address: 'tcp://10.0.0.5:2375', tls: false });
    expect(tcp.connection).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2375, tls: undefined });
  });

  it('turns TLS on with DOCKER_TLS_VERIFY and finds certificates in DOCKER_CERT_PATH', () => {
    const certs = join(home, 'certs');
    mkdirSync(certs);
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, file), 'PEM');
    const r = resolve({ DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(r.endpoint).toMatchObject({ kind: 'tcp', address: 'tcp://docker.example:2376', tls: true });
    expect(r.connection).toEqual({
      kind: 'tcp',
      host: 'docker.example',
      port: 2376,
      tls: {
        caFile: join(certs, 'ca.pem'),
        certFile: join(certs, 'cert.pem'),
        keyFile: join(certs, 'key.pem'),
        verify: true,
      },
    });
  });

  it('uses the current context of ~/.docker/config.json', () => {
    const configDir = join(home, '.docker');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'colima' }));
    writeContext(configDir, 'colima', 'unix:///home/me/.colima/docker.sock');
    const r = resolve({});
    expect(r.endpoint).toEqual({
      kind: 'unix',
      address: 'unix:///home/me/.colima/docker.sock',
      source: 'context',
      context: 'colima',
      tls: false,
    });
  });

  it('prefers DOCKER_CONTEXT to currentContext, and DOCKER_HOST to both; honours DOCKER_CONFIG', () => {
    const configDir = join(home, 'elsewhere');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'one' }));
    writeContext(configDir, 'one', 'unix:///one.sock');
    writeContext(configDir, 'two', 'tcp://10.1.1.1:2376', { files: true });
    expect(resolve({ DOCKER_CONFIG: configDir }).endpoint.address).toBe('unix:///one.sock');
    const two = resolve({ DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'two' });
    expect(two.endpoint).toMatchObject({ address: 'tcp://10.1.1.1:2376', context: 'two', tls: true });
    expect(
      resolve({ DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'two', DOCKER_HOST: 'unix:///h.sock' }).endpoint,
    ).toMatchObject({
      address: 'unix:///h.sock',
      source: 'DOCKER_HOST',
    });
    expect(resolve({ DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'default' }).endpoint.source).toBe('default');
  });

  it('names a missing context and what to do', () => {
    expect(() => resolve({ DOCKER_CONTEXT: 'gone' })).toThrow(
      /docker context "gone" does not exist.*docker context use default/,
    );
  });

  it('opens an ssh endpoint through ssh, found on the PATH of the environment', () => {
    const r = resolve({ DOCKER_HOST: 'ssh://me@build-box:2222', PATH: '/opt/fake-bin:/usr/bin' });
    expect(r.endpoint).toMatchObject({ kind: 'ssh', address: 'ssh://me@build-box:2222', source: 'DOCKER_HOST' });
    expect(r.unsupported).toBeUndefined();
    expect(r.connection).toEqual({
      kind: 'ssh',
      user: 'me',
      host: 'build-box',
      port: 2222,
      remoteSocket: undefined,
      searchPath: '/opt/fake-bin:/usr/bin',
    });
    expect(resolve({}, 'ssh://build-box').connection).toMatchObject({ kind: 'ssh', user: undefined, port: undefined });
    expect(() => resolve({ DOCKER_HOST: 'ssh://me@-oProxyCommand=x' })).toThrow(/not an ssh address/);
    expect(() => resolve({ DOCKER_HOST: 'ssh://me@box:0' })).toThrow(/invalid port/);
  });

  it('still cannot open a Windows named pipe, and says so', () => {
    const r = resolve({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' });
    expect(r.connection).toBeUndefined();
    expect(r.unsupported).toMatch(/named pipe/);
  });

  it('rejects a malformed host with a hint', () => {
    expect(() => resolve({ DOCKER_HOST: 'ftp://x' })).toThrow(/unknown scheme "ftp".*unix:\/\//);
    expect(() => resolve({ DOCKER_HOST: 'tcp://x:99999' })).toThrow(/invalid port/);
  });
});
