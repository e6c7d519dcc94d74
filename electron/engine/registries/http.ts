/**
 * A small registry v2 HTTP client: which scheme to use (http only for loopback hosts), auth challenges
 * (Basic, and Bearer tokens from the realm the registry names), bounded answers and careful redirects.
 * Credentials are only ever put in request headers; they never appear in results, errors or logs.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { StrataError } from '../../../shared/errors';

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
export const DEFAULT_REGISTRY_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 3;

const HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Credentials as the registry sees them. */
export type RegistryCredentials =
  { readonly username: string; readonly password: string } | { readonly identitytoken: string };

export interface RegistryResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The URL that answered (after redirects). */
  readonly url: string;
}

export interface RegistryRequest {
  /** `host[:port]` as the user names it (`docker.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  /** Starts with `/v2/`; every segment already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly method?: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly credentials?: RegistryCredentials;
  /** Token scope for a Bearer challenge (`repository:lab/app:pull`, `registry:catalog:*`). */
  readonly scope?: string;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

/** True for 127.0.0.0/8, localhost and ::1 (with or without a port). */
export function isLoopbackHost(registry: string): boolean {
  const host = hostOnly(registry).toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function hostOnly(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  const colon = registry.lastIndexOf(':');
  return colon >= 0 && registry.indexOf(':') === colon ? registry.slice(0, colon) : registry;
}

/** True for any of Docker Hub's names. */
export function isDockerHub(registry: string): boolean {
  return HUB_NAMES.has(registry.toLowerCase());
}

/** Where the registry's API lives: http for loopback hosts, https for all others; Docker Hub's API host. */
export function registryBaseUrl(registry: string): string {
  if (isDockerHub(registry)) return 'https://registry-1.docker.io';
  return `${isLoopbackHost(registry) ? 'http' : 'https'}://${registry}`;
}

export interface Challenge {
  readonly scheme: 'basic' | 'bearer' | 'other';
  readonly params: Readonly<Record<string, string>>;
}

/** Parses a WWW-Authenticate header (`Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`). */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (match === null) return undefined;
  const name = (match[1] ?? '').toLowerCase();
  const params: Record<string, string> = {};
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let m = re.exec(match[2] ?? ''); m !== null; m = re.exec(match[2] ?? '')) {
    params[(m[1] ?? '').toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { scheme: name === 'basic' ? 'basic' : name === 'bearer' ? 'bearer' : 'other', params };
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function describeNetworkError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused (is the registry running, and is the port right?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be resolved';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return 'it did not answer in time';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the connection was reset';
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return 'TLS failed (does it speak https?)';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

interface RawRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly registry: string;
}

function send(req: RawRequest): Promise<RegistryResponse> {
  const requestFn = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = requestFn(
      req.url,
      {
        method: req.method,
        headers: {
          ...req.headers,
          'User-Agent': 'strata',
          ...(req.body === undefined ? {} : { 'Content-Length': String(req.body.length) }),
        },
        timeout: req.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > req.maxBytes) {
            res.destroy();
            reject(
              new StrataError(
                'engine_error',
                `the registry ${req.registry} sent more than ${Math.round(req.maxBytes / 1024 / 1024)} MB for ${req.url.pathname}; Strata stopped reading.`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            url: req.url.href,
          }),
        );
        res.on('error', (error) => reject(networkError(req.registry, error)));
      },
    );
    r.on('timeout', () => {
      const error = Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
      r.destroy(error);
    });
    r.on('error', (error) => reject(networkError(req.registry, error)));
    r.end(req.body);
  });
}

function networkError(registry: string, error: unknown): StrataError {
  if (error instanceof StrataError) return error;
  return new StrataError(
    'engine_error',
    `Cannot reach the registry ${registry}: ${describeNetworkError(error)}.`,
    error instanceof Error ? error.message : undefined,
  );
}

