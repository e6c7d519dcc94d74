/**
 * The engine's answers Strata reads, as zod schemas, and their types. Engines differ (Docker 20.10 to 29, Podman):
 * every field is lenient. A missing field, or one of the wrong type, becomes its default instead of failing the
 * parse ('' for text, 0 for counts, -1 where the engine itself says "unknown" with -1, null or undefined where the
 * caller tells "absent" from "zero"), and unknown fields pass through. A schema never throws on an object; callers
 * that need a list check `Array.isArray` themselves, with their own message.
 *
 * Schemas stay plain (no refinements): images.list and layers.graph parse thousands of entries.
 */
import { z } from 'zod';

export type Json = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === 'string';

/** An object as read, or undefined for anything else (config files where absent differs from empty). */
export function objectOrUndefined(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** An object as read, or an empty one for anything else (arrays included). Keeps the object itself. */
export const asJson = (value: unknown): Json => objectOrUndefined(value) ?? {};

/** A string, or undefined for anything else. */
export const textOrUndefined = (value: unknown): string | undefined => (isString(value) ? value : undefined);
/** A string with something in it, or undefined. */
export const nonEmptyTextOrUndefined = (value: unknown): string | undefined =>
  isString(value) && value !== '' ? value : undefined;
/** A finite, non-negative number (a byte count a stream reports), or undefined. */
export const byteCountOrUndefined = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/** The string values of an object (labels, attributes); anything else the engine might send is dropped. */
export function stringEntries(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asJson(value))) if (typeof entry === 'string') out[key] = entry;
  return out;
}

/** The strings that were sent and are not empty (Untagged / Deleted of removal answers). */
export function nonEmpty(values: readonly (string | undefined)[]): string[] {
  return values.filter((value): value is string => value !== undefined && value !== '');
}

// ---------------------------------------------------------------------------------------------
// Fields

/** A field read by a function of the value; `optional()` lets zod 4 hand it a missing key (as undefined). */
export function readWith<Out>(read: (value: unknown) => Out) {
  return z.unknown().optional().transform(read);
}

/** Any object, as read (see asJson). */
export const json = readWith(asJson);
/** A string, or '' for anything else. */
export const text = z.string().catch('');
/** A string, or undefined for anything else (the caller has its own fallback). */
export const maybeText = z.string().optional().catch(undefined);
/** A finite number, or 0. */
export const count = z.number().catch(0);
/** A finite number, or -1: the engine's own word for "not computed". */
export const sizeOrUnknown = z.number().catch(-1);
/** A finite number, or null where absent is not zero. */
export const countOrNull = z.number().nullable().catch(null);
/** A finite number, or undefined (the caller has its own fallback). */
export const maybeCount = z.number().optional().catch(undefined);
/** A number (0 when it is not one) when the key was sent at all, else undefined. */
export const countIfSent = readWith((value) => (value === undefined ? undefined : count.parse(value)));
/** True only for true. */
export const flag = z.boolean().catch(false);
/** The strings of a list; [] for anything that is not a list. */
export const textList = readWith((value) => (Array.isArray(value) ? value.filter(isString) : []));
/** The strings of a list, or null when it is not a list (an image config's Cmd: unset is not empty). */
export const textListOrNull = readWith((value) => (Array.isArray(value) ? value.filter(isString) : null));
/** Labels: string values only; {} for anything that is not an object. */
export const labels = readWith(stringEntries);

/** An object answer: each field lenient, unknown fields passed through; anything but an object reads as {}. */
export function answer<const Shape extends z.ZodRawShape>(shape: Shape) {
  const inner = z.looseObject(shape);
  return inner.catch(() => inner.parse({}));
}

/** A list of `item`; [] for anything that is not a list. */
export function listOf<Item extends z.ZodType>(item: Item) {
  return z.array(item).catch(() => []);
}

// ---------------------------------------------------------------------------------------------
// Images

/** One entry of GET /images/json. */
export const imageListEntrySchema = answer({
  Id: text,
  ParentId: text,
  RepoTags: textList,
  RepoDigests: textList,
  Created: count,
  Size: count,
  SharedSize: sizeOrUnknown,
  Labels: labels,
});
export type ImageListEntry = z.output<typeof imageListEntrySchema>;

/** The ID and tags of an image, from /images/json or an inspect (a light read for long lists). */
export const imageNamesSchema = answer({ Id: text, RepoTags: textList });

/** The layers of an image inspect, bottom first (`RootFS.Layers`: diff IDs). */
export const imageLayersSchema = answer({ RootFS: answer({ Layers: textList }) });

