/**
 * Which cached queries an engine event makes stale. Pure: the renderer invalidates the union of these keys for a
 * batch, debounced (queries.ts). Keys are prefixes: `['images', id]` covers the list, history, graph and inspect.
 */
import type { EngineEvent } from '../../../shared/api';
import { queryKeys } from './queryKeys';

export type AffectedKey = readonly string[];

const IMAGE_CHANGES: ReadonlySet<string> = new Set(['pull', 'tag', 'untag', 'delete', 'import', 'load', 'prune']);
/** Containers appearing or going (or renamed) also change the per-image container count and disk usage. */
const CONTAINER_SET_CHANGES: ReadonlySet<string> = new Set(['create', 'destroy', 'rename', 'prune', 'commit']);
const CONTAINER_STATE_CHANGES: ReadonlySet<string> = new Set([
  'start',
  'stop',
  'die',
  'pause',
  'unpause',
  'kill',
  'restart',
  'update',
]);
const VOLUME_CHANGES: ReadonlySet<string> = new Set(['create', 'destroy', 'mount', 'unmount', 'prune']);
const VOLUME_SET_CHANGES: ReadonlySet<string> = new Set(['create', 'destroy', 'prune']);

/** The query keys one engine event makes stale (none for events that change nothing Strata shows). */
export function keysAffectedBy(event: Pick<EngineEvent, 'engineId' | 'type' | 'action'>): readonly AffectedKey[] {
  const id = event.engineId;
  switch (event.type) {
    case 'image':
      // push and save read an image and change nothing local.
      return IMAGE_CHANGES.has(event.action) ? [queryKeys.images(id), queryKeys.disk(id)] : [];
    case 'container':
      if (CONTAINER_SET_CHANGES.has(event.action)) {
        // commit makes an image; create/destroy change each image's container count.
        return [queryKeys.containers(id), queryKeys.images(id), queryKeys.disk(id)];
      }
      // exec_*, health_status, attach, resize, top, archive-path, copy, export: nothing shown changes.
      return CONTAINER_STATE_CHANGES.has(event.action) ? [queryKeys.containers(id)] : [];
    case 'volume':
      if (!VOLUME_CHANGES.has(event.action)) return [];
      return VOLUME_SET_CHANGES.has(event.action)
        ? [queryKeys.volumes(id), queryKeys.disk(id)]
        : [queryKeys.volumes(id)];
    case 'daemon':
      return event.action === 'reload' ? [queryKeys.engineInfo(id)] : [];
    case 'builder':
      return event.action === 'prune' ? [queryKeys.disk(id)] : [];
    default:
      // network, plugin, service, node, secret, config: no view shows them yet.
      return [];
  }
}

/** The union of the keys a batch affects, each once, in first-seen order. */
export function keysAffectedByAll(
  events: readonly Pick<EngineEvent, 'engineId' | 'type' | 'action'>[],
): readonly AffectedKey[] {
  const seen = new Map<string, AffectedKey>();
  for (const event of events) {
    for (const key of keysAffectedBy(event)) seen.set(JSON.stringify(key), key);
  }
  return [...seen.values()];
}
