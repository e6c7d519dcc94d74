/**
 * The prune preview: a pure simulation of POST /images/prune (Engine 20.10, moby
 * daemon/images/image_prune.go + image_delete.go) over what the engine lists, so the app can say
 * exactly what a prune removes before it runs, and compare afterwards.
 *
 * Modelled as the engine does it:
 * - candidates: dangling mode takes the heads (images without children) that have no tag; all mode
 *   takes every image except intermediates (no reference and a child); then `until` (created after it:
 *   out) and the label filters (`label` all must match; `label!` excludes when all of them match;
 *   an image without a config skips the label test);
 * - a candidate with references has each one removed in lexical order of the full name; a tag stays
 *   when it is the image's last reference and a container (running or stopped) uses the image;
 *   removing a repository's last tag removes its digest references too;
 * - once an image has no reference it is deleted unless it has a child or a container; then its
 *   parent is deleted the same way while it is an unused, untagged, childless intermediate;
 * - SpaceReclaimed is the sum of the diff sizes of the layers that no remaining image references.
 */
import type { PruneArgs, PrunePlan } from './api';
import { displayNameOf, isRealTag, shortImageId } from './names';
import {
  fullReference,
  isDigestRef,
  isRealDigest,
  isSingleReference,
  labelsMatch,
  nameOf,
  untilInstant,
} from './prune-filters';

export { fullReference, labelsMatch, pruneFilters, untilInstant } from './prune-filters';

export interface PruneLayerInput {
  readonly chainId: string;
  /** The layer's own (diff) size; null when the history did not map exactly onto the layers. */
  readonly size: number | null;
}

export interface PruneImageInput {
  readonly id: string;
  /** '' when none. */
  readonly parentId: string;
  /** Familiar form, as /images/json lists them (`lab/app:1.0`); placeholders are ignored. */
  readonly repoTags: readonly string[];
  /** Familiar form (`lab/app@sha256:…`). */
  readonly repoDigests: readonly string[];
  /** Milliseconds since the epoch (fractions allowed). */
  readonly created: number;
  /** The config's labels; null when the image has no config (the label filters then do not apply). */
  readonly labels: Readonly<Record<string, string>> | null;
  /** As `docker images` shows it. */
  readonly size: number;
  /** Bottom first. */
  readonly layers: readonly PruneLayerInput[];
}

export interface PruneContainerInput {
  readonly imageId: string;
  readonly name: string;
  /** `running`, `exited`, `created`, `paused`, … */
  readonly state: string;
}

export interface PruneSimulationInput {
  readonly engineId: string;
  readonly args: PruneArgs;
  /** Every image, intermediates included (/images/json?all=1). */
  readonly images: readonly PruneImageInput[];
  /** Every container (/containers/json?all=1). */
  readonly containers: readonly PruneContainerInput[];
  /** Milliseconds since the epoch: what `until` durations count back from. */
  readonly now: number;
}

