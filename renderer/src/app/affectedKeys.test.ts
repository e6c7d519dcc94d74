import { describe, expect, it } from 'vitest';
import { keysAffectedBy, keysAffectedByAll } from './affectedKeys';

const IMAGES = ['images', 'e1'];
const CONTAINERS = ['containers', 'e1'];
const VOLUMES = ['volumes', 'e1'];
const DISK = ['disk', 'e1'];
const INFO = ['engine', 'e1', 'info'];

describe('keysAffectedBy', () => {
  it.each([
    ['image', 'pull', [IMAGES, DISK]],
    ['image', 'tag', [IMAGES, DISK]],
    ['image', 'untag', [IMAGES, DISK]],
    ['image', 'delete', [IMAGES, DISK]],
    ['image', 'import', [IMAGES, DISK]],
    ['image', 'load', [IMAGES, DISK]],
    ['image', 'push', []],
    ['image', 'save', []],
    ['container', 'create', [CONTAINERS, IMAGES, DISK]],
    ['container', 'destroy', [CONTAINERS, IMAGES, DISK]],
    ['container', 'rename', [CONTAINERS, IMAGES, DISK]],
    ['container', 'commit', [CONTAINERS, IMAGES, DISK]],
    ['container', 'start', [CONTAINERS]],
    ['container', 'stop', [CONTAINERS]],
    ['container', 'die', [CONTAINERS]],
    ['container', 'pause', [CONTAINERS]],
    ['container', 'unpause', [CONTAINERS]],
    ['container', 'kill', [CONTAINERS]],
    ['container', 'restart', [CONTAINERS]],
    ['container', 'exec_create: sh -c true', []],
    ['container', 'exec_start: sh', []],
    ['container', 'health_status: healthy', []],
    ['container', 'attach', []],
    ['container', 'resize', []],
    ['container', 'top', []],
    ['container', 'archive-path', []],
    ['container', 'copy', []],
    ['container', 'export', []],
    ['volume', 'create', [VOLUMES, DISK]],
    ['volume', 'destroy', [VOLUMES, DISK]],
    ['volume', 'mount', [VOLUMES]],
    ['volume', 'unmount', [VOLUMES]],
    ['network', 'connect', []],
    ['network', 'create', []],
    ['daemon', 'reload', [INFO]],
    ['builder', 'prune', [DISK]],
    ['plugin', 'enable', []],
  ])('%s %s → %j', (type, action, keys) => {
    expect(keysAffectedBy({ engineId: 'e1', type, action })).toEqual(keys);
  });
});

describe('keysAffectedByAll', () => {
  it('gives the union of a batch, each key once', () => {
    const batch = [
      { engineId: 'e1', type: 'container', action: 'start' },
      { engineId: 'e1', type: 'image', action: 'tag' },
      { engineId: 'e1', type: 'image', action: 'untag' },
      { engineId: 'e1', type: 'container', action: 'destroy' },
      { engineId: 'e1', type: 'network', action: 'disconnect' },
    ];
    expect(keysAffectedByAll(batch)).toEqual([CONTAINERS, IMAGES, DISK]);
  });

  it('gives nothing for a batch of events nothing shows', () => {
    expect(keysAffectedByAll([{ engineId: 'e1', type: 'container', action: 'exec_die' }])).toEqual([]);
  });
});
