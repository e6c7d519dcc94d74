import { describe, expect, it } from 'vitest';
import type { PruneArgs } from './api';
import {
  fullReference,
  labelsMatch,
  pruneDifferences,
  pruneFilters,
  simulatePrune,
  untilInstant,
  type PruneContainerInput,
  type PruneImageInput,
} from './prune';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOUR = 3_600_000;

function image(
  id: string,
  options: Partial<Omit<PruneImageInput, 'layers'>> & { readonly layers?: readonly [string, number | null][] } = {},
): PruneImageInput {
  return {
    id: `sha256:${id}`,
    parentId: options.parentId === undefined ? '' : `sha256:${options.parentId}`,
    repoTags: options.repoTags ?? [],
    repoDigests: options.repoDigests ?? [],
    created: options.created ?? NOW - 48 * HOUR,
    labels: options.labels === undefined ? {} : options.labels,
    size: options.size ?? 100,
    layers: (options.layers ?? []).map(([chainId, size]) => ({ chainId, size })),
  };
}

function run(
  args: PruneArgs,
  images: readonly PruneImageInput[],
  containers: readonly PruneContainerInput[] = [],
): ReturnType<typeof simulatePrune> {
  return simulatePrune({ engineId: 'local', args, images, containers, now: NOW });
}

const removedIds = (sim: ReturnType<typeof simulatePrune>): string[] =>
  sim.plan.remove.filter((r) => r.deleted).map((r) => r.imageId.slice('sha256:'.length));
const keptReason = (sim: ReturnType<typeof simulatePrune>, id: string) =>
  sim.plan.keep.find((k) => k.imageId === `sha256:${id}`);

// A small family: base (tagged) ← app intermediate ← app (tagged); a dangling head on base; a tagged unused image.
const base = image('base', { repoTags: ['lab/base:latest'], layers: [['L1', 1000]] });
const inter = image('inter', {
  parentId: 'base',
  layers: [
    ['L1', 1000],
    ['L2', 20],
  ],
});
const app = image('app', {
  parentId: 'inter',
  repoTags: ['lab/app:1.0'],
  layers: [
    ['L1', 1000],
    ['L2', 20],
    ['L3', 5],
  ],
});
const dangling = image('dang', {
  parentId: 'base',
  layers: [
    ['L1', 1000],
    ['L4', 300],
  ],
});
const other = image('other', { repoTags: ['other:1'], layers: [['M1', 7000]] });
const family = [base, inter, app, dangling, other];

