/** Pure mappings from the engine's answers to the contract's types. */
import type { Endpoint, EngineInfo, ImageDetails, ImageSummary, RemoveResult } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { compatibilityNotes, usesContainerdStore, type Negotiated } from '../core/api-version';
import {
  asJson,
  containerListEntrySchema,
  imageDeleteEntrySchema,
  imageInspectSchema,
  imageListEntrySchema,
  infoSchema,
  versionSchema,
  type ImageInspect,
} from '../core/answers';

/** `docker info` + `docker version`, the parts a user looks at. */
export function toEngineInfo(
  engineId: string,
  endpoint: Endpoint,
  infoRaw: unknown,
  versionRaw: unknown,
  negotiated: Negotiated,
): EngineInfo {
  const info = infoSchema.parse(infoRaw);
  const version = versionSchema.parse(versionRaw);
  const containerdStore = usesContainerdStore(infoRaw);
  return {
    engineId,
    endpoint,
    name: info.Name,
    serverVersion: version.Version ?? info.ServerVersion,
    apiVersion: version.ApiVersion,
    minApiVersion: version.MinAPIVersion,
    gitCommit: version.GitCommit,
    goVersion: version.GoVersion,
    os: info.OperatingSystem,
    osType: info.OSType ?? version.Os,
    kernelVersion: info.KernelVersion ?? version.KernelVersion,
    architecture: info.Architecture ?? version.Arch,
    storageDriver: info.Driver,
    cgroupDriver: info.CgroupDriver,
    loggingDriver: info.LoggingDriver,
    dataRoot: info.DockerRootDir,
    cpus: info.NCPU,
    memoryBytes: info.MemTotal,
    images: info.Images,
    containers: info.Containers,
    containersRunning: info.ContainersRunning,
    containersPaused: info.ContainersPaused,
    containersStopped: info.ContainersStopped,
    experimental: info.ExperimentalBuild,
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
    const imageId = containerListEntrySchema.parse(container).ImageID;
    if (imageId !== '') counts.set(imageId, (counts.get(imageId) ?? 0) + 1);
  }
  return counts;
}

const NONE = new Set(['<none>:<none>', '<none>@<none>']);

/** One /images/json entry. Dangling images get empty repoTags (the renderer shows `<none>:<none>`). */
export function toImageSummary(engineId: string, raw: unknown, counts: ReadonlyMap<string, number>): ImageSummary {
  const image = imageListEntrySchema.parse(raw);
  const id = image.Id;
  return {
    engineId,
    id,
    parentId: image.ParentId,
    repoTags: image.RepoTags.filter((tag) => !NONE.has(tag)),
    repoDigests: image.RepoDigests.filter((digest) => !NONE.has(digest)),
    created: image.Created,
    size: image.Size,
    sharedSize: image.SharedSize,
    containers: counts.get(id) ?? 0,
    labels: image.Labels,
  };
}

function healthcheckOf(check: ImageInspect['Config']['Healthcheck']): ImageDetails['config']['healthcheck'] {
  const test = check.Test;
  if (test.length === 0 || test[0] === 'NONE') return null;
  return {
    test,
    intervalNs: check.Interval,
    timeoutNs: check.Timeout,
    startPeriodNs: check.StartPeriod,
    retries: check.Retries,
  };
}

/** /images/{name}/json as the contract's details. */
export function toImageDetails(engineId: string, raw: unknown): ImageDetails {
  const image = imageInspectSchema.parse(raw);
  const config = image.Config;
  const variant = image.Variant;
  return {
    engineId,
    id: image.Id,
    repoTags: image.RepoTags,
    repoDigests: image.RepoDigests,
    parentId: image.Parent,
    created: image.Created,
    author: image.Author,
    comment: image.Comment,
    architecture: image.Architecture,
    os: image.Os,
    ...(variant !== undefined && variant !== '' ? { variant } : {}),
    size: image.Size,
    layers: image.RootFS.Layers,
    config: {
      entrypoint: config.Entrypoint,
      cmd: config.Cmd,
      workingDir: config.WorkingDir,
      user: config.User,
      env: config.Env,
      exposedPorts: Object.keys(config.ExposedPorts).sort(),
      volumes: Object.keys(config.Volumes).sort(),
      labels: config.Labels,
      healthcheck: healthcheckOf(config.Healthcheck),
      stopSignal: config.StopSignal,
      shell: config.Shell,
      onBuild: config.OnBuild,
    },
    raw: asJson(raw),
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
    const { Untagged: u, Deleted: d } = imageDeleteEntrySchema.parse(entry);
    if (u !== undefined) untagged.push(u);
    if (d !== undefined) deleted.push(d);
  }
  return { reference, untagged, deleted };
}
