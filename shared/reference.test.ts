import { describe, expect, it } from 'vitest';
import { encodeReferenceForPath, isImageId, parseReference, pullableReference, pullParameters } from './reference';

function parsed(input: string) {
  const result = parseReference(input);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

function reason(input: string): string {
  const result = parseReference(input);
  if (result.ok) throw new Error(`${input} unexpectedly parsed`);
  return result.reason;
}

describe('parseReference: valid references', () => {
  it.each([
    ['busybox', { name: 'busybox', domain: undefined, path: 'busybox', tag: undefined }],
    ['busybox:1.36', { name: 'busybox', tag: '1.36' }],
    ['library/busybox:latest', { name: 'library/busybox', path: 'library/busybox', tag: 'latest' }],
    [
      '127.0.0.1:5000/lab/app:1.0',
      { name: '127.0.0.1:5000/lab/app', domain: '127.0.0.1:5000', path: 'lab/app', tag: '1.0' },
    ],
    ['localhost/team/app', { domain: 'localhost', path: 'team/app', tag: undefined }],
    [
      'registry.example.com/a__b/c-d/e.f:V_1.2-rc',
      { domain: 'registry.example.com', path: 'a__b/c-d/e.f', tag: 'V_1.2-rc' },
    ],
    ['a---b', { path: 'a---b' }],
    ['[::1]:5000/app', { domain: '[::1]:5000', path: 'app' }],
  ])('%s', (input, expected) => {
    expect(parsed(input)).toMatchObject(expected);
  });

  it('accepts a digest, with or without a tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parsed(`busybox@${digest}`)).toMatchObject({ name: 'busybox', tag: undefined, digest });
    expect(parsed(`busybox:1@${digest}`)).toMatchObject({ tag: '1', digest });
  });

  it('accepts image IDs, full and short', () => {
    expect(parsed(`sha256:${'0123456789abcdef'.repeat(4)}`).name).toBe(`sha256:${'0123456789abcdef'.repeat(4)}`);
    expect(parsed('0123456789ab').path).toBe('0123456789ab');
  });

  it('accepts a tag of exactly 128 characters', () => {
    expect(parsed(`app:${'t'.repeat(128)}`).tag).toHaveLength(128);
  });
});

describe('parseReference: invalid references say why', () => {
  it('rejects the empty string', () => {
    expect(reason('')).toMatch(/is empty/);
  });
  it('rejects uppercase repository names', () => {
    expect(reason('BusyBox')).toMatch(/must be lowercase/);
    expect(reason('library/BusyBox:1')).toMatch(/must be lowercase/);
  });
  it('rejects whitespace', () => {
    expect(reason('busy box')).toMatch(/whitespace/);
    expect(reason(' busybox')).toMatch(/whitespace/);
    expect(reason('busybox\n')).toMatch(/whitespace/);
  });
  it('rejects a 129-character tag', () => {
    expect(reason(`app:${'t'.repeat(129)}`)).toMatch(/129 characters long, more than 128/);
  });
  it('rejects query strings and other URL syntax', () => {
    expect(reason('x?force=true')).toMatch(/"\?" is not allowed/);
    expect(reason('x#frag')).toMatch(/"#" is not allowed/);
    expect(reason('x%2Fy')).toMatch(/"%" is not allowed/);
    expect(reason('../../containers/json')).toMatch(/not a valid registry host/);
    expect(reason('lab/../../containers/json')).toMatch(/must start and end/);
  });
  it('rejects bad tags, digests and hosts', () => {
    expect(reason('app:')).toMatch(/tag after ":" is empty/);
    expect(reason('app:-x')).toMatch(/must not start with/);
    expect(reason('app@sha256:xyz')).toMatch(/not a digest/);
    expect(reason('bad_host:5000/app')).toMatch(/registry host/);
    expect(reason('app//x')).toMatch(/empty path component/);
    expect(reason('app.')).toMatch(/must start and end/);
  });
  it('rejects a name over 255 characters', () => {
    expect(reason('a'.repeat(256))).toMatch(/more than 255/);
  });
  it('gives an example a user can follow', () => {
    expect(reason('X')).toContain('for example "alpine:3.19"');
  });
});

describe('encodeReferenceForPath', () => {
  it('keeps the separators the engine expects', () => {
    expect(encodeReferenceForPath('127.0.0.1:5000/lab/app:1.0')).toBe('127.0.0.1:5000/lab/app:1.0');
    expect(encodeReferenceForPath(`app@sha256:${'a'.repeat(64)}`)).toBe(`app@sha256:${'a'.repeat(64)}`);
  });
  it('encodes anything that would change the URL', () => {
    expect(encodeReferenceForPath('x?force=true')).toBe('x%3Fforce%3Dtrue');
    expect(encodeReferenceForPath('x#y z')).toBe('x%23y%20z');
  });
});

describe('pullParameters', () => {
  it('defaults the tag to latest and keeps the registry in fromImage', () => {
    expect(pullParameters(parsed('127.0.0.1:5000/lab/app'))).toEqual({
      fromImage: '127.0.0.1:5000/lab/app',
      tag: 'latest',
    });
    expect(pullParameters(parsed('busybox:1'))).toEqual({ fromImage: 'busybox', tag: '1' });
  });
  it('pulls by digest when one is given', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(pullParameters(parsed(`busybox:1@${digest}`))).toEqual({ fromImage: 'busybox', tag: digest });
  });
});

describe('isImageId', () => {
  const hex = 'a'.repeat(64);
  it('accepts 64 lowercase hex digits with or without sha256:', () => {
    expect(isImageId(hex)).toBe(true);
    expect(isImageId(`sha256:${hex}`)).toBe(true);
  });
  it('refuses short, uppercase, other algorithms and names', () => {
    expect(isImageId('a'.repeat(63))).toBe(false);
    expect(isImageId('A'.repeat(64))).toBe(false);
    expect(isImageId(`sha512:${hex}`)).toBe(false);
    expect(isImageId(`app@sha256:${hex}`)).toBe(false);
    expect(isImageId('alpine:3.19')).toBe(false);
  });
});

describe('pullableReference', () => {
  const id = `sha256:${'b'.repeat(64)}`;
  it('answers the parsed reference of a name, a tag or a digest', () => {
    const tagged = pullableReference('alpine:3.19');
    expect(tagged.ok && tagged.value).toMatchObject({ name: 'alpine', tag: '3.19' });
    const digested = pullableReference(`alpine@${id}`);
    expect(digested.ok && digested.value).toMatchObject({ name: 'alpine', digest: id });
  });
  it('refuses an image ID with the message the pull dialog and the engine show', () => {
    const result = pullableReference(id);
    expect(result).toEqual({
      ok: false,
      reason: `"${id}" is an image ID, which cannot be pulled; pull by name, for example "alpine:3.19" or "alpine@sha256:…".`,
    });
  });
  it('refuses an invalid reference with the parser reason', () => {
    const result = pullableReference('Bad Name');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/not a valid image reference/);
  });
});
