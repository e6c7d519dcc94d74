/**
 * Credentials the user typed into Strata. The desktop app keeps them encrypted with Electron's
 * safeStorage (electron/secrets-electron.ts); browser mode keeps them in memory for the session.
 * Nothing here is ever logged or sent to the renderer: only registry and username leave.
 */
export interface StoredCredential {
  readonly registry: string;
  readonly username: string;
  readonly password: string;
}

export interface SecretStore {
  /** `encrypted`: persisted with the OS keychain; `session`: memory only. */
  readonly kind: 'encrypted' | 'session';
  /** Why a store that would keep credentials keeps them for the session only (no real keychain); shown at login. */
  readonly sessionReason?: string | undefined;
  get(registry: string): Promise<StoredCredential | undefined>;
  set(credential: StoredCredential): Promise<void>;
  /** True when something was removed. */
  delete(registry: string): Promise<boolean>;
  list(): Promise<readonly { readonly registry: string; readonly username: string }[]>;
}

/** Memory only: browser mode, and tests. */
export function memorySecretStore(): SecretStore {
  const entries = new Map<string, StoredCredential>();
  return {
    kind: 'session',
    get: (registry) => Promise.resolve(entries.get(registry)),
    set: (credential) => {
      entries.set(credential.registry, { ...credential });
      return Promise.resolve();
    },
    delete: (registry) => Promise.resolve(entries.delete(registry)),
    list: () => Promise.resolve([...entries.values()].map(({ registry, username }) => ({ registry, username }))),
  };
}
