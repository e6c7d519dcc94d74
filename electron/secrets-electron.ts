/**
 * Credentials the user enters, kept encrypted with Electron's safeStorage (the OS keychain) in one JSON file
 * in the user data folder: `{ version, entries: [{ registry, username, password: base64(encrypted) }] }`.
 * `safeStorage` and the file path are parameters, so this is unit-testable without Electron. When the OS offers
 * no real keychain (no encryption at all, or on Linux Electron's `basic_text` fallback, which encrypts with a fixed
 * key, or a backend it cannot name), typed credentials are kept in memory for the session only, and the store says
 * why; nothing about them hits disk.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { memorySecretStore, type SecretStore, type StoredCredential } from './engine/host/secrets';

/** The part of Electron's `safeStorage` this needs. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text`, `gnome_libsecret`, `kwallet`, `kwallet5`, `kwallet6` or `unknown`. */
  getSelectedStorageBackend?(): string;
}

/** Linux backends that are a real keyring; anything else (`basic_text`, `unknown`) is not. */
const LINUX_KEYRINGS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/** Undefined when safeStorage encrypts with a real OS keychain; otherwise why typed credentials stay in memory. */
export function weakStorageReason(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) {
    return 'this system offers no encrypted storage (no keychain or secret service is available)';
  }
  if (platform !== 'linux') return undefined;
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  if (LINUX_KEYRINGS.has(backend)) return undefined;
  return backend === 'basic_text'
    ? 'no keyring (GNOME Keyring or KWallet) is running, and without one Electron would encrypt with a fixed key'
    : 'the system keyring could not be identified';
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
  /** Default: this process's platform. */
  readonly platform?: NodeJS.Platform;
}): SecretStore {
  const { safeStorage, filePath } = options;
  const platform = options.platform ?? process.platform;
  // Asked at each use: safeStorage answers only after the app is ready, and a keyring may start later.
  const weak = (): string | undefined => weakStorageReason(safeStorage, platform);
  const session = memorySecretStore();
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
      if (weak() !== undefined) return undefined;
      const password = safeStorage.decryptString(Buffer.from(entry.password, 'base64'));
      return { registry: entry.registry, username: entry.username, password };
    } catch {
      // Encrypted by another user or machine: as if not stored.
      return undefined;
    }
  };

  return {
    get kind() {
      return weak() === undefined ? 'encrypted' : 'session';
    },
    get sessionReason() {
      return weak();
    },
    get: async (registry) => {
      const typed = await session.get(registry);
      if (typed !== undefined) return typed;
      const entry = (await load()).find((e) => e.registry === registry);
      return entry === undefined ? undefined : decrypt(entry);
    },
    set: (credential) =>
      serial(async () => {
        if (weak() !== undefined) {
          await session.set(credential);
          return;
        }
        await session.delete(credential.registry);
        const password = safeStorage.encryptString(credential.password).toString('base64');
        const entries = (await load()).filter((e) => e.registry !== credential.registry);
        await save([...entries, { registry: credential.registry, username: credential.username, password }]);
      }),
    delete: (registry) =>
      serial(async () => {
        const inSession = await session.delete(registry);
        const entries = await load();
        const kept = entries.filter((e) => e.registry !== registry);
        if (kept.length === entries.length) return inSession;
        await save(kept);
        return true;
      }),
    list: async () => {
      const typed = await session.list();
      const known = new Set(typed.map((entry) => entry.registry));
      const stored = (await load())
        .filter((entry) => !known.has(entry.registry))
        .map(({ registry, username }) => ({ registry, username }));
      return [...stored, ...typed];
    },
  };
}
