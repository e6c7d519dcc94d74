import { describe, expect, it } from 'vitest';
import { dockerHumanSize, reclaimableText } from './disk';

describe('docker CLI sizes', () => {
  it('prints bytes like go-units HumanSize', () => {
    expect(dockerHumanSize(0)).toBe('0B');
    expect(dockerHumanSize(999)).toBe('999B');
    expect(dockerHumanSize(1000)).toBe('1kB');
    expect(dockerHumanSize(1234)).toBe('1.234kB');
    expect(dockerHumanSize(1_234_567)).toBe('1.235MB');
    expect(dockerHumanSize(5_600_000)).toBe('5.6MB');
    expect(dockerHumanSize(123_456_789_012)).toBe('123.5GB');
  });

  it('adds the whole percent to the reclaimable size, except for build cache', () => {
    expect(reclaimableText({ category: 'images', size: 3_000_000, reclaimable: 1_000_000 })).toBe('1MB (33%)');
    expect(reclaimableText({ category: 'volumes', size: 0, reclaimable: 0 })).toBe('0B');
    expect(reclaimableText({ category: 'buildCache', size: 10, reclaimable: 5 })).toBe('5B');
  });
});

import { diskTotals, dockerHumanSizePrecision, isActiveContainerState, sharedSizesFromLayers } from './disk';

describe('docker system df totals', () => {
  it('counts reclaimable image bytes as LayersSize minus the unique bytes of images in use', () => {
    const [images] = diskTotals({
      layersSize: 1000,
      images: [
        { size: 600, sharedSize: 100, containers: 1 },
        { size: 300, sharedSize: -1, containers: 2 }, // skipped by the CLI
        { size: 400, sharedSize: 100, containers: 0 },
      ],
      containers: [],
      volumes: [],
      buildCache: [],
    });
    expect(images).toEqual({ category: 'images', count: 3, active: 2, size: 1000, reclaimable: 500 });
  });

  it('treats running, paused and restarting containers as active, and skips volumes sized -1', () => {
    const [, containers, volumes, cache] = diskTotals({
      layersSize: 0,
      images: [],
      containers: [
        { state: 'running', sizeRw: 10 },
        { state: 'paused', sizeRw: 20 },
        { state: 'restarting', sizeRw: 40 },
        { state: 'exited', sizeRw: 5 },
        { state: 'created', sizeRw: 0 },
      ],
      volumes: [
        { size: 100, refCount: 1 },
        { size: 50, refCount: 0 },
        { size: -1, refCount: 0 },
      ],
      buildCache: [
        { size: 30, inUse: true, shared: false },
        { size: 20, inUse: false, shared: false },
        { size: 1000, inUse: false, shared: true },
      ],
    });
    expect(containers).toEqual({ category: 'containers', count: 5, active: 3, size: 75, reclaimable: 5 });
    expect(volumes).toEqual({ category: 'volumes', count: 3, active: 1, size: 150, reclaimable: 50 });
    expect(cache).toEqual({ category: 'buildCache', count: 3, active: 1, size: 50, reclaimable: 20 });
    expect(isActiveContainerState('dead')).toBe(false);
  });

  it('prints sizes with 3 significant digits like the -v image table', () => {
    expect(dockerHumanSizePrecision(1_982_540, 3)).toBe('1.98MB');
    expect(dockerHumanSizePrecision(20_054, 3)).toBe('20.1kB');
    expect(dockerHumanSizePrecision(12, 3)).toBe('12B');
  });
});

describe('shared bytes from layers', () => {
  it('counts a layer as shared when another image has the same chain ID', () => {
    const shared = sharedSizesFromLayers([
      { id: 'base', layers: [{ chainId: 'c1', size: 100 }] },
      {
        id: 'app',
        layers: [
          { chainId: 'c1', size: 100 },
          { chainId: 'c2', size: 50 },
        ],
      },
      {
        id: 'debug',
        layers: [
          { chainId: 'c1', size: 100 },
          { chainId: 'c2', size: 50 },
          { chainId: 'c3', size: null },
        ],
      },
      { id: 'alone', layers: [{ chainId: 'x1', size: 70 }] },
    ]);
    expect(Object.fromEntries(shared)).toEqual({ base: 100, app: 150, debug: 150, alone: 0 });
  });

  it('does not count an image sharing a layer with itself', () => {
    const shared = sharedSizesFromLayers([
      {
        id: 'a',
        layers: [
          { chainId: 'c1', size: 10 },
          { chainId: 'c1', size: 10 },
        ],
      },
    ]);
    expect(shared.get('a')).toBe(0);
  });
});
