/**
 * The Disk view's model: pure functions over what the engine lists. The fast lists (images, containers, volumes)
 * give counts and image sizes at once; /system/df (disk.usage, slow with many images) fills in the rest.
 */
import { treemap, hierarchy, treemapSquarify } from 'd3';
import type {
  ContainerSummary,
  DiskCategory,
  DiskImage,
  DiskTotal,
  DiskUsage,
  ImageSummary,
  VolumeSummary,
} from '../../../../shared/api';
import { dockerHumanSize, isActiveContainerState, reclaimableText } from '../../../../shared/disk';
import { shortId } from '../../lib/format';

/** The TYPE column as `docker system df` prints it. */
export const CATEGORY_LABELS: Readonly<Record<DiskCategory, string>> = {
  images: 'Images',
  containers: 'Containers',
  volumes: 'Local Volumes',
  buildCache: 'Build Cache',
};

const CATEGORY_ORDER: readonly DiskCategory[] = ['images', 'containers', 'volumes', 'buildCache'];

/** One row of the totals table; null where the value waits for disk.usage. */
export interface TotalRow {
  readonly category: DiskCategory;
  readonly label: string;
  readonly count: number | null;
  readonly active: number | null;
  readonly size: number | null;
  readonly reclaimable: number | null;
  /** SIZE and RECLAIMABLE as the CLI prints them; null while measuring. */
  readonly sizeText: string | null;
  readonly reclaimableText: string | null;
}

export interface FastLists {
  readonly images: readonly ImageSummary[] | undefined;
  readonly containers: readonly ContainerSummary[] | undefined;
  readonly volumes: readonly VolumeSummary[] | undefined;
}

function measuredRow(total: DiskTotal): TotalRow {
  return {
    category: total.category,
    label: CATEGORY_LABELS[total.category],
    count: total.count,
    active: total.active,
    size: total.size,
    reclaimable: total.reclaimable,
    sizeText: dockerHumanSize(total.size),
    reclaimableText: reclaimableText(total),
  };
}

function fastRow(category: DiskCategory, count: number | null, active: number | null): TotalRow {
  return {
    category,
    label: CATEGORY_LABELS[category],
    count,
    active,
    size: null,
    reclaimable: null,
    sizeText: null,
    reclaimableText: null,
  };
}

/**
 * The totals table: from disk.usage when it has arrived (exactly the CLI's numbers), else counts from the fast lists
 * with sizes pending. Always the four rows in the CLI's order.
 */
export function totalRows(fast: FastLists, usage: DiskUsage | undefined): readonly TotalRow[] {
  return CATEGORY_ORDER.map((category) => {
    const measured = usage?.totals.find((t) => t.category === category);
    if (measured !== undefined) return measuredRow(measured);
    switch (category) {
      case 'images': {
        if (fast.images === undefined) return fastRow(category, null, null);
        const used = fast.containers === undefined ? undefined : new Set(fast.containers.map((c) => c.imageId));
        const active = used === undefined ? null : fast.images.filter((i) => used.has(i.id)).length;
        return fastRow(category, fast.images.length, active);
      }
      case 'containers':
        return fast.containers === undefined
          ? fastRow(category, null, null)
          : fastRow(
              category,
              fast.containers.length,
              fast.containers.filter((c) => isActiveContainerState(c.state)).length,
            );
      case 'volumes':
        return fast.volumes === undefined
          ? fastRow(category, null, null)
          : fastRow(category, fast.volumes.length, fast.volumes.filter((v) => v.usedBy.length > 0).length);
      case 'buildCache':
        return fastRow(category, null, null);
    }
  });
}

/** One image of the treemap: its size split into unique and shared bytes (null while /system/df is pending). */
export interface TreemapImage {
  readonly id: string;
  /** The first tag, or the short ID for an untagged image. */
  readonly label: string;
  readonly repoTags: readonly string[];
  readonly size: number;
  readonly uniqueSize: number | null;
  readonly sharedSize: number | null;
  readonly containers: number | null;
}

const labelOf = (id: string, repoTags: readonly string[]): string =>
  repoTags.find((t) => t !== '<none>:<none>') ?? shortId(id);

const realTags = (repoTags: readonly string[]): readonly string[] => repoTags.filter((t) => t !== '<none>:<none>');

