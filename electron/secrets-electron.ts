/**
 * Credentials the user enters, kept encrypted with Electron's safeStorage (the OS keychain) in one JSON file
 * in the user data folder: `{ version, entries: [{ registry, username, password: base64(encrypted) }] }`.
 * `safeStorage` and the file path are parameters, so this is unit-testable without Electron. When the OS
 * offers no encryption, nothing is stored (and the caller gets a clear message); plain text never hits disk.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StrataError } from '../shared/errors';
import type { SecretStore, StoredCredential } from './engine/host/secrets';

/** The part of Electron's `safeStorage` this needs. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

interface FileEntry {
  readonly registry: string;
  readonly username: string;
  readonly password: string;
}

function parseEntries(text: string): FileEntry[] {
  const value = JSON.parse(text) as { entries?: unknown };
  if (!Array.isArray(value.entries)) return [];
  return value.entries.filter(
    (e): e is FileEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as FileEntry).registry === 'string' &&
      typeof (e as FileEntry).username === 'string' &&
      typeof (e as FileEntry).password === 'string',
  );
}

export function electronSecretStore(options: {
  readonly safeStorage: SafeStorageLike;
  /** For example `join(app.getPath('userData'), 'registry-credentials.json')`. */
  readonly filePath: string;
}): SecretStore {
  const { safeStorage, filePath } = options;
  // One write at a time, in order.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const load = async (): Promise<FileEntry[]> => {
    try {
      return parseEntries(await readFile(filePath, 'utf8'));
    } catch {
      return [];
    }
  };
  const save = async (entries: readonly FileEntry[]): Promise<void> => {
    await mkdir(dirname(filePath), { recursive: true });
    const tmp = `${filePath}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: 1, entries }, null, 2), { mode: 0o600 });
    await rename(tmp, filePath);
  };
  const decrypt = (entry: FileEntry): StoredCredential | undefined => {
    try {
      if (!safeStorage.isEncryptionAvailable()) return undefined;
      const password = safeStorage.decryptString(Buffer.from(entry.password, 'base64'));
      return { registry: entry.registry, username: entry.username, password };
    } catch {
      // Encrypted by another user or machine: as if not stored.
      return undefined;
    }
  };

  return {
    kind: 'encrypted',
    get: async (registry) => {
      const entry = (await load()).find((e) => e.registry === registry);
      return entry === undefined ? undefined : decrypt(entry);
    },
    set: (credential) =>
      serial(async () => {
        if (!safeStorage.isEncryptionAvailable()) {
          throw new StrataError(
            'conflict',
            `Strata did not keep the password for ${credential.registry}: this system offers no encrypted storage (no keychain or secret service is available), and Strata never stores passwords in plain text. Use "docker login" with a credential helper instead.`,
          );
        }
        const password = safeStorage.encryptString(credential.password).toString('base64');
        const entries = (await load()).filter((e) => e.registry !== credential.registry);
        await save([...entries, { registry: credential.registry, username: credential.username, password }]);
      }),
    delete: (registry) =>
      serial(async () => {
        const entries = await load();
        const kept = entries.filter((e) => e.registry !== registry);
        if (kept.length === entries.length) return false;
        await save(kept);
        return true;
      }),
    list: async () => (await load()).map(({ registry, username }) => ({ registry, username })),
  };
}
