/**
 * `images.history`, engine side: an image's steps (oldest first), its layers with OCI chain IDs,
 * the base image and the other local images that share each layer.
 *
 * Image IDs are content-addressed, so what is read for an ID (its diff IDs, chain IDs and history)
 * never changes: it is cached per ID and dropped once the ID is no longer listed. Tags move, so the
 * list (names) and the asked-for image's inspect are read on every call.
 */
import { createHash } from 'node:crypto';
import type { GraphImageData, HistoryStep, ImageHistory, LayerInfo } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { displayNameOf } from '../../../shared/names';
import { findBase, instructionOf, mapHistoryToLayers, sharedWith, type ImageChain } from '../../../shared/history';
import { encodeReferenceForPath } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { requireReference } from './reference';
import { historyEntrySchema, imageLayersSchema, imageNamesSchema } from '../core/answers';

/**
 * OCI chain IDs: ChainID(1) = DiffID(1), ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n)),
 * written `sha256:<hex>`.
 */
export function chainIdsOf(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  let previous: string | undefined;
  for (const diffId of diffIds) {
    previous =
      previous === undefined ? diffId : `sha256:${createHash('sha256').update(`${previous} ${diffId}`).digest('hex')}`;
    out.push(previous);
  }
  return out;
}

/** One entry of GET /images/{id}/history, oldest first, as read. */
export interface RawHistoryEntry {
  readonly id: string;
  readonly created: number;
  readonly createdBy: string;
  readonly size: number;
  readonly comment: string;
  readonly tags: readonly string[];
}

interface Layers {
  readonly diffIds: readonly string[];
  readonly chainIds: readonly string[];
}

/** The diff IDs of an inspect answer (`RootFS.Layers`), bottom first. */
export function diffIdsOf(inspect: unknown): string[] {
  return imageLayersSchema.parse(inspect).RootFS.Layers;
}

/** GET /images/{id}/history answers newest first; this answers oldest first. */
export function toHistoryEntries(raw: unknown): RawHistoryEntry[] {
  if (!Array.isArray(raw)) {
    throw new StrataError('engine_error', 'The engine answered an image history with something that is not a list.');
  }
  return raw
    .map((item): RawHistoryEntry => {
      const entry = historyEntrySchema.parse(item);
      return {
        id: entry.Id,
        created: entry.Created,
        createdBy: entry.CreatedBy,
        size: entry.Size,
        comment: entry.Comment,
        tags: entry.Tags.filter((tag) => tag !== '<none>:<none>'),
      };
    })
    .reverse();
}

/** An image's steps and layers, each layer with the step that made it when the mapping is exact. */
export interface LabelledLayers {
  readonly mapping: ReturnType<typeof mapHistoryToLayers>;
  readonly steps: HistoryStep[];
  readonly layers: Omit<LayerInfo, 'sharedWith'>[];
}

/**
 * Maps steps to layers (shared/history.ts's mapHistoryToLayers) and builds both lists: the one place
 * `images.history` and `layers.graph` label layers, so the two always agree.
 */
export function labelLayers(history: readonly RawHistoryEntry[], layers: Layers): LabelledLayers {
  const mapping = mapHistoryToLayers(history, layers.diffIds.length);
  const steps: HistoryStep[] = history.map((entry, index) => ({
    id: entry.id,
    created: entry.created,
    createdBy: entry.createdBy,
    instruction: instructionOf(entry.createdBy),
    size: entry.size,
    comment: entry.comment,
    tags: [...entry.tags],
    madeLayer: mapping.steps[index]?.madeLayer ?? null,
    layerIndex: mapping.steps[index]?.layerIndex ?? null,
  }));
  const labelled = layers.diffIds.map((diffId, index) => {
    const stepIndex = mapping.layerSteps[index] ?? null;
    return {
      diffId,
      chainId: layers.chainIds[index] ?? '',
      size: stepIndex === null ? null : (history[stepIndex]?.size ?? null),
      stepIndex,
    };
  });
  return { mapping, steps, layers: labelled };
}

