/**
 * Pure parts of disk usage and cleanup: /system/df, /volumes and /containers/json answers turned into the contract's
 * shapes, and the models of what POST /containers/prune, /volumes/prune and /build/prune remove (Engine 20.10,
 * moby daemon/prune.go, volume/service, builder-next + buildkit cache/manager.go prune).
 */
import type { BuildCacheRecord, CleanupPlan, DiskUsage, VolumeSummary } from '../../../shared/api';
import { diskTotals, sharedSizesFromLayers, type LayeredImage } from '../../../shared/disk';
import { StrataError } from '../../../shared/errors';
import { labelsMatch } from '../../../shared/prune';
import {
  buildCacheSchema,
  containerListEntrySchema,
  listOf,
  systemDfSchema,
  volumeListSchema,
  volumeSchema,
  type BuildCacheAnswer,
  type ContainerListEntry,
  type VolumeAnswer,
} from '../core/answers';

const containerListSchema = listOf(containerListEntrySchema);

export const containerName = (c: ContainerListEntry): string => c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12);

export type VolumeUser = VolumeSummary['usedBy'][number];

/** Volume name → the containers (any state) that mount it, from /containers/json?all=1. */
export function volumeUsers(containers: unknown): Map<string, VolumeUser[]> {
  return usersOf(containerListSchema.parse(containers));
}

function usersOf(containers: readonly ContainerListEntry[]): Map<string, VolumeUser[]> {
  const users = new Map<string, VolumeUser[]>();
  for (const c of containers) {
    const names = new Set(c.Mounts.filter((m) => m.Type === 'volume' && m.Name !== '').map((m) => m.Name));
    for (const name of names) {
      const found = users.get(name) ?? [];
      found.push({ id: c.Id, name: containerName(c), state: c.State });
      users.set(name, found);
    }
  }
  return users;
}

const ANONYMOUS = /^[0-9a-f]{64}$/;

/** One volume of /volumes or /system/df. Size and refCount only from /system/df (null where the engine says -1). */
export function toVolumeSummary(
  engineId: string,
  raw: unknown,
  users: ReadonlyMap<string, readonly VolumeUser[]>,
): VolumeSummary {
  return volumeSummaryOf(engineId, volumeSchema.parse(raw), users);
}

export function volumeSummaryOf(
  engineId: string,
  v: VolumeAnswer,
  users: ReadonlyMap<string, readonly VolumeUser[]>,
): VolumeSummary {
  const name = v.Name;
  const size = v.UsageData === null ? null : v.UsageData.Size;
  const refCount = v.UsageData === null ? null : v.UsageData.RefCount;
  return {
    engineId,
    name,
    driver: v.Driver,
    mountpoint: v.Mountpoint,
    createdAt: v.CreatedAt === '' ? null : v.CreatedAt,
    scope: v.Scope,
    labels: v.Labels,
    anonymous: ANONYMOUS.test(name),
    usedBy: [...(users.get(name) ?? [])],
    size: size === null || size < 0 ? null : size,
    refCount: refCount === null || refCount < 0 ? null : refCount,
  };
}

export function toBuildCacheRecord(raw: unknown): BuildCacheRecord {
  return buildCacheRecordOf(buildCacheSchema.parse(raw));
}

export function buildCacheRecordOf(r: BuildCacheAnswer): BuildCacheRecord {
  const time = (value: string): string | null => (value === '' ? null : value);
  return {
    id: r.ID,
    type: r.Type,
    description: r.Description,
    size: r.Size,
    inUse: r.InUse,
    shared: r.Shared,
    usageCount: r.UsageCount,
    createdAt: time(r.CreatedAt),
    lastUsedAt: time(r.LastUsedAt),
  };
}

/** The layers of images, for engines whose /system/df answers SharedSize -1. */
export type LayersOf = () => Promise<readonly LayeredImage[]>;

/**
 * `docker system df -v` from the /system/df answer (+ the container list for who uses each volume). Where the engine
 * gives SharedSize -1, shared bytes come from `layered` (each image's chain): `sharedFrom` says which.
 */
