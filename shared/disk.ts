/**
 * Disk usage as the docker CLI shows it (`docker system df`). Pure: used by the engine service and the renderer.
 */
import type { DiskTotal } from './api';

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

/**
 * Bytes as the docker CLI prints them (go-units HumanSize): decimal units, 4 significant digits, trailing zeros
 * dropped: 0 → "0B", 1234 → "1.234kB", 5_600_000 → "5.6MB".
 */
export function dockerHumanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${String(Number(size.toPrecision(4)))}${DECIMAL_UNITS[unit] ?? 'B'}`;
}

/** The RECLAIMABLE column: "1.2MB (45%)", the percent of the size as a whole number; no percent for build cache. */
export function reclaimableText(total: Pick<DiskTotal, 'category' | 'size' | 'reclaimable'>): string {
  const text = dockerHumanSize(total.reclaimable);
  if (total.category === 'buildCache' || total.size <= 0) return text;
  return `${text} (${String(Math.trunc((total.reclaimable * 100) / total.size))}%)`;
}

/**
 * go-units HumanSizeWithPrecision: what `docker system df -v` prints in an image's SIZE column and a cache record's
 * SIZE (3 significant digits): 1_982_540 → "1.98MB".
 */
export function dockerHumanSizePrecision(bytes: number, precision: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${String(Number(size.toPrecision(precision)))}${DECIMAL_UNITS[unit] ?? 'B'}`;
}

/** What the totals need from /system/df (numbers as the engine gives them; -1 means "not computed"). */
export interface DiskTotalsInput {
  readonly layersSize: number;
  readonly images: readonly { readonly size: number; readonly sharedSize: number; readonly containers: number }[];
  readonly containers: readonly { readonly state: string; readonly sizeRw: number }[];
  readonly volumes: readonly { readonly size: number; readonly refCount: number }[];
  readonly buildCache: readonly { readonly size: number; readonly inUse: boolean; readonly shared: boolean }[];
}

/** `docker system df` counts a container as active while it runs, is paused or restarts. */
export function isActiveContainerState(state: string): boolean {
  return state.includes('running') || state.includes('paused') || state.includes('restarting');
}

/**
 * The four rows of `docker system df`, computed as the docker CLI computes them (cli/command/formatter/disk_usage.go
 * of 20.10 to 28.x, and cli/command/system/df.go for the build cache size):
 * - images: size is LayersSize; active = images with containers; reclaimable = LayersSize − Σ(size − sharedSize) of
 *   active images (an image whose size or shared size is -1 is skipped);
 * - containers: size Σ SizeRw; active = running, paused or restarting; reclaimable Σ SizeRw of the others;
 * - local volumes: size Σ UsageData.Size (−1 skipped); active RefCount > 0; reclaimable Σ size of RefCount 0;
 * - build cache: size Σ size of non-shared records; active = in use; reclaimable = size − Σ in-use non-shared.
 */
export function diskTotals(input: DiskTotalsInput): DiskTotal[] {
  let imagesUsed = 0;
  for (const image of input.images) {
    if (image.containers === 0 || image.size === -1 || image.sharedSize === -1) continue;
    imagesUsed += image.size - image.sharedSize;
  }
  const activeContainers = input.containers.filter((c) => isActiveContainerState(c.state));
  const containerSize = input.containers.reduce((sum, c) => sum + Math.max(0, c.sizeRw), 0);
  const sizedVolumes = input.volumes.filter((v) => v.size !== -1);
  const cacheSize = input.buildCache.filter((r) => !r.shared).reduce((sum, r) => sum + r.size, 0);
  const cacheInUse = input.buildCache.filter((r) => r.inUse && !r.shared).reduce((sum, r) => sum + r.size, 0);
  return [
    {
      category: 'images',
      count: input.images.length,
      active: input.images.filter((image) => image.containers > 0).length,
      size: input.layersSize,
      reclaimable: input.layersSize - imagesUsed,
    },
    {
      category: 'containers',
      count: input.containers.length,
      active: activeContainers.length,
      size: containerSize,
      reclaimable: containerSize - activeContainers.reduce((sum, c) => sum + Math.max(0, c.sizeRw), 0),
    },
    {
      category: 'volumes',
      count: input.volumes.length,
      active: input.volumes.filter((v) => v.refCount > 0).length,
      size: sizedVolumes.reduce((sum, v) => sum + v.size, 0),
      reclaimable: sizedVolumes.filter((v) => v.refCount === 0).reduce((sum, v) => sum + v.size, 0),
    },
    {
      category: 'buildCache',
      count: input.buildCache.length,
      active: input.buildCache.filter((r) => r.inUse).length,
      size: cacheSize,
      reclaimable: cacheSize - cacheInUse,
    },
  ];
}

/** An image's layer chain, bottom first; a layer's size is null when the history did not tell it. */
export interface LayeredImage {
  readonly id: string;
  readonly layers: readonly { readonly chainId: string; readonly size: number | null }[];
}

/**
 * Shared bytes per image computed from layers, for engines that answer SharedSize −1: a layer is shared when another
 * image's chain has the same chain ID (the same layer on disk). Unknown layer sizes count as 0.
 */
export function sharedSizesFromLayers(images: readonly LayeredImage[]): Map<string, number> {
  const holders = new Map<string, Set<string>>();
  for (const image of images) {
    for (const layer of image.layers) {
      const set = holders.get(layer.chainId) ?? new Set<string>();
      set.add(image.id);
      holders.set(layer.chainId, set);
    }
  }
  const shared = new Map<string, number>();
  for (const image of images) {
    const seen = new Set<string>();
    let bytes = 0;
    for (const layer of image.layers) {
      if (seen.has(layer.chainId)) continue;
      seen.add(layer.chainId);
      if ((holders.get(layer.chainId)?.size ?? 0) > 1) bytes += layer.size ?? 0;
    }
    shared.set(image.id, bytes);
  }
  return shared;
}
