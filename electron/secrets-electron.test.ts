import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronSecretStore, type SafeStorageLike } from './secrets-electron';

const dir = mkdtempSync(join(tmpdir(), 'strata-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for safeStorage: reversible, but the plain text never appears in what it returns. */
function fakeSafeStorage(available = true, backend = 'gnome_libsecret'): SafeStorageLike & { available: boolean } {
  return {
    available,
    getSelectedStorageBackend: () => backend,
    isEncryptionAvailable() {
      return this.available;
    },
    encryptString: (plain) => Buffer.from(`enc:${Buffer.from(plain).toString('hex').split('').reverse().join('')}`),
    decryptString: (encrypted) => {
      const text = encrypted.toString();
      if (!text.startsWith('enc:')) throw new Error('not mine');
      return Buffer.from(text.slice(4).split('').reverse().join(''), 'hex').toString();
    },
  };
}

describe('the desktop secret store', () => {
  it('keeps credentials encrypted in a file, readable again by a new store, never in plain text', async () => {
    const filePath = join(dir, 'a', 'registry-credentials.json');
    const store = electronSecretStore({ safeStorage: fakeSafeStorage(), filePath });
    expect(store.kind).toBe('encrypted');
    await store.set({ registry: '127.0.0.1:5000', username: 'alice', password: 'very-secret-pw' });
    await store.set({ registry: 'ghcr.io', username: 'bob', password: 'other-secret' });
    const text = readFileSync(filePath, 'utf8');
    expect(text).not.toContain('very-secret-pw');
    expect(text).not.toContain('other-secret');
    expect(text).toContain('alice');
    expect(statSync(filePath).mode & 0o077).toBe(0);

    const again = electronSecretStore({ safeStorage: fakeSafeStorage(), filePath });
    expect(await again.get('127.0.0.1:5000')).toEqual({
      registry: '127.0.0.1:5000',
      username: 'alice',
      password: 'very-secret-pw',
    });
    expect(await again.list()).toEqual([
      { registry: '127.0.0.1:5000', username: 'alice' },
      { registry: 'ghcr.io', username: 'bob' },
    ]);
    expect(await again.delete('ghcr.io')).toBe(true);
    expect(await again.delete('ghcr.io')).toBe(false);
    expect(await again.get('ghcr.io')).toBeUndefined();
  });

  it('replaces the entry of a registry when set again', async () => {
    const filePath = join(dir, 'b.json');
    const store = electronSecretStore({ safeStorage: fakeSafeStorage(), filePath });
    await store.set({ registry: 'r.example', username: 'old', password: 'p1' });
    await store.set({ registry: 'r.example', username: 'new', password: 'p2' });
    expect(await store.list()).toEqual([{ registry: 'r.example', username: 'new' }]);
    expect((await store.get('r.example'))?.password).toBe('p2');
  });

  it('keeps credentials for the session only when encryption is not available, and writes nothing', async () => {
    const filePath = join(dir, 'c.json');
    const store = electronSecretStore({ safeStorage: fakeSafeStorage(false), filePath, platform: 'linux' });
    expect(store.kind).toBe('session');
    expect(store.sessionReason).toContain('no encrypted storage');
    await store.set({ registry: 'r.example', username: 'u', password: 'plain-pw' });
    expect(await store.get('r.example')).toEqual({ registry: 'r.example', username: 'u', password: 'plain-pw' });
    expect(await store.list()).toEqual([{ registry: 'r.example', username: 'u' }]);
    expect(() => statSync(filePath)).toThrow();
    const nextRun = electronSecretStore({ safeStorage: fakeSafeStorage(false), filePath, platform: 'linux' });
    expect(await nextRun.get('r.example')).toBeUndefined();
  });

  it.each([
    ['basic_text', 'fixed key'],
    ['unknown', 'could not be identified'],
  ])('treats the Linux %s backend as no keychain: session only, nothing on disk', async (backend, reason) => {
    const filePath = join(dir, `weak-${backend}.json`);
    const store = electronSecretStore({ safeStorage: fakeSafeStorage(true, backend), filePath, platform: 'linux' });
    expect(store.kind).toBe('session');
    expect(store.sessionReason).toContain(reason);
    await store.set({ registry: 'r.example', username: 'u', password: 'weak-pw' });
    expect((await store.get('r.example'))?.password).toBe('weak-pw');
    expect(() => statSync(filePath)).toThrow();
    expect(await store.delete('r.example')).toBe(true);
    expect(await store.get('r.example')).toBeUndefined();
  });

  it.each(['gnome_libsecret', 'kwallet5', 'kwallet6'])(
    'stores encrypted with the Linux %s keyring',
    async (backend) => {
      const filePath = join(dir, `strong-${backend}.json`);
      const store = electronSecretStore({ safeStorage: fakeSafeStorage(true, backend), filePath, platform: 'linux' });
      expect(store.kind).toBe('encrypted');
      expect(store.sessionReason).toBeUndefined();
      await store.set({ registry: 'r.example', username: 'u', password: 'strong-pw' });
      expect(readFileSync(filePath, 'utf8')).not.toContain('strong-pw');
    },
  );

  it('asks no Linux backend on other systems', async () => {
    const store = electronSecretStore({
      safeStorage: fakeSafeStorage(true, 'basic_text'),
      filePath: join(dir, 'mac.json'),
      platform: 'darwin',
    });
    expect(store.kind).toBe('encrypted');
    await store.set({ registry: 'r.example', username: 'u', password: 'pw' });
    expect(statSync(join(dir, 'mac.json')).isFile()).toBe(true);
  });

  it('treats an unreadable or foreign file as empty', async () => {
    const store = electronSecretStore({ safeStorage: fakeSafeStorage(), filePath: join(dir, 'missing.json') });
    expect(await store.get('r.example')).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });
});
