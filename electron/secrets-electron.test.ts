import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronSecretStore, type SafeStorageLike } from './secrets-electron';

const dir = mkdtempSync(join(tmpdir(), 'strata-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for safeStorage: reversible, but the plain text never appears in what it returns. */
function fakeSafeStorage(available = true): SafeStorageLike & { available: boolean } {
  return {
    available,
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

  it('refuses to store when encryption is not available, with a clear message, and writes nothing', async () => {
    const filePath = join(dir, 'c.json');
    const store = electronSecretStore({ safeStorage: fakeSafeStorage(false), filePath });
    const failure = store.set({ registry: 'r.example', username: 'u', password: 'plain-pw' });
    await expect(failure).rejects.toMatchObject({
      message: expect.stringContaining('no encrypted storage') as string,
    });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('plain-pw') as string });
    expect(await store.list()).toEqual([]);
    expect(() => statSync(filePath)).toThrow();
  });

  it('treats an unreadable or foreign file as empty', async () => {
    const store = electronSecretStore({ safeStorage: fakeSafeStorage(), filePath: join(dir, 'missing.json') });
    expect(await store.get('r.example')).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });
});
