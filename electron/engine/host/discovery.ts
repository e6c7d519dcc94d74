/**
 * Engines found on this machine, offered in the "add engine" dialog: the docker CLI's contexts
 * (<DOCKER_CONFIG or ~/.docker>/contexts/meta/<sha256(name)>/meta.json, TLS files under contexts/tls/<dir>/docker/),
 * Podman's sockets (rootless under $XDG_RUNTIME_DIR, rootful under /run; only when the socket is there) and the
 * default Docker socket. Reads files only; never connects to anything.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineCandidate, EngineTls } from '../../../shared/api';
import { DEFAULT_UNIX_SOCKET, configDirOf, parseDockerHost } from '../core/endpoint';
import { objectOrUndefined } from '../core/answers';

export type Candidate = Omit<EngineCandidate, 'added'>;

export interface DiscoverOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** The rootful Podman socket; default /run/podman/podman.sock. */
  readonly rootfulPodmanSocket?: string;
  /** The default Docker socket; default /var/run/docker.sock. */
  readonly defaultSocket?: string;
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The docker CLI's contexts, sorted by name; a broken meta.json is skipped. */
export function dockerContexts(configDir: string): readonly Candidate[] {
  const metaRoot = join(configDir, 'contexts', 'meta');
  let dirs: string[];
  try {
    dirs = readdirSync(metaRoot);
  } catch {
    return [];
  }
  const found: Candidate[] = [];
  for (const dir of dirs) {
    if (!/^[0-9a-f]{64}$/.test(dir)) continue;
    let meta: Record<string, unknown> | undefined;
    try {
      meta = objectOrUndefined(JSON.parse(readFileSync(join(metaRoot, dir, 'meta.json'), 'utf8')) as unknown);
    } catch {
      continue;
    }
    const name = meta?.['Name'];
    const docker = objectOrUndefined(objectOrUndefined(meta?.['Endpoints'])?.['docker']);
    const host = docker?.['Host'];
    if (typeof name !== 'string' || name === '' || typeof host !== 'string' || host === '') continue;
    const tlsDir = join(configDir, 'contexts', 'tls', dir, 'docker');
    const file = (base: string): string | undefined => (isFile(join(tlsDir, base)) ? join(tlsDir, base) : undefined);
    const caFile = file('ca.pem');
    const certFile = file('cert.pem');
    const keyFile = file('key.pem');
    const skipVerify = docker?.['SkipTLSVerify'] === true;
    let parsed: ReturnType<typeof parseDockerHost>;
    try {
      parsed = parseDockerHost(host, caFile !== undefined || certFile !== undefined || skipVerify);
    } catch {
      continue;
    }
    const hasTls = parsed.kind === 'tcp' && (caFile !== undefined || certFile !== undefined || skipVerify);
    const tls: EngineTls | null = hasTls
      ? {
          ...(caFile === undefined ? {} : { caFile }),
          ...(certFile === undefined ? {} : { certFile }),
          ...(keyFile === undefined ? {} : { keyFile }),
          verify: !skipVerify,
        }
      : null;
    found.push({
      name,
      host: parsed.address,
      kind: parsed.kind,
      tls,
      source: 'docker-context',
      description: `docker context "${name}"`,
    });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every engine found on this machine, contexts first. */
export function discoverEngines(options: DiscoverOptions): readonly Candidate[] {
  const { env } = options;
  const found: Candidate[] = [...dockerContexts(configDirOf(env, options.homeDir))];
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  const podman: { readonly path: string; readonly description: string }[] = [];
  if (runtimeDir !== undefined && runtimeDir !== '') {
    podman.push({ path: join(runtimeDir, 'podman', 'podman.sock'), description: 'Podman (rootless)' });
  }
  podman.push({ path: options.rootfulPodmanSocket ?? '/run/podman/podman.sock', description: 'Podman (rootful)' });
  for (const { path, description } of podman) {
    if (!isSocket(path)) continue;
    found.push({ name: description, host: `unix://${path}`, kind: 'unix', tls: null, source: 'podman', description });
  }
  const defaultSocket = options.defaultSocket ?? DEFAULT_UNIX_SOCKET;
  if (isSocket(defaultSocket)) {
    found.push({
      name: 'Docker (default socket)',
      host: `unix://${defaultSocket}`,
      kind: 'unix',
      tls: null,
      source: 'default-socket',
      description: `the default Docker socket ${defaultSocket}`,
    });
  }
  // The same host twice (a context pointing at the default socket): keep the first.
  const seen = new Set<string>();
  return found.filter((candidate) => {
    if (seen.has(candidate.host)) return false;
    seen.add(candidate.host);
    return true;
  });
}
