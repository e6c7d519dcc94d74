/**
 * Adds `count` distinct images to a lab engine quickly: one docker-archive (the `docker save` format) holding the lab's
 * busybox base layer once plus, per image, one small unique layer and its config, loaded with a single `docker load`.
 * Tags are bench/img-NNNN:1; every image is the base layer + its own layer, so they all share the base.
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

export interface ManyImagesArchive {
  readonly archive: Buffer;
  readonly tags: readonly string[];
}

/** The docker-archive for `count` images (pure: the same inputs give the same bytes). */
export function manyImagesArchive(
  baseLayer: Buffer,
  count: number,
  options: { readonly first?: number; readonly width?: number; readonly prefix?: string } = {},
): ManyImagesArchive {
  const first = options.first ?? 1;
  const prefix = options.prefix ?? 'bench/img';
  const width = options.width ?? Math.max(4, String(first + count - 1).length);
  const baseDiff = sha256Hex(baseLayer);
  const baseCreated = new Date(EPOCH).toISOString();
  const entries: TarEntry[] = [
    { type: 'dir', path: baseDiff },
    { type: 'file', path: `${baseDiff}/VERSION`, data: '1.0' },
    { type: 'file', path: `${baseDiff}/layer.tar`, data: baseLayer },
  ];
  const manifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  const tags: string[] = [];
  for (let i = first; i < first + count; i++) {
    const n = String(i).padStart(width, '0');
    const tag = `${prefix}-${n}:1`;
    const layer = tarArchive(
      [
        { type: 'dir', path: 'bench' },
        { type: 'file', path: `bench/img-${n}.txt`, data: `bench image ${n}\n` },
      ],
      { mtime: EPOCH / 1000 },
    );
    const diff = sha256Hex(layer);
    const created = new Date(EPOCH + i * 60_000).toISOString();
    const config = JSON.stringify({
      architecture: dockerArch(),
      os: 'linux',
      created,
      config: {
        Env: ['PATH=/bin'],
        Cmd: ['cat', `/bench/img-${n}.txt`],
        Labels: { 'org.strata.bench': n },
      },
      rootfs: { type: 'layers', diff_ids: [`sha256:${baseDiff}`, `sha256:${diff}`] },
      history: [
        { created: baseCreated, created_by: 'strata lab busybox rootfs', comment: 'imported' },
        { created, created_by: `/bin/sh -c #(nop) COPY file:img-${n}.txt in /bench/ ` },
      ],
    });
    const configName = `${sha256Hex(config)}.json`;
    entries.push(
      { type: 'file', path: configName, data: config },
      { type: 'dir', path: diff },
      { type: 'file', path: `${diff}/VERSION`, data: '1.0' },
      { type: 'file', path: `${diff}/layer.tar`, data: layer },
    );
    manifest.push({ Config: configName, RepoTags: [tag], Layers: [`${baseDiff}/layer.tar`, `${diff}/layer.tar`] });
    tags.push(tag);
  }
  entries.push({ type: 'file', path: 'manifest.json', data: JSON.stringify(manifest) });
  return { archive: tarArchive(entries, { mtime: EPOCH / 1000 }), tags };
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
 * Adds `count` images bench/img-NNNN:1 to the lab engine. The engine registers layers one by one, so the images
 * are split over `parallel` archives loaded at the same time (default 4).
 */
export async function seedMany(info: LabInfo, count: number, parallel = 4): Promise<void> {
  if (!Number.isInteger(count) || count < 1) throw new Error(`seedMany needs a positive count, got ${count}`);
  const baseLayer = busyboxRootfsTar(ensureTools().busybox);
  const dir = join(info.dir, 'bench');
  await mkdir(dir, { recursive: true });
  const width = Math.max(4, String(count).length);
  const parts = Math.max(1, Math.min(parallel, count));
  const size = Math.ceil(count / parts);
  const jobs: Promise<void>[] = [];
  for (let first = 1; first <= count; first += size) {
    const archive = manyImagesArchive(baseLayer, Math.min(size, count - first + 1), { first, width });
    jobs.push(load(info, join(dir, `many-${first}.tar`), archive));
  }
  await Promise.all(jobs);
}
