/** Test data for the Disk view's tests (fast lists and a disk.usage answer that agree with each other). */
import type { ContainerSummary, DiskUsage, VolumeSummary } from '../../../shared/api';
import { hex, image } from './fakeBridge';

export const IMAGES = [
  image({ id: hex('a'), repoTags: ['lab/app:1.0', 'lab/app:latest'], size: 9_000_000, containers: 1 }),
  image({ id: hex('b'), repoTags: ['lab/base:latest'], size: 5_000_000 }),
  image({ id: hex('c'), repoTags: ['<b>evil</b>:1'], size: 6_000_000 }),
  image({ id: hex('d'), repoTags: ['<none>:<none>'], size: 1_234 }),
];

export function container(partial: Partial<ContainerSummary> & { readonly id: string }): ContainerSummary {
  return {
    engineId: 'default',
    name: 'c',
    image: 'lab/app:1.0',
    imageId: hex('a'),
    command: 'sleep 1',
    created: 1_700_000_000,
    state: 'exited',
    status: 'Exited (0) 1 hour ago',
    health: null,
    ports: [],
    mounts: [],
    labels: {},
    composeProject: null,
    sizeRw: null,
    sizeRootFs: null,
    ...partial,
  };
}

export const CONTAINERS = [
  container({ id: 'c1', name: 'web', state: 'running', status: 'Up 1 hour' }),
  container({ id: 'c2', name: 'old' }),
];

export function volume(partial: Partial<VolumeSummary> & { readonly name: string }): VolumeSummary {
  return {
    engineId: 'default',
    driver: 'local',
    mountpoint: `/var/lib/docker/volumes/${partial.name}/_data`,
    createdAt: null,
    scope: 'local',
    labels: {},
    anonymous: false,
    usedBy: [],
    size: null,
    refCount: null,
    ...partial,
  };
}

export const VOLUMES = [
  volume({ name: 'data', usedBy: [{ id: 'c1', name: 'web', state: 'running' }] }),
  volume({ name: 'f'.repeat(64), anonymous: true }),
];

export const USAGE: DiskUsage = {
  engineId: 'default',
  layersSize: 15_001_234,
  totals: [
    { category: 'images', count: 4, active: 1, size: 15_001_234, reclaimable: 10_001_234 },
    { category: 'containers', count: 2, active: 1, size: 2_048, reclaimable: 1_024 },
    { category: 'volumes', count: 2, active: 1, size: 3_000_000, reclaimable: 1_000_000 },
    { category: 'buildCache', count: 1, active: 0, size: 42_000, reclaimable: 42_000 },
  ],
  images: [
    {
      id: hex('a'),
      repoTags: ['lab/app:1.0', 'lab/app:latest'],
      size: 9_000_000,
      sharedSize: 4_000_000,
      uniqueSize: 5_000_000,
      sharedFrom: 'engine',
      containers: 1,
      created: 1_700_000_000,
    },
    {
      id: hex('b'),
      repoTags: ['lab/base:latest'],
      size: 5_000_000,
      sharedSize: 4_000_000,
      uniqueSize: 1_000_000,
      sharedFrom: 'engine',
      containers: 0,
      created: 1_700_000_000,
    },
    {
      id: hex('c'),
      repoTags: ['<b>evil</b>:1'],
      size: 6_000_000,
      sharedSize: 0,
      uniqueSize: 6_000_000,
      sharedFrom: 'layers',
      containers: 0,
      created: 1_700_000_000,
    },
    {
      id: hex('d'),
      repoTags: [],
      size: 1_234,
      sharedSize: 0,
      uniqueSize: 1_234,
      sharedFrom: 'engine',
      containers: 0,
      created: 1_700_000_000,
    },
  ],
  containers: [
    { id: 'c1', name: 'web', image: 'lab/app:1.0', state: 'running', sizeRw: 1_024, sizeRootFs: 9_001_024 },
    { id: 'c2', name: 'old', image: 'lab/app:1.0', state: 'exited', sizeRw: 1_024, sizeRootFs: 9_001_024 },
  ],
  volumes: [
    volume({ name: 'data', size: 2_000_000, refCount: 1, usedBy: [{ id: 'c1', name: 'web', state: 'running' }] }),
    volume({ name: 'f'.repeat(64), anonymous: true, size: 1_000_000, refCount: 0 }),
  ],
  buildCache: [
    {
      id: 'qwertyuiopasdfghjkl',
      type: 'regular',
      description: 'RUN make',
      size: 42_000,
      inUse: false,
      shared: false,
      usageCount: 3,
      createdAt: '2026-01-01T00:00:00Z',
      lastUsedAt: null,
    },
  ],
  engineMs: 812,
  computedAt: '2026-01-01T00:00:00Z',
};
