/**
 * Pure parts of disk usage and cleanup: /system/df, /volumes and /containers/json answers turned into the contract's
 * shapes, and the models of what POST /containers/prune, /volumes/prune and /build/prune remove (Engine 20.10,
 * moby daemon/prune.go, volume/service, builder-next + buildkit cache/manager.go prune).
 */
import type { BuildCacheRecord, CleanupPlan, DiskUsage, VolumeSummary } from '../../../shared/api';
import { diskTotals, sharedSizesFromLayers, type LayeredImage } from '../../../shared/disk';
import { labelsMatch } from '../../../shared/prune';

type Json = Record<string, unknown>;
export const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
export const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const labelsOf = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(value)).filter((e): e is [string, string] => typeof e[1] === 'string'));

export const containerName = (c: Json): string =>
  strings(c['Names'])[0]?.replace(/^\//, '') ?? str(c['Id']).slice(0, 12);

export type VolumeUser = VolumeSummary['usedBy'][number];

/** Volume name → the containers (any state) that mount it, from /containers/json?all=1. */
export function volumeUsers(containers: unknown): Map<string, VolumeUser[]> {
  const users = new Map<string, VolumeUser[]>();
  for (const c of list(containers)) {
    const names = new Set(
      list(c['Mounts'])
        .filter((m) => str(m['Type']) === 'volume' && str(m['Name']) !== '')
        .map((m) => str(m['Name'])),
    );
    for (const name of names) {
      const found = users.get(name) ?? [];
      found.push({ id: str(c['Id']), name: containerName(c), state: str(c['State']) });
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
  const v = obj(raw);
  const name = str(v['Name']);
  const usage = v['UsageData'] === undefined || v['UsageData'] === null ? undefined : obj(v['UsageData']);
  const size = usage === undefined ? null : num(usage['Size'], -1);
  const refCount = usage === undefined ? null : num(usage['RefCount'], -1);
  return {
    engineId,
    name,
    driver: str(v['Driver']),
    mountpoint: str(v['Mountpoint']),
    createdAt: str(v['CreatedAt']) === '' ? null : str(v['CreatedAt']),
    scope: str(v['Scope']),
    labels: labelsOf(v['Labels']),
    anonymous: ANONYMOUS.test(name),
    usedBy: [...(users.get(name) ?? [])],
    size: size === null || size < 0 ? null : size,
    refCount: refCount === null || refCount < 0 ? null : refCount,
  };
}

export function toBuildCacheRecord(raw: unknown): BuildCacheRecord {
  const r = obj(raw);
  const time = (value: unknown): string | null => (str(value) === '' ? null : str(value));
  return {
    id: str(r['ID']),
    type: str(r['Type']),
    description: str(r['Description']),
    size: num(r['Size']),
    inUse: r['InUse'] === true,
    shared: r['Shared'] === true,
    usageCount: num(r['UsageCount']),
    createdAt: time(r['CreatedAt']),
    lastUsedAt: time(r['LastUsedAt']),
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
  const df = obj(input.df);
  const users = volumeUsers(input.containers);
  const rawImages = list(df['Images']);
  const rawContainers = list(df['Containers']);
  const rawVolumes = list(df['Volumes']);
  const rawCache = list(df['BuildCache']);
  const fromLayers = input.layered === undefined ? new Map<string, number>() : sharedSizesFromLayers(input.layered);
  const images = rawImages.map((i) => {
    const id = str(i['Id']);
    const size = num(i['Size']);
    const engineShared = num(i['SharedSize'], -1);
    const sharedFrom: 'engine' | 'layers' = engineShared >= 0 ? 'engine' : 'layers';
    const sharedSize = engineShared >= 0 ? engineShared : Math.min(size, fromLayers.get(id) ?? 0);
    return {
      id,
      repoTags: strings(i['RepoTags']).filter((tag) => tag !== '<none>:<none>'),
      size,
      sharedSize,
      uniqueSize: size - sharedSize,
      sharedFrom,
      containers: Math.max(0, num(i['Containers'])),
      created: num(i['Created']),
    };
  });
  const containers = rawContainers.map((c) => ({
    id: str(c['Id']),
    name: containerName(c),
    image: str(c['Image']),
    state: str(c['State']),
    sizeRw: num(c['SizeRw']),
    sizeRootFs: num(c['SizeRootFs']),
  }));
  const volumes = rawVolumes.map((v) => toVolumeSummary(input.engineId, v, users));
  const buildCache = rawCache.map(toBuildCacheRecord);
  const layersSize = num(df['LayersSize']);
  const totals = diskTotals({
    layersSize,
    // Exactly the engine's numbers: the CLI skips images whose sizes are -1.
    images: rawImages.map((i) => ({
      size: num(i['Size'], -1),
      sharedSize: num(i['SharedSize'], -1),
      containers: num(i['Containers']),
    })),
    containers,
    volumes: rawVolumes.map((v) => {
      const usage = obj(v['UsageData']);
      return { size: num(usage['Size'], -1), refCount: num(usage['RefCount'], -1) };
    }),
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
  return list(obj(df)['Images']).some((i) => num(i['SharedSize'], -1) < 0);
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
  return list(sized)
    .filter((c) => ['created', 'exited', 'dead'].includes(str(c['State'])))
    .filter((c) => untilMs === undefined || num(c['Created']) * 1000 <= untilMs)
    .filter((c) => labelsMatch(labelArgs(args), labelsOf(c['Labels'])))
    .map((c) => ({
      id: str(c['Id']),
      name: containerName(c),
      image: str(c['Image']),
      status: str(c['Status']),
      // Asked with size=1: the engine leaves SizeRw out when it is 0.
      size: typeof c['SizeRw'] === 'number' ? c['SizeRw'] : 0,
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
  const remaining = list(input.containers).filter((c) => !input.removedContainers.has(str(c['Id'])));
  const users = volumeUsers(remaining);
  return list(obj(input.volumes)['Volumes'])
    .filter((v) => str(v['Driver']) === 'local')
    .filter((v) => !users.has(str(v['Name'])))
    .filter((v) => labelsMatch(labelArgs(input.args), labelsOf(v['Labels'])))
    .map((v) => {
      const size = input.sizes.get(str(v['Name']));
      return { name: str(v['Name']), size: size === undefined || size < 0 ? null : size };
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
