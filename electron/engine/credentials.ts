/**
 * Registry credentials from the docker config's `auths` (inline `auth` or `identitytoken`), sent to
 * the engine as X-Registry-Auth. Credential helpers (credsStore / credHelpers) are not consulted.
 * Secrets are never logged and never put in messages.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedReference } from '../../shared/reference';
import type { SecretStore } from './secrets';

export const DOCKER_HUB_KEYS = [
  'https://index.docker.io/v1/',
  'index.docker.io',
  'docker.io',
  'registry-1.docker.io',
  'https://registry-1.docker.io',
  'registry.hub.docker.com',
] as const;

export interface RegistryAuth {
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly serveraddress: string;
}

/** The registry host of a reference, Docker Hub when it names none. */
export function registryHostOf(reference: ParsedReference): string {
  return reference.domain ?? 'docker.io';
}

function normaliseKey(key: string): string {
  return key
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

function isHub(host: string): boolean {
  return ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(host);
}

/** Finds credentials for `host` in a parsed config.json; undefined when none are stored inline. */
export function findAuth(config: unknown, host: string): RegistryAuth | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const auths = (config as Record<string, unknown>)['auths'];
  if (typeof auths !== 'object' || auths === null) return undefined;
  const wanted = normaliseKey(host);
  const hub = isHub(wanted);
  for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
    const normalised = normaliseKey(key);
    if (!(normalised === wanted || (hub && isHub(normalised)))) continue;
    if (typeof value !== 'object' || value === null) continue;
    const entry = value as Record<string, unknown>;
    const serveraddress = hub ? 'https://index.docker.io/v1/' : host;
    const identitytoken = entry['identitytoken'];
    if (typeof identitytoken === 'string' && identitytoken !== '') return { identitytoken, serveraddress };
    const auth = entry['auth'];
    if (typeof auth === 'string' && auth !== '') {
      const decoded = Buffer.from(auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress };
    }
    const username = entry['username'];
    const password = entry['password'];
    if (typeof username === 'string' && typeof password === 'string') return { username, password, serveraddress };
  }
  return undefined;
}

/** The X-Registry-Auth header value: base64url of the JSON auth config. */
export function registryAuthHeader(auth: RegistryAuth): string {
  return Buffer.from(JSON.stringify(auth), 'utf8').toString('base64url');
}

/**
 * Resolves credentials for a registry host: what the user stored in Strata first, then the docker
 * config's `auths`. TODO(registries): credsStore / credHelpers.
 */
export function createCredentialResolver(options: {
  readonly configDir: string;
  readonly secrets: SecretStore;
  readonly readFile?: (path: string) => Promise<string>;
}): (host: string) => Promise<RegistryAuth | undefined> {
  const read = options.readFile ?? ((path: string) => readFile(path, 'utf8'));
  return async (host) => {
    const stored = await options.secrets.get(host);
    if (stored !== undefined) {
      return { username: stored.username, password: stored.password, serveraddress: host };
    }
    try {
      const configText = await read(join(options.configDir, 'config.json'));
      return findAuth(JSON.parse(configText) as unknown, host);
    } catch {
      // No config, or not JSON: anonymous.
      return undefined;
    }
  };
}
