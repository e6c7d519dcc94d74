/**
 * Pure mappings for one container: the inspect answer to ContainerDetails, /changes to FileChanges, and
 * `containers.run` arguments to the body of POST /containers/create (checked first, as the docker CLI does).
 */
import type { ContainerDetails, FileChange, ParsedArgsOf, Port } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { labelsOf, toMount, type Health } from './list';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** The engine's "never" time is Go's zero time. */
function timeOrNull(value: unknown): string | null {
  const time = str(value);
  return time === '' || time.startsWith('0001-01-01') ? null : time;
}

function healthOf(state: Json): Health | null {
  const status = str(obj(state['Health'])['Status']);
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : null;
}

/** "80/tcp" → [80, "tcp"]. */
function splitPortKey(key: string): readonly [number, string] | undefined {
  const match = /^(\d+)(?:\/([a-z]+))?$/.exec(key);
  if (match === null) return undefined;
  return [Number(match[1]), match[2] ?? 'tcp'];
}

function bindingsOf(value: unknown): { readonly ip: string; readonly port: number | null }[] {
  if (!Array.isArray(value)) return [];
  return value.map((b) => {
    const binding = obj(b);
    const port = Number.parseInt(str(binding['HostPort']), 10);
    return { ip: str(binding['HostIp']), port: Number.isFinite(port) && port > 0 ? port : null };
  });
}

/**
 * Ports of an inspected container: the live bindings (NetworkSettings.Ports) where there are some, else the
 * configured ones (HostConfig.PortBindings: a container that is stopped, or has no network to publish on),
 * else the port as only exposed.
 */
export function portsOfInspect(raw: unknown): Port[] {
  const c = obj(raw);
  const live = obj(obj(c['NetworkSettings'])['Ports']);
  const configured = obj(obj(c['HostConfig'])['PortBindings']);
  const exposed = obj(obj(c['Config'])['ExposedPorts']);
  const keys = [...new Set([...Object.keys(exposed), ...Object.keys(configured), ...Object.keys(live)])];
  const ports: Port[] = [];
  for (const key of keys) {
    const split = splitPortKey(key);
    if (split === undefined) continue;
    const [privatePort, type] = split;
    const liveBindings = bindingsOf(live[key]).filter((b) => b.port !== null);
    const bindings = liveBindings.length > 0 ? liveBindings : bindingsOf(configured[key]);
    if (bindings.length === 0) {
      ports.push({ ip: null, privatePort, publicPort: null, type });
      continue;
    }
    for (const b of bindings) {
      ports.push({
        ip: b.port === null ? null : b.ip === '' ? '0.0.0.0' : b.ip,
        privatePort,
        publicPort: b.port,
        type,
      });
    }
  }
  return ports.sort((a, b) => a.privatePort - b.privatePort || a.type.localeCompare(b.type));
}

export function restartPolicyText(raw: unknown): string {
  const policy = obj(raw);
  const name = str(policy['Name']);
  if (name === '' || name === 'no') return 'no';
  const retries = policy['MaximumRetryCount'];
  return name === 'on-failure' && typeof retries === 'number' && retries > 0 ? `on-failure:${retries}` : name;
}