export function toDiskUsage(input: {
  readonly engineId: string;
  readonly df: unknown;
  readonly containers: unknown;
  readonly layered?: readonly LayeredImage[];
  readonly engineMs: number;
  readonly now: Date;
}): DiskUsage {
  const df = systemDfSchema.parse(input.df);
  const users = volumeUsers(input.containers);
  const { Images: rawImages, Containers: rawContainers, Volumes: rawVolumes, BuildCache: rawCache } = df;
  const fromLayers = input.layered === undefined ? new Map<string, number>() : sharedSizesFromLayers(input.layered);
  const images = rawImages.map((i) => {
    const id = i.Id;
    const size = i.Size ?? 0;
    const engineShared = i.SharedSize;
    const sharedFrom: 'engine' | 'layers' = engineShared >= 0 ? 'engine' : 'layers';
    const sharedSize = engineShared >= 0 ? engineShared : Math.min(size, fromLayers.get(id) ?? 0);
    return {
      id,
      repoTags: i.RepoTags.filter((tag) => tag !== '<none>:<none>'),
      size,
      sharedSize,
      uniqueSize: size - sharedSize,
      sharedFrom,
      containers: Math.max(0, i.Containers),
      created: i.Created,
    };
  });
  const containers = rawContainers.map((c) => ({
    id: c.Id,
    name: containerName(c),
    image: c.Image,
    state: c.State,
    sizeRw: c.SizeRw ?? 0,
    sizeRootFs: c.SizeRootFs ?? 0,
  }));
  const volumes = rawVolumes.map((v) => volumeSummaryOf(input.engineId, v, users));
  const buildCache = rawCache.map(buildCacheRecordOf);
  const layersSize = df.LayersSize;
  const totals = diskTotals({
    layersSize,
    // Exactly the engine's numbers: the CLI skips images whose sizes are -1.
    images: rawImages.map((i) => ({
      size: i.Size ?? -1,
      sharedSize: i.SharedSize,
      containers: i.Containers,
    })),
    containers,
    volumes: rawVolumes.map((v) => ({ size: v.UsageData?.Size ?? -1, refCount: v.UsageData?.RefCount ?? -1 })),
    buildCache,
  });
  return {
    engineId: input.engineId,
    layersSize,
    totals,
    images,
    containers,
    volumes,
    buildCache,
    engineMs: input.engineMs,
    computedAt: input.now.toISOString(),
  };
}

/** True when /system/df gave some image a SharedSize of -1 (the shared bytes must come from layers). */
export function needsLayers(df: unknown): boolean {
  return systemDfSchema.parse(df).Images.some((i) => i.SharedSize < 0);
}

// ---------------------------------------------------------------------------------------------
// Prune models

export interface PruneFilterArgs {
  readonly until?: string | undefined;
  readonly labels?: readonly string[] | undefined;
}

const labelArgs = (args: PruneFilterArgs) => ({ mode: 'all' as const, labels: args.labels ? [...args.labels] : [] });

/** `filters` for /containers/prune and /volumes/prune (label, label!, until). */
export function engineFilters(args: PruneFilterArgs, withUntil: boolean): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  if (withUntil && args.until !== undefined) filters['until'] = [args.until];
  const include = (args.labels ?? []).filter((l) => !l.startsWith('!'));
  const exclude = (args.labels ?? []).filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  if (include.length > 0) filters['label'] = include;
  if (exclude.length > 0) filters['label!'] = exclude;
  return filters;
}

/** Checks the cleanup arguments the engine's filters cannot express, before any engine call. */
export function checkCleanupArgs(args: {
  readonly volumes: boolean;
  readonly buildCache: boolean;
  readonly until?: string | undefined;
}): void {
  if (args.volumes && args.until !== undefined) {
    throw new StrataError(
      'invalid_argument',
      'Volumes cannot be pruned by age: the engine has no "until" filter for volumes (like docker system prune --volumes).',
    );
  }
  if (args.buildCache && args.until !== undefined && !isGoDuration(args.until)) {
    throw new StrataError(
      'invalid_argument',
      'The build cache takes "until" only as a duration such as "24h"; pick a duration or leave the build cache out.',
    );
  }
}

