/**
 * Pure mappings for one container: the inspect answer to ContainerDetails, /changes to FileChanges, and
 * `containers.run` arguments to the body of POST /containers/create (checked first, as the docker CLI does).
 */
import type { ContainerDetails, FileChange, ParsedArgsOf, Port } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import {
  containerInspectSchema,
  fileChangeSchema,
  listOf,
  portBindingSchema,
  restartPolicySchema,
  type ContainerInspect,
  type Json,
} from '../core/answers';
import { mountOf, type Health } from './list';

/** The engine's "never" time is Go's zero time. */
function timeOrNull(time: string): string | null {
  return time === '' || time.startsWith('0001-01-01') ? null : time;
}

function healthOf(state: ContainerInspect['State']): Health | null {
  const status = state.Health.Status;
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : null;
}

/** "80/tcp" → [80, "tcp"]. */
function splitPortKey(key: string): readonly [number, string] | undefined {
  const match = /^(\d+)(?:\/([a-z]+))?$/.exec(key);
  if (match === null) return undefined;
  return [Number(match[1]), match[2] ?? 'tcp'];
}

const bindingListSchema = listOf(portBindingSchema);

function bindingsOf(value: unknown): { readonly ip: string; readonly port: number | null }[] {
  return bindingListSchema.parse(value).map((binding) => {
    const port = Number.parseInt(binding.HostPort, 10);
    return { ip: binding.HostIp, port: Number.isFinite(port) && port > 0 ? port : null };
  });
}

/**
 * Ports of an inspected container: the live bindings (NetworkSettings.Ports) where there are some, else the
 * configured ones (HostConfig.PortBindings: a container that is stopped, or has no network to publish on),
 * else the port as only exposed.
 */
export function portsOfInspect(raw: unknown): Port[] {
  return portsOf(containerInspectSchema.parse(raw));
}

function portsOf(c: ContainerInspect): Port[] {
  const live = c.NetworkSettings.Ports;
  const configured = c.HostConfig.PortBindings;
  const exposed = c.Config.ExposedPorts;
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
  const policy = restartPolicySchema.parse(raw);
  const name = policy.Name;
  if (name === '' || name === 'no') return 'no';
  const retries = policy.MaximumRetryCount;
  return name === 'on-failure' && retries !== null && retries > 0 ? `on-failure:${retries}` : name;
}

/** GET /containers/{id}/json → ContainerDetails (raw kept as it came). */
export function toContainerDetails(engineId: string, raw: unknown): ContainerDetails {
  const c = containerInspectSchema.parse(raw);
  const { State: state, Config: config, HostConfig: host } = c;
  const exitCode = state.ExitCode;
  const startedAt = timeOrNull(state.StartedAt);
  return {
    engineId,
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    image: config.Image || c.Image,
    imageId: c.Image,
    created: c.Created,
    startedAt,
    finishedAt: timeOrNull(state.FinishedAt),
    state: state.Status,
    exitCode: exitCode !== null && (startedAt !== null || exitCode !== 0) ? exitCode : null,
    error: state.Error === '' ? null : state.Error,
    health: healthOf(state),
    tty: config.Tty,
    entrypoint: config.Entrypoint,
    command: config.Cmd,
    env: config.Env,
    workingDir: config.WorkingDir,
    user: config.User,
    ports: portsOf(c),
    mounts: c.Mounts.map(mountOf),
    restartPolicy: restartPolicyText(host.RestartPolicy),
    autoRemove: host.AutoRemove,
    networkMode: host.NetworkMode,
    labels: config.Labels,
    raw,
  };
}

const CHANGE_KINDS: Readonly<Record<number, FileChange['kind']>> = { 0: 'changed', 1: 'added', 2: 'deleted' };

/** GET /containers/{id}/changes (a null body is no change). */
export function toFileChanges(raw: unknown): FileChange[] {
  if (!Array.isArray(raw)) return [];
  const changes: FileChange[] = [];
  for (const entry of raw) {
    const { Kind: kindNumber, Path: path } = fileChangeSchema.parse(entry);
    const kind = kindNumber === undefined ? undefined : CHANGE_KINDS[kindNumber];
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