/** GET /containers/{id}/json → ContainerDetails (raw kept as it came). */
export function toContainerDetails(engineId: string, raw: unknown): ContainerDetails {
  const c = obj(raw);
  const state = obj(c['State']);
  const config = obj(c['Config']);
  const host = obj(c['HostConfig']);
  const exitCode = state['ExitCode'];
  const error = str(state['Error']);
  const startedAt = timeOrNull(state['StartedAt']);
  return {
    engineId,
    id: str(c['Id']),
    name: str(c['Name']).replace(/^\//, ''),
    image: str(config['Image']) || str(c['Image']),
    imageId: str(c['Image']),
    created: str(c['Created']),
    startedAt,
    finishedAt: timeOrNull(state['FinishedAt']),
    state: str(state['Status']),
    exitCode: typeof exitCode === 'number' && (startedAt !== null || exitCode !== 0) ? exitCode : null,
    error: error === '' ? null : error,
    health: healthOf(state),
    tty: config['Tty'] === true,
    entrypoint: strings(config['Entrypoint']),
    command: strings(config['Cmd']),
    env: strings(config['Env']),
    workingDir: str(config['WorkingDir']),
    user: str(config['User']),
    ports: portsOfInspect(raw),
    mounts: Array.isArray(c['Mounts']) ? c['Mounts'].map(toMount) : [],
    restartPolicy: restartPolicyText(host['RestartPolicy']),
    autoRemove: host['AutoRemove'] === true,
    networkMode: str(host['NetworkMode']),
    labels: labelsOf(config['Labels']),
    raw,
  };
}

const CHANGE_KINDS: Readonly<Record<number, FileChange['kind']>> = { 0: 'changed', 1: 'added', 2: 'deleted' };

/** GET /containers/{id}/changes (a null body is no change). */
export function toFileChanges(raw: unknown): FileChange[] {
  if (!Array.isArray(raw)) return [];
  const changes: FileChange[] = [];
  for (const entry of raw) {
    const change = obj(entry);
    const kind = typeof change['Kind'] === 'number' ? CHANGE_KINDS[change['Kind']] : undefined;
    const path = str(change['Path']);
    if (kind !== undefined && path !== '') changes.push({ path, kind });
  }
  return changes;
}

export type RunArgs = ParsedArgsOf<'containers.run'>;

/** Checks what the schema cannot (combinations), before any engine call. */
export function checkRunArgs(args: RunArgs): void {
  if (args.autoRemove && args.restartPolicy !== 'no') {
    throw new StrataError(
      'invalid_argument',
      `Auto-remove cannot be combined with the restart policy "${args.restartPolicy}": a removed container cannot restart. Turn one of them off.`,
    );
  }
  if (args.maxRetries !== undefined && args.restartPolicy !== 'on-failure') {
    throw new StrataError(
      'invalid_argument',
      'Maximum retries only applies to the restart policy "on-failure"; choose that policy or leave retries empty.',
    );
  }
  const targets = new Set<string>();
  for (const volume of args.volumes) {
    const target = volume.target.replace(/\/+$/, '') || '/';
    if (target === '/') throw new StrataError('invalid_argument', 'A volume cannot be mounted on "/".');
    if (targets.has(target)) {
      throw new StrataError('invalid_argument', `Two volumes are mounted on ${target}; keep one.`);
    }
    targets.add(target);
    if (volume.source.includes(':') || volume.target.includes(':')) {
      throw new StrataError(
        'invalid_argument',
        `A volume path cannot contain ":" (${volume.source === '' ? volume.target : `${volume.source} → ${volume.target}`}).`,
      );
    }
    if (volume.source === '' && volume.readOnly) {
      throw new StrataError(
        'invalid_argument',
        `The new anonymous volume on ${volume.target} cannot be read-only: nothing could ever write to it. Name a volume or make it writable.`,
      );
    }
  }
  const hostPorts = new Set<string>();
  const containerPorts = new Set<string>();
  for (const port of args.ports) {
    const inside = `${port.containerPort}/${port.protocol}`;
    if (port.hostPort === undefined) {
      if (containerPorts.has(inside)) {
        throw new StrataError('invalid_argument', `Port ${inside} is listed twice; keep one.`);
      }
    } else {
      const outside = `${port.hostIp ?? '*'}:${port.hostPort}/${port.protocol}`;
      if (hostPorts.has(outside)) {
        throw new StrataError(
          'invalid_argument',
          `Host port ${port.hostPort}/${port.protocol} is published twice; each host port can take one container port.`,
        );
      }
      hostPorts.add(outside);
    }
    containerPorts.add(inside);
  }
}

/** The body of POST /containers/create for `containers.run` (call checkRunArgs first). */
export function createBody(args: RunArgs): Json {
  const exposedPorts: Record<string, Json> = {};
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of args.ports) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposedPorts[key] = {};
    const list = portBindings[key] ?? [];
    list.push({ HostIp: port.hostIp ?? '', HostPort: port.hostPort === undefined ? '' : String(port.hostPort) });
    portBindings[key] = list;
  }
  const binds: string[] = [];
  const anonymous: Record<string, Json> = {};
  for (const volume of args.volumes) {
    if (volume.source === '') anonymous[volume.target] = {};
    else binds.push(`${volume.source}:${volume.target}${volume.readOnly ? ':ro' : ''}`);
  }
  const restartPolicy: Json = { Name: args.restartPolicy === 'no' ? '' : args.restartPolicy };
  if (args.restartPolicy === 'on-failure' && args.maxRetries !== undefined) {
    restartPolicy['MaximumRetryCount'] = args.maxRetries;
  }
  const hostConfig: Json = { RestartPolicy: restartPolicy, AutoRemove: args.autoRemove };
  if (args.ports.length > 0) hostConfig['PortBindings'] = portBindings;
  if (binds.length > 0) hostConfig['Binds'] = binds;
  const body: Json = {
    Image: args.image,
    Env: args.env,
    Labels: args.labels,
    Tty: args.tty,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: !args.detach,
    AttachStderr: !args.detach,
    HostConfig: hostConfig,
  };
  if (args.command.length > 0) body['Cmd'] = args.command;
  if (args.entrypoint.length > 0) body['Entrypoint'] = args.entrypoint;
  if (args.workingDir !== undefined) body['WorkingDir'] = args.workingDir;
  if (args.user !== undefined) body['User'] = args.user;
  if (args.ports.length > 0) body['ExposedPorts'] = exposedPorts;
  if (Object.keys(anonymous).length > 0) body['Volumes'] = anonymous;
  return body;
}