describe('simulatePrune', () => {
  it('dangling mode removes only untagged heads and keeps tagged images with the reason', () => {
    const sim = run({ mode: 'dangling' }, family);
    expect(removedIds(sim)).toEqual(['dang']);
    expect(sim.plan.reclaimBytes).toBe(300);
    expect(sim.plan.freedLayers).toBe(1);
    expect(keptReason(sim, 'other')).toMatchObject({ reason: 'tagged' });
    expect(keptReason(sim, 'other')?.detail).toContain('dangling');
    expect(keptReason(sim, 'base')).toMatchObject({ reason: 'has-children' });
    expect(keptReason(sim, 'inter')).toMatchObject({ reason: 'has-children', detail: 'lab/app:1.0 is built on it' });
  });

  it('all mode untags and deletes unused images and the intermediates under them', () => {
    const sim = run({ mode: 'all' }, family);
    // base is deleted too once its children are gone (it is a candidate itself).
    expect(removedIds(sim).sort()).toEqual(['app', 'base', 'dang', 'inter', 'other']);
    expect([...sim.untagged].sort()).toEqual(['lab/app:1.0', 'lab/base:latest', 'other:1']);
    expect(sim.plan.reclaimBytes).toBe(1000 + 20 + 5 + 300 + 7000);
  });

  it('an image used by a stopped container is kept, and so are its parents', () => {
    const containers = [{ imageId: 'sha256:app', name: '/lab-stopped', state: 'exited' }];
    const sim = run({ mode: 'all' }, family, containers);
    expect(keptReason(sim, 'app')).toMatchObject({
      reason: 'in-use',
      detail: 'used by container lab-stopped (exited)',
      references: ['lab/app:1.0'],
    });
    // base has a child still: its tag goes, the image stays.
    expect(sim.plan.remove.find((r) => r.imageId === 'sha256:base')).toMatchObject({
      deleted: false,
      references: ['lab/base:latest'],
    });
    expect(removedIds(sim).sort()).toEqual(['dang', 'other']);
    expect(sim.plan.reclaimBytes).toBe(300 + 7000);
  });

  it('a dangling image used by a container is kept', () => {
    const containers = [{ imageId: 'sha256:dang', name: 'c1', state: 'running' }];
    const sim = run({ mode: 'dangling' }, family, containers);
    expect(sim.plan.remove).toEqual([]);
    expect(keptReason(sim, 'dang')).toMatchObject({ reason: 'in-use', detail: 'used by container c1 (running)' });
  });

  it('an in-use image with several tags loses all but its last tag (the engine removes them one by one)', () => {
    const tagged = image('multi', { repoTags: ['lab/app:latest', 'lab/app:1.0', 'lab/app:stable'] });
    const sim = run({ mode: 'all' }, [tagged], [{ imageId: 'sha256:multi', name: 'x', state: 'exited' }]);
    expect(sim.plan.remove).toEqual([
      { imageId: 'sha256:multi', references: ['lab/app:1.0', 'lab/app:latest'], size: 100, deleted: false },
    ]);
  });

  it('a tag on a parent with children goes, the parent stays as an intermediate', () => {
    const sim = run({ mode: 'all', labels: ['pick'] }, [
      image('p', { repoTags: ['p:1'], labels: { pick: '' }, layers: [['P', 10]] }),
      image('c', {
        parentId: 'p',
        repoTags: ['c:1'],
        layers: [
          ['P', 10],
          ['C', 1],
        ],
      }),
    ]);
    expect(sim.plan.remove).toEqual([{ imageId: 'sha256:p', references: ['p:1'], size: 100, deleted: false }]);
    expect(sim.plan.reclaimBytes).toBe(0);
    expect(keptReason(sim, 'c')).toMatchObject({ reason: 'filtered-out', detail: 'label filter' });
  });

  it('until keeps images created after it', () => {
    const fresh = image('fresh', { created: NOW - 1 * HOUR, layers: [['F', 50]] });
    const old = image('old', { created: NOW - 30 * HOUR, layers: [['O', 60]] });
    const sim = run({ mode: 'dangling', until: '24h' }, [fresh, old]);
    expect(removedIds(sim)).toEqual(['old']);
    expect(keptReason(sim, 'fresh')?.reason).toBe('filtered-out');
    expect(keptReason(sim, 'fresh')?.detail).toMatch(/^created after/);
  });

  it('label and label! filters select as the engine does', () => {
    const a = image('a', { labels: { team: 'x', keep: '1' } });
    const b = image('b', { labels: { team: 'x' } });
    const c = image('c', { labels: { team: 'y' } });
    const d = image('d', { labels: null });
    expect(removedIds(run({ mode: 'dangling', labels: ['team=x'] }, [a, b, c, d])).sort()).toEqual(['a', 'b', 'd']);
    expect(removedIds(run({ mode: 'dangling', labels: ['team=x', '!keep'] }, [a, b, c, d])).sort()).toEqual(['b', 'd']);
    expect(removedIds(run({ mode: 'dangling', labels: ['!team=y'] }, [a, b, c])).sort()).toEqual(['a', 'b']);
    expect(labelsMatch({ mode: 'all', labels: ['team'] }, {})).toBe(false);
  });

  it('counts a shared layer only when no remaining image uses it', () => {
    const keepMe = image('keep', {
      repoTags: ['keep:1'],
      layers: [
        ['S', 500],
        ['K', 1],
      ],
    });
    const go = image('go', {
      layers: [
        ['S', 500],
        ['G', 2],
      ],
    });
    const sim = run({ mode: 'dangling' }, [keepMe, go]);
    expect(removedIds(sim)).toEqual(['go']);
    expect(sim.plan.reclaimBytes).toBe(2);
    expect(sim.freedChainIds).toEqual(['G']);
  });

  it('reports layers of unknown size instead of guessing', () => {
    const sim = run({ mode: 'dangling' }, [
      image('u', {
        layers: [
          ['U', null],
          ['V', 3],
        ],
      }),
    ]);
    expect(sim.plan.reclaimBytes).toBe(3);
    expect(sim.unknownSizeLayers).toBe(1);
  });

  it('a digest-only image is dangling; removing its last tag removes the digests of that repository', () => {
    const placeholder = image('ph', { repoTags: ['<none>:<none>'], repoDigests: ['<none>@<none>'] });
    expect(run({ mode: 'dangling' }, [placeholder]).untagged).toEqual([]);
    expect(removedIds(run({ mode: 'dangling' }, [placeholder]))).toEqual(['ph']);
    const digestOnly = image('dg', { repoDigests: ['r/x@sha256:aa'] });
    expect(run({ mode: 'dangling' }, [digestOnly]).untagged).toEqual(['r/x@sha256:aa']);
    const both = image('both', { repoTags: ['r/x:1'], repoDigests: ['r/x@sha256:bb'] });
    const sim = run({ mode: 'all' }, [both]);
    expect(sim.untagged).toEqual(['r/x:1', 'r/x@sha256:bb']);
    expect(removedIds(sim)).toEqual(['both']);
  });
});

describe('helpers', () => {
  it('until: durations cut to whole seconds, dates with zones, Unix timestamps', () => {
    expect(untilInstant('24h', NOW + 123)).toBe(NOW - 24 * HOUR);
    expect(untilInstant('1h30m', NOW)).toBe(NOW - 1.5 * HOUR);
    expect(untilInstant('2026-01-31T10:00:00Z', NOW)).toBe(Date.UTC(2026, 0, 31, 10));
    expect(untilInstant('2026-01-31T10:00:00+02:00', NOW)).toBe(Date.UTC(2026, 0, 31, 8));
    expect(untilInstant('1700000000', NOW)).toBe(1_700_000_000_000);
  });

  it('filters in the engine form', () => {
    expect(pruneFilters({ mode: 'all', until: '2h', labels: ['a=b', '!c'] })).toEqual({
      dangling: ['false'],
      until: ['2h'],
      label: ['a=b'],
      'label!': ['c'],
    });
    expect(fullReference('busybox:1')).toBe('docker.io/library/busybox:1');
    expect(fullReference('127.0.0.1:5000/x:1')).toBe('127.0.0.1:5000/x:1');
  });

  it('differences name what the engine did that the preview did not, and a bytes mismatch', () => {
    const sim = run({ mode: 'dangling' }, family);
    expect(pruneDifferences(sim, { untagged: [], deleted: ['sha256:dang', 'L4'], spaceReclaimed: 300 })).toEqual([]);
    const diff = pruneDifferences(sim, {
      untagged: ['other:1'],
      deleted: ['sha256:dang', 'sha256:other', 'L4', 'M1'],
      spaceReclaimed: 7300,
    });
    expect(diff).toContain('The engine removed the reference other:1, which the preview kept.');
    expect(diff).toContain('The engine deleted image other, which the preview kept.');
    expect(diff.some((d) => d.includes('reclaimed 7300 bytes'))).toBe(true);
  });
});
