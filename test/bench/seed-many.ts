/**
 * Adds `count` distinct images to a lab engine quickly: docker-archives (the `docker save` format) holding the lab's
 * busybox base layer once plus the images' own small layers and configs, loaded with `docker load`.
 * Tags are bench/img-NNNN:1.
 *
 * Shapes:
 * - default: every image is the base layer + one unique layer, so they all share the base (a star).
 * - `shared` prefixes make a forest like real images: with FOREST, every 100 consecutive images share 3 layers on the
 *   base, every 10 of those 5 more, and each image adds 2 of its own. 1,000 images then have chains of 11 layers
 *   (11,000 in all) and 1 + 10 × 3 + 100 × 5 + 1,000 × 2 = 2,531 distinct layers, in 10 trees of depth 11.
 *   The engine registers each distinct layer (chain ID) one by one, ~40 ms each here, which is what bounds the seed.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { busyboxRootfsTar, ensureTools, labDockerCli, sha256Hex, type LabInfo } from '../lab/lab';
import { tarArchive, type TarEntry } from '../lab/tar';

const EPOCH = Date.UTC(2024, 0, 1);

function dockerArch(): string {
  switch (process.arch) {
    case 'x64':
      return 'amd64';
    case 'ia32':
      return '386';
    default:
      return process.arch; // arm64, arm, ppc64, s390x, riscv64 match Go's names
  }
}

export interface SharedLevel {
  /** Every `size` consecutive images (bench/img-0001 … 00size, …) share these layers. */
  readonly size: number;
  readonly layers: number;
}

export interface SeedShape {
  /** Shared prefixes on the base, outermost first (sizes decreasing). Default none. */
  readonly shared?: readonly SharedLevel[];
  /** Layers each image adds on its own (default 1). */
  readonly ownLayers?: number;
}

/** 1,000 images: 10 trees of 10 families of 10 images; chains of 11 layers, 2,531 distinct layers. */
export const FOREST: SeedShape = {
  shared: [
    { size: 100, layers: 3 },
    { size: 10, layers: 5 },
  ],
  ownLayers: 2,
};

export interface SeedOptions extends SeedShape {
  /** Archives loaded at the same time (default 4). */
  readonly parallel?: number;
}

export interface ManyImagesArchive {
  readonly archive: Buffer;
  readonly tags: readonly string[];
  /** Distinct layers in the archive, the base included. */
  readonly layers: number;
}

/** What a shape gives for `count` images: layers per image chain (base included), their sum, distinct layers. */
export function seedShape(
  count: number,
  shape: SeedShape = {},
): { readonly chainLength: number; readonly chainLayers: number; readonly distinctLayers: number } {
  const own = shape.ownLayers ?? 1;
  if (!Number.isInteger(own) || own < 1) throw new Error(`ownLayers must be >= 1, got ${own}`);
  let chainLength = 1 + own;
  let distinctLayers = 1 + count * own;
  for (const level of shape.shared ?? []) {
    if (!Number.isInteger(level.size) || level.size < 1 || !Number.isInteger(level.layers) || level.layers < 0) {
      throw new Error(`bad shared level ${JSON.stringify(level)}`);
    }
    chainLength += level.layers;
    distinctLayers += Math.ceil(count / level.size) * level.layers;
  }
  return { chainLength, chainLayers: count * chainLength, distinctLayers };
}

interface Layer {
  readonly diff: string;
  readonly created: string;
  readonly createdBy: string;
}

