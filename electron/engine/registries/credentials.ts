/**
 * Registry credentials, sent to the engine as X-Registry-Auth and used by the registry client. For a
 * host, in order: what the user stored in Strata, the docker config's credHelpers[host], its credsStore,
 * then its inline `auths`. Helpers that are missing, fail or hang (5 s) are skipped: Strata goes on
 * anonymously and never crashes. Secrets are never logged and never put in messages.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedReference } from '../../../shared/reference';
import type { SecretStore } from '../host/secrets';
import { objectOrUndefined } from '../core/answers';

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

export const HUB_SERVER_URL = 'https://index.docker.io/v1/';
export const HELPER_TIMEOUT_MS = 5_000;

/** The key Strata stores credentials under: the host, lower case; every name of Docker Hub is `docker.io`. */
export function credentialKey(host: string): string {
  const normalised = normaliseKey(host);
  return isHub(normalised) ? 'docker.io' : normalised;
}

/** What a credential helper is asked for: Docker Hub's v1 URL, otherwise the host. */
export function helperServerUrl(host: string): string {
  return isHub(credentialKey(host)) ? HUB_SERVER_URL : normaliseKey(host);
}

/** The credential helper config.json names for `host` (credHelpers first, then credsStore), if any. */
export function helpersFor(config: unknown, host: string): readonly string[] {
  const root = objectOrUndefined(config);
  if (root === undefined) return [];
  const wanted = credentialKey(host);
  const names: string[] = [];
  const helpers = objectOrUndefined(root['credHelpers']);
  for (const [key, value] of Object.entries(helpers ?? {})) {
    if (credentialKey(key) === wanted && typeof value === 'string') names.push(value);
  }
  const store = root['credsStore'];
  if (typeof store === 'string') names.push(store);
  return names.filter((name, index) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) && names.indexOf(name) === index);
}

/** Registries config.json knows: `auths` keys (with the user name when inline) and `credHelpers` keys. */
export function configuredRegistries(
  config: unknown,
): readonly { readonly registry: string; readonly username: string | null; readonly source: 'config' | 'helper' }[] {
  const root = objectOrUndefined(config);
  if (root === undefined) return [];
  const out = new Map<string, { registry: string; username: string | null; source: 'config' | 'helper' }>();
  const usesStore = typeof root['credsStore'] === 'string';
  for (const key of Object.keys(objectOrUndefined(root['auths']) ?? {})) {
    const registry = credentialKey(key);
    if (registry === '') continue;
    const inline = findAuth(config, registry);
    if (inline !== undefined) out.set(registry, { registry, username: inline.username ?? null, source: 'config' });
    else if (usesStore) out.set(registry, { registry, username: null, source: 'helper' });
  }
  for (const key of Object.keys(objectOrUndefined(root['credHelpers']) ?? {})) {
    const registry = credentialKey(key);
    if (registry !== '' && !out.has(registry)) out.set(registry, { registry, username: null, source: 'helper' });
  }
  return [...out.values()];
}

export interface HelperOptions {
  /** The environment the helper runs in (its PATH finds `docker-credential-<name>`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

/**
 * Runs `docker-credential-<name> get` with the server URL on stdin. Undefined when the helper is
 * missing, fails, hangs or answers nonsense: never throws, never logs what it said.
 */
export function runCredentialHelper(
  name: string,
  serverUrl: string,
  options: HelperOptions,
): Promise<{ readonly username: string; readonly secret: string } | undefined> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: { username: string; secret: string } | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
    if (env['PATH'] === undefined && process.env['PATH'] !== undefined) env['PATH'] = process.env['PATH'];
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(`docker-credential-${name}`, ['get'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      resolve(undefined);
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(undefined);
    }, options.timeoutMs ?? HELPER_TIMEOUT_MS);
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 1024 * 1024) chunks.push(chunk);
    });
    child.on('error', () => done(undefined));
    child.stdin?.on('error', () => undefined);
    child.on('close', (code) => {
      if (code !== 0) return done(undefined);
      try {
        const value = objectOrUndefined(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
        const username = value?.['Username'];
        const secret = value?.['Secret'];
        if (typeof username === 'string' && typeof secret === 'string' && secret !== '') {
          return done({ username, secret });
        }
      } catch {
        // not JSON
      }
      return done(undefined);
    });
    child.stdin?.end(serverUrl);
  });
}

/**
 * Resolves credentials for a registry host: what the user stored in Strata first, then config.json's
 * credHelpers[host], its credsStore, then its inline `auths`; undefined to go anonymously.
 */
export function createCredentialResolver(options: {
  readonly configDir: string;
  readonly secrets: SecretStore;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (path: string) => Promise<string>;
  readonly helperTimeoutMs?: number;
}): (host: string) => Promise<RegistryAuth | undefined> {
  const read = options.readFile ?? ((path: string) => readFile(path, 'utf8'));
  const env = options.env ?? {};
  return async (host) => {
    const key = credentialKey(host);
    const serveraddress = isHub(key) ? HUB_SERVER_URL : host;
    const stored = await options.secrets.get(key);
    if (stored !== undefined) return { username: stored.username, password: stored.password, serveraddress };
    const config = await readConfig(read, options.configDir);
    if (config === undefined) return undefined;
    for (const helper of helpersFor(config, host)) {
      const found = await runCredentialHelper(helper, helperServerUrl(host), {
        env,
        ...(options.helperTimeoutMs === undefined ? {} : { timeoutMs: options.helperTimeoutMs }),
      });
      if (found === undefined) continue;
      return found.username === '<token>'
        ? { identitytoken: found.secret, serveraddress }
        : { username: found.username, password: found.secret, serveraddress };
    }
    return findAuth(config, host);
  };
}

/** config.json parsed, or undefined when missing or not JSON. */
export async function readConfig(read: (path: string) => Promise<string>, configDir: string): Promise<unknown> {
  try {
    return JSON.parse(await read(join(configDir, 'config.json'))) as unknown;
  } catch {
    return undefined;
  }
}
