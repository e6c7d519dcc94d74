/**
 * Which engine to talk to, resolved the way the docker CLI does:
 *   1. an explicit host (the `--engine` flag),
 *   2. DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH),
 *   3. the docker context named by DOCKER_CONTEXT or `currentContext` in config.json, read from
 *      <config>/contexts/meta/<sha256(name)>/meta.json,
 *   4. unix:///var/run/docker.sock.
 * Pure: file contents come in through `readFile`, so tests hand in temp dirs or plain maps.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Endpoint } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { parseSshHost, type SshTarget } from './ssh';
import { textOrUndefined } from './answers';

export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';

export interface TlsFiles {
  readonly caFile: string | undefined;
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  /** False when the endpoint asks for TLS without verification (`--tls`, SkipTLSVerify). */
  readonly verify: boolean;
}

/** How to open a connection: what node:http needs, before certificates are read. */
export type Connection =
  | { readonly kind: 'unix'; readonly socketPath: string }
  | {
      readonly kind: 'tcp';
      readonly host: string;
      readonly port: number;
      readonly tls: TlsFiles | undefined;
    }
  | ({ readonly kind: 'ssh' } & SshTarget);

export interface ResolvedEndpoint {
  readonly endpoint: Endpoint;
  /** Undefined when the endpoint is of a kind Strata cannot open (npipe); see `unsupported`. */
  readonly connection: Connection | undefined;
  /** Why the endpoint cannot be used, in words a user can act on. */
  readonly unsupported: string | undefined;
}

export interface ResolveInput {
  readonly host?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** Reads a text file; undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
  /** Whether a file exists (certificate lookup). Defaults to `readFile(path) !== undefined`. */
  readonly exists?: (path: string) => boolean;
}

/** The docker config directory: DOCKER_CONFIG, else ~/.docker. */
export function configDirOf(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const fromEnv = env['DOCKER_CONFIG'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homeDir, '.docker');
}

/** The directory name the docker CLI stores a context under. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function readJson(input: ResolveInput, path: string): Record<string, unknown> | undefined {
  const text = input.readFile(path);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    throw new StrataError('invalid_argument', `${path} is not valid JSON; fix or remove it, or set DOCKER_HOST.`);
  }
}

interface ParsedHost {
  readonly kind: Endpoint['kind'];
  readonly address: string;
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number;
  readonly scheme?: string;
  readonly ssh?: Omit<SshTarget, 'searchPath'>;
}

/** Parses a docker host string: unix:///path, tcp://host:port, npipe:////./pipe/x, ssh://user@host[:port]. */
export function parseDockerHost(raw: string, tls: boolean): ParsedHost {
  const value = raw.trim();
  if (value.startsWith('/')) return { kind: 'unix', address: `unix://${value}`, socketPath: value };
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(value);
  if (match === null) {
    throw new StrataError(
      'invalid_argument',
      `"${raw}" is not a Docker host; use unix:///path/to/docker.sock or tcp://host:port.`,
    );
  }
  const scheme = (match[1] ?? '').toLowerCase();
  const rest = match[2] ?? '';
  switch (scheme) {
    case 'unix': {
      const socketPath = rest === '' ? DEFAULT_UNIX_SOCKET : rest;
      return { kind: 'unix', address: `unix://${socketPath}`, socketPath };
    }
    case 'tcp':
    case 'http':
    case 'https': {
      const hostPort = rest.replace(/\/.*$/, '');
      const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
      let host: string;
      let portText: string | undefined;
      if (bracketed !== null) {
        host = bracketed[1] ?? '';
        portText = bracketed[2];
      } else {
        const colon = hostPort.lastIndexOf(':');
        host = colon === -1 ? hostPort : hostPort.slice(0, colon);
        portText = colon === -1 ? undefined : hostPort.slice(colon + 1);
      }
      if (host === '') host = '127.0.0.1';
      const useTls = tls || scheme === 'https';
      const port = portText === undefined || portText === '' ? (useTls ? 2376 : 2375) : Number(portText);
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        throw new StrataError('invalid_argument', `"${raw}" has an invalid port; use tcp://host:port.`);
      }
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return { kind: 'tcp', address: `tcp://${shownHost}:${port}`, host, port, scheme };
    }
    case 'npipe':
      return { kind: 'npipe', address: value };
    case 'ssh': {
      const { address, ...ssh } = parseSshHost(value);
      return { kind: 'ssh', address, ssh };
    }
    default:
      throw new StrataError(
        'invalid_argument',
        `"${raw}" uses the unknown scheme "${scheme}"; use unix:///path/to/docker.sock or tcp://host:port.`,
      );
  }
}