const healthcheckSchema = answer({
  Test: textList,
  Interval: count,
  Timeout: count,
  StartPeriod: count,
  Retries: count,
});

const imageConfigSchema = answer({
  Entrypoint: textListOrNull,
  Cmd: textListOrNull,
  WorkingDir: text,
  User: text,
  Env: textList,
  ExposedPorts: json,
  Volumes: json,
  Labels: labels,
  Healthcheck: healthcheckSchema,
  StopSignal: text,
  Shell: textListOrNull,
  OnBuild: textList,
});

/** GET /images/{id}/json. */
export const imageInspectSchema = answer({
  Id: text,
  RepoTags: textList,
  RepoDigests: textList,
  Parent: text,
  Created: text,
  Author: text,
  Comment: text,
  Architecture: text,
  Os: text,
  Variant: maybeText,
  Size: count,
  RootFS: answer({ Layers: textList }),
  Config: imageConfigSchema,
});
export type ImageInspect = z.output<typeof imageInspectSchema>;

const imageLabelsSchema = answer({ Labels: labels });

/** An image inspect as the prune simulation reads it: Config null when the engine sent none. */
export const imageCreatedLabelsSchema = answer({
  Created: text,
  Config: readWith((value) => (typeof value === 'object' && value !== null ? imageLabelsSchema.parse(value) : null)),
});
/** One entry of GET /images/{id}/history (newest first). */
export const historyEntrySchema = answer({
  Id: text,
  Created: count,
  CreatedBy: text,
  Size: count,
  Comment: text,
  Tags: textList,
});

/** One entry of DELETE /images/{id} and of POST /images/prune's ImagesDeleted. */
export const imageDeleteEntrySchema = answer({ Untagged: maybeText, Deleted: maybeText });

// ---------------------------------------------------------------------------------------------
// Containers

/** One `Ports` entry of /containers/json (PublicPort absent: only exposed). */
export const portEntrySchema = answer({ IP: text, PrivatePort: countOrNull, PublicPort: countOrNull, Type: text });
export type PortEntry = z.output<typeof portEntrySchema>;

/** One `Mounts` entry (list and inspect share the shape). */
export const mountEntrySchema = answer({
  Type: text,
  Name: text,
  Source: text,
  Destination: text,
  RW: z.boolean().optional().catch(undefined),
});
export type MountEntry = z.output<typeof mountEntrySchema>;

/** One entry of GET /containers/json (SizeRw / SizeRootFs only with size=1, left out when 0). */
export const containerListEntrySchema = answer({
  Id: text,
  Names: textList,
  Image: text,
  ImageID: text,
  Command: text,
  Created: count,
  State: text,
  Status: text,
  Ports: listOf(portEntrySchema),
  Mounts: listOf(mountEntrySchema),
  Labels: labels,
  SizeRw: countOrNull,
  SizeRootFs: countOrNull,
});
export type ContainerListEntry = z.output<typeof containerListEntrySchema>;

/** `HostConfig.RestartPolicy` of a container inspect. */
export const restartPolicySchema = answer({ Name: text, MaximumRetryCount: countOrNull });

/** One host binding of a published port (`HostPort` is a string). */
export const portBindingSchema = answer({ HostIp: text, HostPort: text });

/** GET /containers/{id}/json, the parts Strata shows (`ExitCode` is null when absent). */
export const containerInspectSchema = answer({
  Id: text,
  Name: text,
  Image: text,
  Created: text,
  State: answer({
    Status: text,
    ExitCode: countOrNull,
    Error: text,
    StartedAt: text,
    FinishedAt: text,
    Health: answer({ Status: text }),
  }),
  Config: answer({
    Image: text,
    Tty: flag,
    Entrypoint: textList,
    Cmd: textList,
    Env: textList,
    WorkingDir: text,
    User: text,
    Labels: labels,
    ExposedPorts: json,
  }),
  HostConfig: answer({ RestartPolicy: json, AutoRemove: flag, NetworkMode: text, PortBindings: json }),
  NetworkSettings: answer({ Ports: json }),
  Mounts: listOf(mountEntrySchema),
});
export type ContainerInspect = z.output<typeof containerInspectSchema>;

/** One entry of GET /containers/{id}/changes (Kind 0 changed, 1 added, 2 deleted). */
export const fileChangeSchema = answer({ Kind: maybeCount, Path: text });