/** The docker-archive for images `first` … `first + count - 1` (pure: the same inputs give the same bytes). */
export function manyImagesArchive(
  baseLayer: Buffer,
  count: number,
  options: { readonly first?: number; readonly width?: number; readonly prefix?: string } & SeedShape = {},
): ManyImagesArchive {
  const first = options.first ?? 1;
  const prefix = options.prefix ?? 'bench/img';
  const width = options.width ?? Math.max(4, String(first + count - 1).length);
  const levels = options.shared ?? [];
  const own = options.ownLayers ?? 1;
  seedShape(count, options); // validates the shape
  const star = levels.length === 0 && own === 1;
  const baseDiff = sha256Hex(baseLayer);
  const base: Layer = {
    diff: baseDiff,
    created: new Date(EPOCH).toISOString(),
    createdBy: 'strata lab busybox rootfs',
  };
  const entries: TarEntry[] = [];
  const written = new Set<string>();
  const addLayer = (diff: string, data: Buffer): void => {
    if (written.has(diff)) return;
    written.add(diff);
    entries.push(
      { type: 'dir', path: diff },
      { type: 'file', path: `${diff}/VERSION`, data: '1.0' },
      { type: 'file', path: `${diff}/layer.tar`, data },
    );
  };
  addLayer(baseDiff, baseLayer);

  /** A small layer holding one file; its history step is a classic-builder COPY. */
  const smallLayer = (dir: string, file: string, text: string, created: string): Layer => {
    const data = tarArchive(
      [
        { type: 'dir', path: dir },
        { type: 'file', path: `${dir}/${file}`, data: text },
      ],
      { mtime: EPOCH / 1000 },
    );
    const diff = sha256Hex(data);
    addLayer(diff, data);
    return { diff, created, createdBy: `/bin/sh -c #(nop) COPY file:${file} in /${dir}/ ` };
  };
  /** Level `k`'s layers for group `group` (images group × size + 1 …), made once per archive. */
  const groups = new Map<string, readonly Layer[]>();
  const sharedLayers = (k: number, group: number): readonly Layer[] => {
    const key = `${k}/${group}`;
    let layers = groups.get(key);
    if (layers === undefined) {
      const level = levels[k]!;
      const name = `l${k + 1}-${String(group).padStart(width, '0')}`;
      const created = new Date(EPOCH + 60_000 * group * level.size + 1_000 * (k + 1)).toISOString();
      layers = Array.from({ length: level.layers }, (_, j) =>
        smallLayer(`bench/${name}`, `step-${j + 1}.txt`, `bench ${name} step ${j + 1}\n`, created),
      );
      groups.set(key, layers);
    }
    return layers;
  };

  const manifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  const tags: string[] = [];
  for (let i = first; i < first + count; i++) {
    const n = String(i).padStart(width, '0');
    const tag = `${prefix}-${n}:1`;
    const created = new Date(EPOCH + i * 60_000).toISOString();
    const ownLayers = star
      ? [smallLayer('bench', `img-${n}.txt`, `bench image ${n}\n`, created)]
      : Array.from({ length: own }, (_, j) =>
          smallLayer(`bench/img-${n}`, `step-${j + 1}.txt`, `bench image ${n} step ${j + 1}\n`, created),
        );
    const chain = [
      base,
      ...levels.flatMap((level, k) => sharedLayers(k, Math.floor((i - 1) / level.size))),
      ...ownLayers,
    ];
    const cmd = star ? `/bench/img-${n}.txt` : `/bench/img-${n}/step-${own}.txt`;
    const config = JSON.stringify({
      architecture: dockerArch(),
      os: 'linux',
      created,
      config: {
        Env: ['PATH=/bin'],
        Cmd: ['cat', cmd],
        Labels: { 'org.strata.bench': n },
      },
      rootfs: { type: 'layers', diff_ids: chain.map((layer) => `sha256:${layer.diff}`) },
      history: chain.map((layer, index) =>
        index === 0
          ? { created: layer.created, created_by: layer.createdBy, comment: 'imported' }
          : { created: layer.created, created_by: layer.createdBy },
      ),
    });
    const configName = `${sha256Hex(config)}.json`;
    entries.push({ type: 'file', path: configName, data: config });
    manifest.push({ Config: configName, RepoTags: [tag], Layers: chain.map((layer) => `${layer.diff}/layer.tar`) });
    tags.push(tag);
  }
  entries.push({ type: 'file', path: 'manifest.json', data: JSON.stringify(manifest) });
  return { archive: tarArchive(entries, { mtime: EPOCH / 1000 }), tags, layers: written.size };
}

async function load(info: LabInfo, file: string, archive: ManyImagesArchive): Promise<void> {
  await writeFile(file, archive.archive);
  try {
    const out = await labDockerCli(info, ['load', '--quiet', '--input', file]);
    const loaded = out.split('\n').filter((line) => line.startsWith('Loaded image:')).length;
    if (loaded !== archive.tags.length) {
      throw new Error(`docker load reported ${loaded} of ${archive.tags.length} bench images`);
    }
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Adds `count` images bench/img-NNNN:1 to the lab engine, shaped by `options` (see the top of this file; default the
 * star). The engine registers layers one by one, so the images are split over `parallel` archives loaded at the same
 * time (default 4), at multiples of the innermost shared level so that most shared layers sit in one archive. A
 * number for `options` is `parallel`.
 */
export async function seedMany(info: LabInfo, count: number, options: SeedOptions | number = {}): Promise<void> {
  if (!Number.isInteger(count) || count < 1) throw new Error(`seedMany needs a positive count, got ${count}`);
  const { parallel = 4, ...shape } = typeof options === 'number' ? { parallel: options } : options;
  seedShape(count, shape);
  const baseLayer = busyboxRootfsTar(ensureTools().busybox);
  const dir = join(info.dir, 'bench');
  await mkdir(dir, { recursive: true });
  const width = Math.max(4, String(count).length);
  const parts = Math.max(1, Math.min(parallel, count));
  const unit = Math.min(count, ...(shape.shared ?? []).map((level) => level.size));
  const size = Math.ceil(Math.ceil(count / parts) / unit) * unit;
  const jobs: Promise<void>[] = [];
  for (let first = 1; first <= count; first += size) {
    const archive = manyImagesArchive(baseLayer, Math.min(size, count - first + 1), { ...shape, first, width });
    jobs.push(load(info, join(dir, `many-${first}.tar`), archive));
  }
  await Promise.all(jobs);
}