function realTags(repoTags: readonly string[]): string[] {
  return repoTags.filter((tag) => tag !== '<none>:<none>');
}

/** Builds the answer from what was read: pure, apart from nothing. */
export function toImageHistory(input: {
  readonly engineId: string;
  readonly imageId: string;
  readonly repoTags: readonly string[];
  readonly history: readonly RawHistoryEntry[];
  readonly layers: Layers;
  readonly others: readonly ImageChain[];
}): ImageHistory {
  const { mapping, steps, layers } = labelLayers(input.history, input.layers);
  const others = input.others.filter((other) => other.imageId !== input.imageId);
  const shared = sharedWith(input.layers.chainIds, others);
  return {
    engineId: input.engineId,
    imageId: input.imageId,
    repoTags: realTags(input.repoTags),
    steps,
    layers: layers.map((layer, index): LayerInfo => ({ ...layer, sharedWith: shared[index] ?? [] })),
    mapping: { kind: mapping.kind, note: mapping.note },
    base: findBase(input.imageId, input.layers.chainIds, others),
  };
}

/** One image of `layers.graph`: its chain and the steps that made its layers, labelled as `images.history` does. */
export function toGraphImageData(input: {
  readonly imageId: string;
  readonly repoTags: readonly string[];
  readonly history: readonly RawHistoryEntry[];
  readonly layers: Layers;
}): GraphImageData {
  const { steps, layers } = labelLayers(input.history, input.layers);
  return {
    imageId: input.imageId,
    repoTags: realTags(input.repoTags),
    layers: layers.map(({ diffId, chainId, size, stepIndex }) => ({ diffId, chainId, size, stepIndex })),
    steps: steps.map(({ instruction, size }) => ({ instruction, size })),
  };
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first failure. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The images of a GET /images/json answer: ID and tags as listed. */
function listedImages(list: unknown): { readonly id: string; readonly repoTags: string[] }[] {
  if (!Array.isArray(list)) {
    throw new StrataError('engine_error', 'The engine answered /images/json with something that is not a list.');
  }
  return list
    .map((item) => imageNamesSchema.parse(item))
    .map((item) => ({ id: item.Id, repoTags: item.RepoTags }))
    .filter((item) => item.id !== '');
}

/** A GET that answers the parsed JSON or throws the mapped StrataError (the service's `getJson`). */
export type GetJson = (
  path: string,
  context: { readonly operation: 'inspect' | 'list'; readonly reference?: string },
) => Promise<unknown>;

export interface HistoryReaderOptions {
  readonly engineId: string;
  readonly getJson: GetJson;
  /** How many other images are inspected at once. Default 8. */
  readonly concurrency?: number;
}

export interface HistoryReader {
  read(reference: string): Promise<ImageHistory>;
  /**
   * Every listed image (GET /images/json: what `docker images` lists, no intermediate images) with its
   * chain and labelled steps, ordered by image ID. Only the list is read again once an image's inspect and history are cached.
   */
  graph(): Promise<GraphImageData[]>;
  /** Image IDs with cached data (tests). */
  cachedIds(): readonly string[];
}

interface CacheEntry {
  layers?: Promise<Layers>;
  history?: Promise<readonly RawHistoryEntry[]>;
}

export function createHistoryReader(options: HistoryReaderOptions): HistoryReader {
  const concurrency = options.concurrency ?? 8;
  const cache = new Map<string, CacheEntry>();
  const entryOf = (id: string): CacheEntry => {
    let entry = cache.get(id);
    if (entry === undefined) {
      entry = {};
      cache.set(id, entry);
    }
    return entry;
  };

  /** Caches a promise, forgetting it if it fails so the next call tries again. */
  function remember<K extends keyof CacheEntry>(id: string, key: K, make: () => NonNullable<CacheEntry[K]>) {
    const entry = entryOf(id);
    const existing = entry[key];
    if (existing !== undefined) return existing as NonNullable<CacheEntry[K]>;
    const made = make();
    entry[key] = made;
    made.catch(() => {
      if (cache.get(id)?.[key] === made) delete cache.get(id)?.[key];
    });
    return made;
  }

  const layersOf = (id: string, inspect?: unknown): Promise<Layers> =>
    remember(id, 'layers', async () => {
      const raw =
        inspect ??
        (await options.getJson(`/images/${encodeReferenceForPath(id)}/json`, { operation: 'inspect', reference: id }));
      const diffIds = diffIdsOf(raw);
      return { diffIds, chainIds: chainIdsOf(diffIds) };
    });

  const historyOf = (id: string): Promise<readonly RawHistoryEntry[]> =>
    remember(id, 'history', async () =>
      toHistoryEntries(
        await options.getJson(`/images/${encodeReferenceForPath(id)}/history`, { operation: 'inspect', reference: id }),
      ),
    );

  /** Content-addressed data of images no longer listed will not be asked for again. */
  const forgetAllBut = (ids: readonly string[]): void => {
    const keep = new Set(ids);
    for (const id of [...cache.keys()]) if (!keep.has(id)) cache.delete(id);
  };

  return {
    async graph() {
      const listed = listedImages(await options.getJson('/images/json', { operation: 'list' }));
      forgetAllBut(listed.map((item) => item.id));
      // One request per worker at a time: at most `concurrency` requests in flight; cached data costs none.
      const images = await mapBounded(listed, concurrency, async (item): Promise<GraphImageData | undefined> => {
        try {
          const layers = await layersOf(item.id);
          const history = await historyOf(item.id);
          return toGraphImageData({ imageId: item.id, repoTags: item.repoTags, history, layers });
        } catch (error) {
          // Removed since the list was read: it is no longer part of the graph.
          if (error instanceof StrataError && error.code === 'not_found') return undefined;
          throw error;
        }
      });
      // The engine lists images of the same second in any order; an answer that does not change when nothing
      // changed lets the renderer keep what it drew.
      return images
        .filter((image): image is GraphImageData => image !== undefined)
        .sort((a, b) => (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0));
    },
    async read(reference) {
      // The reference's inspect answers the ID (tags move); everything after goes by ID.
      const inspect = await options.getJson(`/images/${encodeReferenceForPath(reference)}/json`, {
        operation: 'inspect',
        reference,
      });
      const { Id: imageId, RepoTags: repoTags } = imageNamesSchema.parse(inspect);
      if (imageId === '')
        throw new StrataError('engine_error', `The engine answered the inspect of "${reference}" without an image ID.`);

      const [layers, history, list] = await Promise.all([
        layersOf(imageId, inspect),
        historyOf(imageId).catch((error: unknown) => {
          // Removed between the two calls: say so in the words of the reference asked for.
          if (error instanceof StrataError && error.code === 'not_found') {
            throw new StrataError('not_found', `No image "${reference}" on this engine.`, error.detail);
          }
          throw error;
        }),
        options.getJson('/images/json', { operation: 'list' }),
      ]);
      const listed = listedImages(list);
      forgetAllBut([imageId, ...listed.map((item) => item.id)]);

      const others = (
        await mapBounded(
          listed.filter((item) => item.id !== imageId),
          concurrency,
          async (item): Promise<ImageChain | undefined> => {
            try {
              const { chainIds } = await layersOf(item.id);
              return { imageId: item.id, name: displayNameOf(item.id, item.repoTags), chainIds };
            } catch (error) {
              // Removed since the list was read: it shares nothing any more.
              if (error instanceof StrataError && error.code === 'not_found') return undefined;
              throw error;
            }
          },
        )
      ).filter((other): other is ImageChain => other !== undefined);

      return toImageHistory({ engineId: options.engineId, imageId, repoTags, history, layers, others });
    },
    cachedIds: () => [...cache.keys()],
  };
}

export function historyHandlers(ctx: EngineContext): HandlerSlice<'images.history'> {
  return {
    'images.history': async (args) => {
      const parsed = requireReference(args.reference);
      return ctx.history.read(parsed.raw);
    },
  };
}