/**
 * The containers POST /containers/prune removes: every container that is not running (created, exited, dead; a
 * paused or restarting container counts as running), created before `until`, whose labels match.
 * `sized` is /containers/json?all=1&size=1 (the engine's status filter may already narrow it); `untilMs` from shared/prune's untilInstant.
 */
export function planContainers(
  sized: unknown,
  args: PruneFilterArgs,
  untilMs: number | undefined,
): CleanupPlan['containers'] {
  return containerListSchema
    .parse(sized)
    .filter((c) => ['created', 'exited', 'dead'].includes(c.State))
    .filter((c) => untilMs === undefined || c.Created * 1000 <= untilMs)
    .filter((c) => labelsMatch(labelArgs(args), c.Labels))
    .map((c) => ({
      id: c.Id,
      name: containerName(c),
      image: c.Image,
      status: c.Status,
      // Asked with size=1: the engine leaves SizeRw out when it is 0.
      size: c.SizeRw ?? 0,
    }));
}

/**
 * The volumes POST /volumes/prune removes (Engine 20.10 / API 1.41): every local volume, named or anonymous, that no
 * remaining container mounts, whose labels match. API >= 1.42 prunes only anonymous volumes unless the filter
 * `all=true` is given: the caller passes it there so the behaviour is the same.
 */
export function planVolumes(input: {
  readonly volumes: unknown;
  readonly containers: unknown;
  readonly removedContainers: ReadonlySet<string>;
  readonly sizes: ReadonlyMap<string, number>;
  readonly args: PruneFilterArgs;
}): CleanupPlan['volumes'] {
  const remaining = containerListSchema.parse(input.containers).filter((c) => !input.removedContainers.has(c.Id));
  const users = usersOf(remaining);
  return volumeListSchema
    .parse(input.volumes)
    .Volumes.filter((v) => v.Driver === 'local')
    .filter((v) => !users.has(v.Name))
    .filter((v) => labelsMatch(labelArgs(input.args), v.Labels))
    .map((v) => {
      const size = input.sizes.get(v.Name);
      return { name: v.Name, size: size === undefined || size < 0 ? null : size };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The records POST /build/prune removes (buildkit cache manager prune): records not in use; without `all`, not of
 * type internal or frontend and not shared with images (what `docker builder prune` without -a keeps); with `until`,
 * only records last used before it. Records carry no labels: a label filter matches none of them.
 */
export function planBuildCache(
  records: readonly BuildCacheRecord[],
  options: { readonly all: boolean; readonly untilMs: number | undefined; readonly hasLabels: boolean },
): BuildCacheRecord[] {
  if (options.hasLabels) return [];
  return records.filter((r) => {
    if (r.inUse) return false;
    if (!options.all && (r.type === 'internal' || r.type === 'frontend' || r.shared)) return false;
    if (options.untilMs !== undefined && r.lastUsedAt !== null && Date.parse(r.lastUsedAt) > options.untilMs) {
      return false;
    }
    return true;
  });
}

/** A Go duration (what /build/prune's `until` takes on 20.10), e.g. `24h`, `90m`. */
export function isGoDuration(text: string): boolean {
  return /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text.trim());
}

/** Each difference between a part's plan and what the engine reported, in words. */
export function partDifferences(
  part: string,
  planned: { readonly ids: readonly string[]; readonly bytes: number; readonly bytesKnown: boolean },
  done: { readonly ids: readonly string[]; readonly bytes: number },
  label: (id: string) => string = (id) => id,
): string[] {
  const differences: string[] = [];
  const plannedSet = new Set(planned.ids);
  const doneSet = new Set(done.ids);
  const extra = done.ids.filter((id) => !plannedSet.has(id));
  const missing = planned.ids.filter((id) => !doneSet.has(id));
  if (extra.length > 0) differences.push(`${part}: the engine also removed ${extra.map(label).join(', ')}.`);
  if (missing.length > 0) differences.push(`${part}: the engine kept ${missing.map(label).join(', ')}.`);
  if (planned.bytesKnown && planned.bytes !== done.bytes) {
    differences.push(`${part}: the preview said ${planned.bytes} bytes, the engine reclaimed ${done.bytes}.`);
  }
  return differences;
}
