/** Pure mappings from the engine's answers to the contract's types. */
import type { Endpoint, EngineInfo, ImageDetails, ImageSummary, RemoveResult } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { compatibilityNotes, usesContainerdStore, type Negotiated } from '../core/api-version';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function s(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
function n(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
function labels(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj(value))) if (typeof v === 'string') out[key] = v;
  return out;
}

/** `docker info` + `docker version`, the parts a user looks at. */
export function toEngineInfo(
  engineId: string,
  endpoint: Endpoint,
  infoRaw: unknown,
  versionRaw: unknown,
  negotiated: Negotiated,
): EngineInfo {
  const info = obj(infoRaw);
  const version = obj(versionRaw);
  const containerdStore = usesContainerdStore(infoRaw);
  return {
    engineId,
    endpoint,
    name: s(info['Name']),
    serverVersion: s(version['Version'], s(info['ServerVersion'])),
    apiVersion: s(version['ApiVersion']),
    minApiVersion: s(version['MinAPIVersion']),
    gitCommit: s(version['GitCommit']),
    goVersion: s(version['GoVersion']),
    os: s(info['OperatingSystem']),
    osType: s(info['OSType'], s(version['Os'])),
    kernelVersion: s(info['KernelVersion'], s(version['KernelVersion'])),
    architecture: s(info['Architecture'], s(version['Arch'])),
    storageDriver: s(info['Driver']),
    cgroupDriver: s(info['CgroupDriver']),
    loggingDriver: s(info['LoggingDriver']),
    dataRoot: s(info['DockerRootDir']),
    cpus: n(info['NCPU']),
    memoryBytes: n(info['MemTotal']),
    images: n(info['Images']),
    containers: n(info['Containers']),
    containersRunning: n(info['ContainersRunning']),
    containersPaused: n(info['ContainersPaused']),
    containersStopped: n(info['ContainersStopped']),
    experimental: info['ExperimentalBuild'] === true,
    apiVersionUsed: negotiated.version ?? null,
    imageStore: containerdStore ? 'containerd' : 'classic',
    compatibility: [...compatibilityNotes(negotiated, containerdStore)],
  };
}

/** Counts containers (any state) per image ID from /containers/json?all=1. */
export function countContainersByImage(containersRaw: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(containersRaw)) return counts;
  for (const container of containersRaw) {
    const imageId = s(obj(container)['ImageID']);
    if (imageId !== '') counts.set(imageId, (counts.get(imageId) ?? 0) + 1);
  }
  return counts;
}

const NONE = new Set(['<none>:<none>', '<none>@<none>']);

/** One /images/json entry. Dangling images get empty repoTags (the renderer shows `<none>:<none>`). */
export function toImageSummary(engineId: string, raw: unknown, counts: ReadonlyMap<string, number>): ImageSummary {
  const image = obj(raw);
  const id = s(image['Id']);
  return {
    engineId,
    id,
    parentId: s(image['ParentId']),
    repoTags: strings(image['RepoTags']).filter((tag) => !NONE.has(tag)),
    repoDigests: strings(image['RepoDigests']).filter((digest) => !NONE.has(digest)),
    created: n(image['Created']),
    size: n(image['Size']),
    sharedSize: n(image['SharedSize'], -1),
    containers: counts.get(id) ?? 0,
    labels: labels(image['Labels']),
  };
}

function portsOf(value: unknown): string[] {
  return Object.keys(obj(value)).sort();
}

function healthcheckOf(value: unknown): ImageDetails['config']['healthcheck'] {
  const check = obj(value);
  const test = strings(check['Test']);
  if (test.length === 0 || test[0] === 'NONE') return null;
  return {
    test,
    intervalNs: n(check['Interval']),
    timeoutNs: n(check['Timeout']),
    startPeriodNs: n(check['StartPeriod']),
    retries: n(check['Retries']),
  };
}

/** /images/{name}/json as the contract's details. */
export function toImageDetails(engineId: string, raw: unknown): ImageDetails {
  const image = obj(raw);
  const config = obj(image['Config']);
  const rootFs = obj(image['RootFS']);
  const nullableList = (value: unknown): string[] | null => (Array.isArray(value) ? strings(value) : null);
  const variant = image['Variant'];
  return {
    engineId,
    id: s(image['Id']),
    repoTags: strings(image['RepoTags']),
    repoDigests: strings(image['RepoDigests']),
    parentId: s(image['Parent']),
    created: s(image['Created']),
    author: s(image['Author']),
    comment: s(image['Comment']),
    architecture: s(image['Architecture']),
    os: s(image['Os']),
    ...(typeof variant === 'string' && variant !== '' ? { variant } : {}),
    size: n(image['Size']),
    layers: strings(rootFs['Layers']),
    config: {
      entrypoint: nullableList(config['Entrypoint']),
      cmd: nullableList(config['Cmd']),
      workingDir: s(config['WorkingDir']),
      user: s(config['User']),
      env: strings(config['Env']),
      exposedPorts: portsOf(config['ExposedPorts']),
      volumes: portsOf(config['Volumes']),
      labels: labels(config['Labels']),
      healthcheck: healthcheckOf(config['Healthcheck']),
      stopSignal: s(config['StopSignal']),
      shell: nullableList(config['Shell']),
      onBuild: strings(config['OnBuild']),
    },
    raw: image,
  };
}

/** DELETE /images/{name} answers `[{"Untagged": ...}, {"Deleted": ...}]`. */
export function toRemoveResult(reference: string, raw: unknown): RemoveResult {
  if (!Array.isArray(raw)) {
    throw new StrataError('engine_error', `The engine's answer to removing "${reference}" was not a list.`);
  }
  const untagged: string[] = [];
  const deleted: string[] = [];
  for (const entry of raw) {
    const record = obj(entry);
    const u = record['Untagged'];
    const d = record['Deleted'];
    if (typeof u === 'string') untagged.push(u);
    if (typeof d === 'string') deleted.push(d);
  }
  return { reference, untagged, deleted };
}