/** The treemap's images: measured from disk.usage when there, else the fast list's sizes. Biggest unique first. */
export function treemapImages(
  images: readonly ImageSummary[] | undefined,
  usage: DiskUsage | undefined,
): TreemapImage[] {
  if (usage !== undefined) {
    return usage.images
      .map((i: DiskImage) => ({
        id: i.id,
        label: labelOf(i.id, i.repoTags),
        repoTags: realTags(i.repoTags),
        size: i.size,
        uniqueSize: i.uniqueSize,
        sharedSize: i.sharedSize,
        containers: i.containers,
      }))
      .sort((a, b) => (b.uniqueSize ?? 0) - (a.uniqueSize ?? 0) || b.size - a.size || a.label.localeCompare(b.label));
  }
  return (images ?? [])
    .map((i) => ({
      id: i.id,
      label: labelOf(i.id, i.repoTags),
      repoTags: realTags(i.repoTags),
      size: i.size,
      uniqueSize: null,
      sharedSize: null,
      containers: null,
    }))
    .sort((a, b) => b.size - a.size || a.label.localeCompare(b.label));
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface TreemapTile {
  readonly image: TreemapImage;
  readonly rect: Rect;
  /** The unique part (drawn first), and the shared part; null while unknown. */
  readonly unique: Rect | null;
  readonly shared: Rect | null;
}

/** Splits a rectangle along its longer side: the first part holds `fraction` of its area. */
export function splitRect(rect: Rect, fraction: number): readonly [Rect, Rect] {
  const f = Math.min(1, Math.max(0, fraction));
  if (rect.width >= rect.height) {
    const w = rect.width * f;
    return [
      { x: rect.x, y: rect.y, width: w, height: rect.height },
      { x: rect.x + w, y: rect.y, width: rect.width - w, height: rect.height },
    ];
  }
  const h = rect.height * f;
  return [
    { x: rect.x, y: rect.y, width: rect.width, height: h },
    { x: rect.x, y: rect.y + h, width: rect.width, height: rect.height - h },
  ];
}

interface TreeDatum {
  readonly image?: TreemapImage;
  readonly children?: readonly TreeDatum[];
}

/**
 * Lays the images out as a squarified treemap in width × height, one tile per image sized by its size (images of
 * 0 bytes get a sliver so each still has a tile), each split into its unique and shared part.
 */
export function layoutTreemap(images: readonly TreemapImage[], width: number, height: number): TreemapTile[] {
  if (images.length === 0 || width <= 0 || height <= 0) return [];
  const total = images.reduce((sum, i) => sum + Math.max(0, i.size), 0);
  // A floor so tiny images stay visible (a few px²) without distorting the big ones much.
  const floor = total > 0 ? total / Math.max(400, images.length * 4) : 1;
  const root = hierarchy<TreeDatum>({ children: images.map((image) => ({ image })) }, (d) =>
    d.children === undefined ? undefined : [...d.children],
  )
    .sum((d) => (d.image === undefined ? 0 : Math.max(floor, d.image.size)))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const laid = treemap<TreeDatum>().tile(treemapSquarify).size([width, height]).paddingInner(0).round(false)(root);
  return laid.leaves().flatMap((leaf): TreemapTile[] => {
    const image = leaf.data.image;
    if (image === undefined) return [];
    // Padding can collapse a sliver to a line just past the edge: keep every tile inside the area.
    const x0 = Math.min(width, Math.max(0, leaf.x0));
    const y0 = Math.min(height, Math.max(0, leaf.y0));
    const x1 = Math.min(width, Math.max(x0, leaf.x1));
    const y1 = Math.min(height, Math.max(y0, leaf.y1));
    const rect = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    if (image.uniqueSize === null || image.size <= 0) return [{ image, rect, unique: null, shared: null }];
    const [unique, shared] = splitRect(rect, image.uniqueSize / image.size);
    return [{ image, rect, unique, shared }];
  });
}

/** The tile's text: tag and unique size (or size while measuring). */
export function tileCaption(image: TreemapImage): string {
  return image.uniqueSize === null
    ? `${image.label} · ${dockerHumanSize(image.size)}`
    : `${image.label} · ${dockerHumanSize(image.uniqueSize)} unique`;
}

/** What removing an image from the Disk view opens: one Remove for a single name, every tag otherwise. */
export type RemovePlan =
  | {
      readonly kind: 'one';
      readonly imageId: string;
      readonly reference: string;
      readonly label: string;
      readonly tagCount: number;
    }
  | {
      readonly kind: 'many';
      readonly items: readonly { readonly reference: string; readonly label: string; readonly imageId: string }[];
    };

export function removePlanOf(image: Pick<TreemapImage, 'id' | 'repoTags'>): RemovePlan {
  const tags = realTags(image.repoTags);
  if (tags.length === 0) {
    return { kind: 'one', imageId: image.id, reference: image.id, label: shortId(image.id), tagCount: 0 };
  }
  if (tags.length === 1) {
    return { kind: 'one', imageId: image.id, reference: tags[0]!, label: tags[0]!, tagCount: 1 };
  }
  return { kind: 'many', items: tags.map((t) => ({ reference: t, label: t, imageId: image.id })) };
}

/** Volumes with the sizes and ref counts /system/df gives, when it has arrived. */
export function volumesWithUsage(
  volumes: readonly VolumeSummary[] | undefined,
  usage: DiskUsage | undefined,
): readonly VolumeSummary[] | undefined {
  if (volumes === undefined) return usage?.volumes;
  if (usage === undefined) return volumes;
  const measured = new Map(usage.volumes.map((v) => [v.name, v]));
  return volumes.map((v) => {
    const m = measured.get(v.name);
    return m === undefined ? v : { ...v, size: m.size, refCount: m.refCount };
  });
}
