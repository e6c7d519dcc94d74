import { describe, expect, it } from 'vitest';
import { hex } from '../../testing/fakeBridge';
import { CONTAINERS, IMAGES, USAGE, VOLUMES } from '../../testing/diskFixtures';
import { layoutTreemap, removePlanOf, splitRect, totalRows, treemapImages, volumesWithUsage } from './diskViewModel';

describe('totalRows', () => {
  it('counts from the fast lists and leaves sizes pending until disk.usage arrives', () => {
    const rows = totalRows({ images: IMAGES, containers: CONTAINERS, volumes: VOLUMES }, undefined);
    expect(rows.map((r) => [r.label, r.count, r.active, r.sizeText, r.reclaimableText])).toEqual([
      ['Images', 4, 1, null, null],
      ['Containers', 2, 1, null, null],
      ['Local Volumes', 2, 1, null, null],
      ['Build Cache', null, null, null, null],
    ]);
  });

  it('shows exactly the CLI numbers once measured', () => {
    const rows = totalRows({ images: undefined, containers: undefined, volumes: undefined }, USAGE);
    expect(rows.map((r) => [r.label, r.count, r.active, r.sizeText, r.reclaimableText])).toEqual([
      ['Images', 4, 1, '15MB', '10MB (66%)'],
      ['Containers', 2, 1, '2.048kB', '1.024kB (50%)'],
      ['Local Volumes', 2, 1, '3MB', '1MB (33%)'],
      ['Build Cache', 1, 0, '42kB', '42kB'],
    ]);
  });
});

describe('treemap', () => {
  it('sorts by unique bytes once measured, by size before', () => {
    expect(treemapImages(IMAGES, undefined).map((i) => [i.label, i.uniqueSize])).toEqual([
      ['lab/app:1.0', null],
      ['<b>evil</b>:1', null],
      ['lab/base:latest', null],
      ['dddddddddddd', null],
    ]);
    expect(treemapImages(IMAGES, USAGE).map((i) => [i.label, i.uniqueSize])).toEqual([
      ['<b>evil</b>:1', 6_000_000],
      ['lab/app:1.0', 5_000_000],
      ['lab/base:latest', 1_000_000],
      ['dddddddddddd', 1_234],
    ]);
  });

  it('gives every image a tile inside the area, split by its unique share, areas in proportion', () => {
    const tiles = layoutTreemap(treemapImages(IMAGES, USAGE), 800, 400);
    expect(tiles).toHaveLength(4);
    for (const t of tiles) {
      expect(t.rect.x).toBeGreaterThanOrEqual(0);
      expect(t.rect.y).toBeGreaterThanOrEqual(0);
      expect(t.rect.x + t.rect.width).toBeLessThanOrEqual(800.001);
      expect(t.rect.y + t.rect.height).toBeLessThanOrEqual(400.001);
      const area = t.rect.width * t.rect.height;
      expect(area).toBeGreaterThan(0);
      const uniqueArea = t.unique!.width * t.unique!.height;
      expect(uniqueArea / area).toBeCloseTo(t.image.uniqueSize! / t.image.size, 5);
    }
    const app = tiles.find((t) => t.image.label === 'lab/app:1.0')!;
    const base = tiles.find((t) => t.image.label === 'lab/base:latest')!;
    const ratio = (app.rect.width * app.rect.height) / (base.rect.width * base.rect.height);
    expect(ratio).toBeGreaterThan(1.5); // 9MB vs 5MB, minus padding
    // Before measuring: a tile per image, no split.
    const pending = layoutTreemap(treemapImages(IMAGES, undefined), 800, 400);
    expect(pending.map((t) => t.unique)).toEqual([null, null, null, null]);
  });

  it('splits along the longer side', () => {
    expect(splitRect({ x: 0, y: 0, width: 100, height: 10 }, 0.25)[0]).toEqual({ x: 0, y: 0, width: 25, height: 10 });
    expect(splitRect({ x: 0, y: 0, width: 10, height: 100 }, 0.25)[1]).toEqual({ x: 0, y: 25, width: 10, height: 75 });
  });
});

describe('removePlanOf', () => {
  it('removes a dangling image by ID, a single tag by name, and every tag of a multi-tag image', () => {
    expect(removePlanOf({ id: hex('d'), repoTags: [] })).toEqual({
      kind: 'one',
      imageId: hex('d'),
      reference: hex('d'),
      label: 'dddddddddddd',
      tagCount: 0,
    });
    expect(removePlanOf({ id: hex('b'), repoTags: ['lab/base:latest'] })).toMatchObject({
      kind: 'one',
      reference: 'lab/base:latest',
      tagCount: 1,
    });
    expect(removePlanOf({ id: hex('a'), repoTags: ['lab/app:1.0', 'lab/app:latest'] })).toEqual({
      kind: 'many',
      items: [
        { reference: 'lab/app:1.0', label: 'lab/app:1.0', imageId: hex('a') },
        { reference: 'lab/app:latest', label: 'lab/app:latest', imageId: hex('a') },
      ],
    });
  });
});

describe('volumesWithUsage', () => {
  it('adds sizes and ref counts from disk.usage to the fast list', () => {
    expect(volumesWithUsage(VOLUMES, undefined)?.map((v) => v.size)).toEqual([null, null]);
    expect(volumesWithUsage(VOLUMES, USAGE)?.map((v) => [v.name.slice(0, 4), v.size, v.refCount])).toEqual([
      ['data', 2_000_000, 1],
      ['ffff', 1_000_000, 0],
    ]);
  });
});