/** Sends one request, following at most 3 redirects; Authorization is dropped when the host changes. */
async function sendFollowing(req: RawRequest): Promise<RegistryResponse> {
  let current = req;
  for (let hop = 0; ; hop++) {
    const res = await send(current);
    const location = headerOf(res.headers, 'location');
    if (![301, 302, 303, 307, 308].includes(res.status) || location === undefined) return res;
    if (hop >= MAX_REDIRECTS) {
      throw new StrataError(
        'engine_error',
        `the registry ${req.registry} redirected more than ${MAX_REDIRECTS} times.`,
      );
    }
    const next = new URL(location, current.url);
    if (next.protocol !== 'https:' && !(next.protocol === 'http:' && isLoopbackHost(next.host))) {
      throw new StrataError(
        'engine_error',
        `the registry ${req.registry} redirected to ${next.protocol}//${next.host}, which Strata does not follow (only https, or http on loopback).`,
      );
    }
    const headers = { ...current.headers };
    if (next.host !== current.url.host) delete headers['Authorization'];
    const method = res.status === 303 ? 'GET' : current.method;
    current = { ...current, url: next, headers, method, ...(method === 'GET' ? { body: undefined } : {}) };
  }
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Asks the token realm for a Bearer token; undefined when the realm refused the credentials (401/403). */
async function fetchToken(
  registry: string,
  challenge: Challenge,
  credentials: RegistryCredentials | undefined,
  scope: string | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  const realm = challenge.params['realm'];
  if (realm === undefined || realm === '') {
    throw new StrataError(
      'engine_error',
      `the registry ${registry} asked for a token but named no realm to get it from.`,
    );
  }
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new StrataError('engine_error', `the registry ${registry} named a token realm that is not a URL.`);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.host));
  if (!secure) {
    throw new StrataError(
      'engine_error',
      `the registry ${registry} named a token realm over ${url.protocol}//${url.host}; Strata only sends credentials over https (or http on loopback).`,
    );
  }
  const service = challenge.params['service'];
  const wantedScope = scope ?? challenge.params['scope'];
  const headers: Record<string, string> = { Accept: 'application/json' };
  let method = 'GET';
  let body: Buffer | undefined;
  if (credentials !== undefined && 'identitytoken' in credentials) {
    method = 'POST';
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identitytoken });
    form.set('client_id', 'strata');
    if (service !== undefined) form.set('service', service);
    if (wantedScope !== undefined) form.set('scope', wantedScope);
    body = Buffer.from(form.toString(), 'utf8');
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else {
    if (service !== undefined) url.searchParams.set('service', service);
    if (wantedScope !== undefined) url.searchParams.set('scope', wantedScope);
    if (credentials !== undefined) {
      url.searchParams.set('account', credentials.username);
      headers['Authorization'] = basicHeader(credentials.username, credentials.password);
    }
  }
  const res = await sendFollowing({
    url,
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    timeoutMs,
    maxBytes: 1024 * 1024,
    registry,
  });
  if (res.status === 401 || res.status === 403) return undefined;
  if (res.status < 200 || res.status >= 300) {
    throw new StrataError('engine_error', `the token service of ${registry} answered ${res.status}.`);
  }
  try {
    const value = JSON.parse(res.body.toString('utf8')) as { token?: unknown; access_token?: unknown };
    const token = typeof value.token === 'string' ? value.token : value.access_token;
    if (typeof token === 'string' && token !== '') return token;
  } catch {
    // fall through
  }
  throw new StrataError('engine_error', `the token service of ${registry} answered without a token.`);
}

/**
 * One registry API call. Sent anonymously first; on a 401 it answers the challenge (Basic with the
 * credentials, or a Bearer token for `scope`) and tries once more. Answers whatever the registry said
 * last (the caller maps statuses to messages with `registryStatusError`).
 */
export async function registryFetch(options: RegistryRequest): Promise<RegistryResponse> {
  const url = new URL(options.path, registryBaseUrl(options.registry));
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value));
  const timeoutMs = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
  const base: RawRequest = {
    url,
    method: options.method ?? 'GET',
    headers: { ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
    timeoutMs,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    registry: options.registry,
  };
  const first = await sendFollowing(base);
  if (first.status !== 401) return first;
  const challenge = parseChallenge(headerOf(first.headers, 'www-authenticate'));
  const credentials = options.credentials;
  if (challenge?.scheme === 'basic') {
    if (credentials === undefined || !('username' in credentials)) return first;
    return sendFollowing({
      ...base,
      headers: { ...base.headers, Authorization: basicHeader(credentials.username, credentials.password) },
    });
  }
  if (challenge?.scheme === 'bearer') {
    const token = await fetchToken(options.registry, challenge, credentials, options.scope, timeoutMs);
    if (token === undefined) return first;
    return sendFollowing({ ...base, headers: { ...base.headers, Authorization: `Bearer ${token}` } });
  }
  return first;
}

/** What a non-2xx answer means to a user. `what` names the thing asked for ("repository lab/app"). */
export function registryStatusError(registry: string, res: RegistryResponse, what: string): StrataError {
  const detail = registryErrorDetail(res.body);
  if (res.status === 401 || res.status === 403) {
    return new StrataError(
      'registry_unauthorized',
      `${registry} refused access to ${what} (${res.status}); log in to ${registry}, or check that this user may read it.`,
      detail,
    );
  }
  if (res.status === 404) {
    return new StrataError('not_found', `${what} was not found in ${registry}.`, detail);
  }
  if (res.status >= 500) {
    return new StrataError(
      'engine_error',
      `the registry ${registry} answered ${res.status} for ${what}; try again later or check the registry.`,
      detail,
    );
  }
  return new StrataError('engine_error', `the registry ${registry} answered ${res.status} for ${what}.`, detail);
}

/** The first `errors[].message` of a registry error body, if any. */
function registryErrorDetail(body: Buffer): string | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = value.errors?.[0];
    if (first === undefined) return undefined;
    return [first.code, first.message].filter((x) => typeof x === 'string').join(': ') || undefined;
  } catch {
    return undefined;
  }
}

/** The digest of a manifest: Docker-Content-Digest, or the sha256 of the bytes. */
export function contentDigest(res: RegistryResponse): string {
  const header = headerOf(res.headers, 'docker-content-digest');
  if (header !== undefined && /^[a-z0-9]+:[a-f0-9]{32,}$/.test(header)) return header;
  return `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
}

/** The `last` of a `Link: </v2/_catalog?last=x&n=100>; rel="next"` header, or null. */
export function nextFromLink(link: string | undefined, param = 'last'): string | null {
  if (link === undefined) return null;
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (match?.[1] === undefined) return null;
  try {
    return new URL(match[1], 'http://x').searchParams.get(param);
  } catch {
    return null;
  }
}