export interface PruneSimulation {
  readonly plan: PrunePlan;
  /** Chain IDs of the layers that would be freed. */
  readonly freedChainIds: readonly string[];
  /** Freed layers whose size is unknown (not counted in reclaimBytes). */
  readonly unknownSizeLayers: number;
  /** What the engine would report, in order: `Untagged` references and `Deleted` image IDs. */
  readonly untagged: readonly string[];
  readonly deletedImages: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Simulation

interface State {
  readonly refs: Map<string, string[]>; // image ID → full references, sorted
  readonly alive: Set<string>;
}

type Keep = PrunePlan['keep'][number];

export function simulatePrune(input: PruneSimulationInput): PruneSimulation {
  const { args } = input;
  const byId = new Map(input.images.map((image) => [image.id, image]));
  const familiar = new Map<string, string>(); // full → familiar
  const state: State = { refs: new Map(), alive: new Set(byId.keys()) };
  for (const image of input.images) {
    const refs = [...image.repoTags.filter(isRealTag), ...image.repoDigests.filter(isRealDigest)];
    const full = refs.map((ref) => {
      const f = fullReference(ref);
      familiar.set(f, ref);
      return f;
    });
    state.refs.set(image.id, [...new Set(full)].sort());
  }
  const containersOf = (id: string): PruneContainerInput[] => input.containers.filter((c) => c.imageId === id);
  const children = new Map<string, Set<string>>();
  for (const image of input.images) {
    if (image.parentId === '' || !byId.has(image.parentId)) continue;
    const set = children.get(image.parentId) ?? new Set<string>();
    set.add(image.id);
    children.set(image.parentId, set);
  }
  const childrenOf = (id: string): string[] => [...(children.get(id) ?? [])].sort();
  const refsOf = (id: string): string[] => state.refs.get(id) ?? [];
  const hasTag = (id: string): boolean => refsOf(id).some((ref) => !isDigestRef(ref));
  const nameFor = (id: string): string => displayNameOf(id, byId.get(id)?.repoTags ?? []);

  /** Names of the nearest tagged images built on `id` (or of its children when none is tagged). */
  const builtOn = (id: string): string => {
    const names: string[] = [];
    const walk = (at: string, depth: number): void => {
      for (const child of childrenOf(at)) {
        if (names.length >= 3) return;
        if (hasTag(child) || depth > 50) names.push(nameFor(child));
        else walk(child, depth + 1);
      }
    };
    walk(id, 0);
    if (names.length === 0) names.push(...childrenOf(id).map(nameFor).slice(0, 3));
    const more = names.length >= 3 ? ' (and others)' : '';
    return `${names.join(', ')}${more} ${names.length === 1 && more === '' ? 'is' : 'are'} built on it`;
  };
  const usedBy = (id: string): string =>
    `used by container${containersOf(id).length > 1 ? 's' : ''} ${containersOf(id)
      .map((c) => `${c.name.replace(/^\//, '')} (${c.state})`)
      .join(', ')}`;

  // 1. Candidates (topImages), with the reason each other image is not one.
  const untilMs = args.until === undefined ? undefined : untilInstant(args.until, input.now);
  const notCandidate = new Map<string, Keep>();
  const candidates: string[] = [];
  const initialIds = [...byId.keys()].sort();
  const initialChildren = new Map(initialIds.map((id) => [id, childrenOf(id)]));
  const keepOf = (id: string, reason: Keep['reason'], detail: string): Keep => ({
    imageId: id,
    references: refsOf(id).map((ref) => familiar.get(ref) ?? ref),
    reason,
    detail,
  });
  for (const id of initialIds) {
    const image = byId.get(id) as PruneImageInput;
    const hasChildren = (initialChildren.get(id) ?? []).length > 0;
    if (args.mode === 'dangling' && hasChildren) {
      notCandidate.set(id, keepOf(id, 'has-children', builtOn(id)));
    } else if (args.mode === 'all' && refsOf(id).length === 0 && hasChildren) {
      notCandidate.set(id, keepOf(id, 'has-children', builtOn(id)));
    } else if (untilMs !== undefined && image.created > untilMs) {
      notCandidate.set(
        id,
        keepOf(id, 'filtered-out', `created after ${new Date(untilMs).toISOString()} (until ${args.until ?? ''})`),
      );
    } else if (!labelsMatch(args, image.labels)) {
      notCandidate.set(id, keepOf(id, 'filtered-out', 'label filter'));
    } else candidates.push(id);
  }

  // 2. The deletion loop.
  const untagged: string[] = [];
  const deletedImages: string[] = [];
  const removedRefs = new Map<string, string[]>(); // image ID → familiar references removed
  const conflicts = new Map<string, Keep>();

  const removeRef = (id: string, ref: string): void => {
    state.refs.set(
      id,
      refsOf(id).filter((r) => r !== ref),
    );
    const shown = familiar.get(ref) ?? ref;
    untagged.push(shown);
    removedRefs.set(id, [...(removedRefs.get(id) ?? []), shown]);
  };

  /** moby's checkImageDeleteConflict with hard and soft conflicts. */
  const conflictOf = (id: string): Keep | undefined => {
    if (childrenOf(id).length > 0) return keepOf(id, 'has-children', builtOn(id));
    const containers = containersOf(id);
    if (containers.some((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting')) {
      return keepOf(id, 'in-use', usedBy(id));
    }
    if (refsOf(id).length > 0) return keepOf(id, 'tagged', 'still has references');
    if (containers.length > 0) return keepOf(id, 'in-use', usedBy(id));
    return undefined;
  };

  /** moby's imageDeleteHelper with force=false, prune=true. */
  const deleteHelper = (id: string, quiet: boolean): void => {
    const conflict = conflictOf(id);
    if (conflict !== undefined) {
      if (!quiet || !conflicts.has(id)) conflicts.set(id, conflict);
      return;
    }
    const parent = byId.get(id)?.parentId ?? '';
    for (const ref of refsOf(id)) removeRef(id, ref);
    state.alive.delete(id);
    children.get(parent)?.delete(id);
    deletedImages.push(id);
    if (parent !== '' && state.alive.has(parent)) deleteHelper(parent, true);
  };

  for (const id of candidates) {
    if (!state.alive.has(id)) continue; // deleted as a parent of an earlier candidate
    const refs = [...refsOf(id)];
    if (refs.length === 0) {
      deleteHelper(id, false);
      continue;
    }
    if (args.mode === 'dangling' && hasTag(id)) {
      notCandidate.set(id, keepOf(id, 'tagged', 'tagged (dangling mode keeps tagged images)'));
      continue;
    }
    for (const ref of refs) {
      const current = refsOf(id);
      if (!current.includes(ref) || !state.alive.has(id)) continue;
      if (isSingleReference(current) && containersOf(id).length > 0) {
        conflicts.set(id, keepOf(id, 'in-use', usedBy(id)));
        continue;
      }
      removeRef(id, ref);
      if (!isDigestRef(ref)) {
        const name = nameOf(ref);
        const remaining = refsOf(id);
        if (!remaining.some((r) => !isDigestRef(r) && nameOf(r) === name)) {
          for (const digestRef of remaining.filter((r) => isDigestRef(r) && nameOf(r) === name))
            removeRef(id, digestRef);
        }
      }
      if (refsOf(id).length > 0) continue;
      deleteHelper(id, true);
    }
  }

  // 3. Layers no remaining image references.
  const remainingChains = new Set<string>();
  for (const id of state.alive) for (const layer of byId.get(id)?.layers ?? []) remainingChains.add(layer.chainId);
  const freed = new Map<string, number | null>();
  for (const id of deletedImages) {
    for (const layer of byId.get(id)?.layers ?? []) {
      if (!remainingChains.has(layer.chainId)) freed.set(layer.chainId, layer.size);
    }
  }
  let reclaimBytes = 0;
  let unknownSizeLayers = 0;
  for (const size of freed.values()) {
    if (size === null) unknownSizeLayers += 1;
    else reclaimBytes += size;
  }

  // 4. The plan.
  const deletedSet = new Set(deletedImages);
  const touched = [...new Set([...removedRefs.keys(), ...deletedImages])].sort();
  const remove = touched.map((id) => ({
    imageId: id,
    references: removedRefs.get(id) ?? [],
    size: byId.get(id)?.size ?? 0,
    deleted: deletedSet.has(id),
  }));
  const touchedSet = new Set(touched);
  const keep: Keep[] = [];
  for (const id of initialIds) {
    if (touchedSet.has(id)) continue;
    const reason = notCandidate.get(id) ?? conflicts.get(id);
    keep.push(
      reason === undefined
        ? keepOf(id, 'has-children', childrenOf(id).length > 0 ? builtOn(id) : 'not removed')
        : { ...reason, references: refsOf(id).map((ref) => familiar.get(ref) ?? ref) },
    );
  }
  return {
    plan: {
      engineId: input.engineId,
      args,
      remove,
      keep,
      reclaimBytes,
      freedLayers: freed.size,
      unknownSizeLayers,
      computedAt: new Date(input.now).toISOString(),
    },
    freedChainIds: [...freed.keys()],
    unknownSizeLayers,
    untagged,
    deletedImages,
  };
}

// ---------------------------------------------------------------------------------------------
// Comparison

export interface PruneReport {
  readonly untagged: readonly string[];
  /** Every `Deleted` record: image IDs and layer chain IDs. */
  readonly deleted: readonly string[];
  readonly spaceReclaimed: number;
}

/** Each difference between the simulation and what the engine reported, in words; empty when they agree. */
export function pruneDifferences(simulation: PruneSimulation, report: PruneReport): string[] {
  const differences: string[] = [];
  const plannedUntagged = new Set(simulation.untagged);
  const reportedUntagged = new Set(report.untagged);
  for (const ref of reportedUntagged) {
    if (!plannedUntagged.has(ref)) differences.push(`The engine removed the reference ${ref}, which the preview kept.`);
  }
  for (const ref of plannedUntagged) {
    if (!reportedUntagged.has(ref))
      differences.push(`The preview removed the reference ${ref}, which the engine kept.`);
  }
  const freed = new Set(simulation.freedChainIds);
  const plannedImages = new Set(simulation.deletedImages);
  const reportedImages = new Set(report.deleted.filter((id) => !freed.has(id)));
  const reportedLayers = report.deleted.filter((id) => freed.has(id));
  const knownIds = new Set([
    ...simulation.plan.keep.map((k) => k.imageId),
    ...simulation.plan.remove.map((r) => r.imageId),
  ]);
  for (const id of reportedImages) {
    if (plannedImages.has(id)) continue;
    if (knownIds.has(id)) differences.push(`The engine deleted image ${shortImageId(id)}, which the preview kept.`);
    else reportedImages.delete(id); // a layer the preview did not expect to free: counted below
  }
  for (const id of plannedImages) {
    if (!reportedImages.has(id))
      differences.push(`The preview deleted image ${shortImageId(id)}, which the engine kept.`);
  }
  const unexpectedLayers = report.deleted.filter((id) => !freed.has(id) && !knownIds.has(id)).length;
  if (reportedLayers.length !== simulation.plan.freedLayers || unexpectedLayers > 0) {
    differences.push(
      `The engine freed ${reportedLayers.length + unexpectedLayers} layer(s); the preview expected ${simulation.plan.freedLayers}.`,
    );
  }
  if (report.spaceReclaimed !== simulation.plan.reclaimBytes) {
    differences.push(
      `The engine reclaimed ${report.spaceReclaimed} bytes; the preview expected ${simulation.plan.reclaimBytes}` +
        (simulation.unknownSizeLayers > 0 ? ` (${simulation.unknownSizeLayers} layer size(s) were unknown).` : '.'),
    );
  }
  return differences;
}