const cpuStatsSchema = answer({
  // percpu_usage read as its length: the CPU count when online_cpus is missing (cgroup v1, older engines).
  cpu_usage: answer({
    total_usage: count,
    percpu_usage: readWith((value) => (Array.isArray(value) ? value.length : 0)),
  }),
  system_cpu_usage: count,
  online_cpus: count,
});

const networkSchema = answer({ rx_bytes: count, tx_bytes: count });

/** One sample of GET /containers/{id}/stats?stream=1 (zeros and no `read` time while not running). */
export const statsSampleSchema = answer({
  read: maybeText,
  cpu_stats: cpuStatsSchema,
  precpu_stats: cpuStatsSchema,
  memory_stats: answer({
    usage: count,
    limit: count,
    // cgroup v1 names its inactive cache total_inactive_file (sent means use it), cgroup v2 inactive_file.
    stats: answer({ total_inactive_file: countIfSent, inactive_file: count }),
  }),
  // An object of interfaces; a list of them counts too.
  networks: readWith((value) =>
    Object.values(Array.isArray(value) ? (value as unknown[]) : asJson(value)).map((entry) =>
      networkSchema.parse(entry),
    ),
  ),
  blkio_stats: answer({ io_service_bytes_recursive: listOf(answer({ op: maybeText, value: count })) }),
  pids_stats: answer({ current: countOrNull }),
});
export type StatsAnswer = z.output<typeof statsSampleSchema>;

// ---------------------------------------------------------------------------------------------
// System: /info, /version, /system/df, /volumes, prune answers

/** GET /info, the parts a user looks at (strings undefined when absent: /version may stand in). */
export const infoSchema = answer({
  Name: text,
  ServerVersion: text,
  OperatingSystem: text,
  OSType: maybeText,
  KernelVersion: maybeText,
  Architecture: maybeText,
  Driver: text,
  CgroupDriver: text,
  LoggingDriver: text,
  DockerRootDir: text,
  NCPU: count,
  MemTotal: count,
  Images: count,
  Containers: count,
  ContainersRunning: count,
  ContainersPaused: count,
  ContainersStopped: count,
  ExperimentalBuild: flag,
});

/** GET /version. */
export const versionSchema = answer({
  Version: maybeText,
  ApiVersion: text,
  MinAPIVersion: text,
  GitCommit: text,
  GoVersion: text,
  Os: text,
  KernelVersion: text,
  Arch: text,
});

/** A volume's `UsageData` (only from /system/df; -1 where the engine did not compute it). */
export const volumeUsageSchema = answer({ Size: sizeOrUnknown, RefCount: sizeOrUnknown });

/** One volume of /volumes or /system/df; UsageData null when the engine sent none. */
export const volumeSchema = answer({
  Name: text,
  Driver: text,
  Mountpoint: text,
  CreatedAt: text,
  Scope: text,
  Labels: labels,
  UsageData: readWith((value) => (value === undefined || value === null ? null : volumeUsageSchema.parse(value))),
});
export type VolumeAnswer = z.output<typeof volumeSchema>;

/** GET /volumes. */
export const volumeListSchema = answer({ Volumes: listOf(volumeSchema) });

/** One build cache record of /system/df. */
export const buildCacheSchema = answer({
  ID: text,
  Type: text,
  Description: text,
  Size: count,
  InUse: flag,
  Shared: flag,
  UsageCount: count,
  CreatedAt: text,
  LastUsedAt: text,
});
export type BuildCacheAnswer = z.output<typeof buildCacheSchema>;

/** One image of /system/df: Size undefined when absent (the totals count it as -1, the list as 0). */
export const dfImageSchema = answer({
  Id: text,
  RepoTags: textList,
  Size: maybeCount,
  SharedSize: sizeOrUnknown,
  Containers: count,
  Created: count,
});

/** GET /system/df. */
export const systemDfSchema = answer({
  LayersSize: count,
  Images: listOf(dfImageSchema),
  Containers: listOf(containerListEntrySchema),
  Volumes: listOf(volumeSchema),
  BuildCache: listOf(buildCacheSchema),
});
export type SystemDf = z.output<typeof systemDfSchema>;

/** POST /containers/prune, /volumes/prune, /build/prune and /images/prune. */
export const pruneAnswerSchema = answer({
  ContainersDeleted: textList,
  VolumesDeleted: textList,
  CachesDeleted: textList,
  ImagesDeleted: readWith((value) =>
    Array.isArray(value) ? value.map((entry) => imageDeleteEntrySchema.parse(entry)) : [],
  ),
  SpaceReclaimed: count,
});
export type PruneAnswer = z.output<typeof pruneAnswerSchema>;
