import { describe, expect, it } from 'vitest';
import { parseReference } from '../../shared/reference';
import { findAuth, registryAuthHeader, registryHostOf } from './credentials';

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