function tlsFilesIn(input: ResolveInput, dir: string, verify: boolean): TlsFiles {
  const exists = input.exists ?? ((path: string) => input.readFile(path) !== undefined);
  const pick = (name: string): string | undefined => {
    const path = join(dir, name);
    return exists(path) ? path : undefined;
  };
  return { caFile: pick('ca.pem'), certFile: pick('cert.pem'), keyFile: pick('key.pem'), verify };
}

function build(
  parsed: ParsedHost,
  source: Endpoint['source'],
  tls: TlsFiles | undefined,
  context: string | undefined,
  searchPath: string | undefined,
): ResolvedEndpoint {
  const endpoint: Endpoint = {
    kind: parsed.kind,
    address: parsed.address,
    source,
    ...(context === undefined ? {} : { context }),
    tls: parsed.kind === 'tcp' && tls !== undefined,
  };
  switch (parsed.kind) {
    case 'unix':
      return {
        endpoint,
        connection: { kind: 'unix', socketPath: parsed.socketPath ?? DEFAULT_UNIX_SOCKET },
        unsupported: undefined,
      };
    case 'tcp':
      return {
        endpoint,
        connection: { kind: 'tcp', host: parsed.host ?? '127.0.0.1', port: parsed.port ?? 2375, tls },
        unsupported: undefined,
      };
    case 'npipe':
      return {
        endpoint,
        connection: undefined,
        unsupported: `${parsed.address} is a Windows named pipe, which Strata cannot open on this system; set DOCKER_HOST to a unix:// or tcp:// endpoint.`,
      };
    case 'ssh': {
      const ssh = parsed.ssh ?? parseSshHost(parsed.address);
      return {
        endpoint,
        connection: {
          kind: 'ssh',
          user: ssh.user,
          host: ssh.host,
          port: ssh.port,
          remoteSocket: ssh.remoteSocket,
          searchPath: isSet(searchPath) ? searchPath : undefined,
        },
        unsupported: undefined,
      };
    }
  }
}

/** Resolves the endpoint like the docker CLI; throws `invalid_argument` for a malformed host or context. */
export function resolveEndpoint(input: ResolveInput): ResolvedEndpoint {
  const { env } = input;
  const configDir = configDirOf(env, input.homeDir);
  const tlsVerify = isSet(env['DOCKER_TLS_VERIFY']);
  const tlsOn = tlsVerify || isSet(env['DOCKER_TLS']);
  const envTls = (): TlsFiles | undefined =>
    tlsOn
      ? tlsFilesIn(input, isSet(env['DOCKER_CERT_PATH']) ? env['DOCKER_CERT_PATH'] : configDir, tlsVerify)
      : undefined;

  if (isSet(input.host)) {
    return build(parseDockerHost(input.host, tlsOn), 'flag', envTls(), undefined, env['PATH']);
  }
  const dockerHost = env['DOCKER_HOST'];
  if (isSet(dockerHost)) {
    return build(parseDockerHost(dockerHost, tlsOn), 'DOCKER_HOST', envTls(), undefined, env['PATH']);
  }

  let contextName = env['DOCKER_CONTEXT'];
  if (!isSet(contextName)) {
    contextName = textOrUndefined(readJson(input, join(configDir, 'config.json'))?.['currentContext']);
  }
  if (isSet(contextName) && contextName !== 'default') {
    const dir = contextDirName(contextName);
    const metaPath = join(configDir, 'contexts', 'meta', dir, 'meta.json');
    const meta = readJson(input, metaPath);
    if (meta === undefined) {
      throw new StrataError(
        'invalid_argument',
        `The docker context "${contextName}" does not exist (no ${metaPath}); run "docker context use default" or set DOCKER_HOST.`,
      );
    }
    const endpoints = meta['Endpoints'];
    const docker =
      typeof endpoints === 'object' && endpoints !== null
        ? (endpoints as Record<string, unknown>)['docker']
        : undefined;
    const record = typeof docker === 'object' && docker !== null ? (docker as Record<string, unknown>) : {};
    const host = textOrUndefined(record['Host']);
    if (!isSet(host)) {
      throw new StrataError(
        'invalid_argument',
        `The docker context "${contextName}" has no Docker endpoint; run "docker context inspect ${contextName}" to check it.`,
      );
    }
    const tlsDir = join(configDir, 'contexts', 'tls', dir, 'docker');
    const skipVerify = record['SkipTLSVerify'] === true;
    const files = tlsFilesIn(input, tlsDir, !skipVerify);
    const hasTls = files.caFile !== undefined || files.certFile !== undefined || skipVerify;
    return build(parseDockerHost(host, hasTls), 'context', hasTls ? files : undefined, contextName, env['PATH']);
  }

  return build(parseDockerHost(`unix://${DEFAULT_UNIX_SOCKET}`, false), 'default', undefined, undefined, env['PATH']);
}
