/**
 * Prune with a true preview. `images.prunePreview` reads every image (intermediates included), every
 * container and each image's layer chain with sizes, and simulates the engine's prune
 * (shared/prune.ts). `images.prune` is a job: it computes the plan right before, runs
 * POST /images/prune, and compares what the engine reports with the plan.
 *
 * Prunes run one at a time: a queue here, and the engine's own 409 ("a prune operation is already
 * running", from another client) is waited for and retried.
 */
import type { PruneArgs, PruneResult } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import {
  pruneDifferences,
  pruneFilters,
  simulatePrune,
  type PruneContainerInput,
  type PruneImageInput,
  type PruneLayerInput,
  type PruneSimulation,
} from '../../../shared/prune';
import { encodeReferenceForPath } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { httpError, isPruneRunning } from '../core/errors';
import {
  containerListEntrySchema,
  imageCreatedLabelsSchema,
  imageListEntrySchema,
  nonEmpty,
  pruneAnswerSchema,
} from '../core/answers';
import { chainIdsOf, diffIdsOf, labelLayers, mapBounded, toHistoryEntries } from './history';

/** What an image's inspect and history give the simulation; content-addressed, so cached by ID. */
interface ImageFacts {
  readonly created: number;
  readonly labels: Readonly<Record<string, string>> | null;
  readonly layers: readonly PruneLayerInput[];
}

/** Milliseconds (with fraction) of an RFC 3339 time with up to nanoseconds. */
export function createdMs(text: string): number {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (match === null) return Date.parse(text);
  const whole = Date.parse(`${match[1] ?? ''}${match[3] ?? ''}`);
  return whole + (match[2] === undefined ? 0 : Number(match[2]) * 1000);
}

/** The facts of one image from its inspect and history answers: pure. */
export function imageFactsOf(inspect: unknown, history: unknown): ImageFacts {
  const { Created: created, Config: config } = imageCreatedLabelsSchema.parse(inspect);
  const diffIds = diffIdsOf(inspect);
  const chainIds = chainIdsOf(diffIds);
  const { layers } = labelLayers(toHistoryEntries(history), { diffIds, chainIds });
  return {
    created: createdMs(created),
    labels: config === null ? null : config.Labels,
    layers: layers.map((layer) => ({ chainId: layer.chainId, size: layer.size })),
  };
}

/** The image prune simulation and the one-prune-at-a-time queue of an engine; disk.ts (cleanup) shares both. */
export interface ImagePruneTools {
  /** Simulates POST /images/prune; containers whose ID is in `without` count as already removed. */
  readonly simulate: (args: PruneArgs, without?: ReadonlySet<string>) => Promise<PruneSimulation>;
  /** Runs `run` after every prune queued before it. */
  readonly serialised: <T>(run: () => Promise<T>) => Promise<T>;
  /** How many prunes are queued or running. */
  readonly pending: () => number;
}

const toolsByContext = new WeakMap<EngineContext, ImagePruneTools>();

export function imagePruneTools(ctx: EngineContext): ImagePruneTools {
  const known = toolsByContext.get(ctx);
  if (known !== undefined) return known;
  const tools = createImagePruneTools(ctx);
  toolsByContext.set(ctx, tools);
  return tools;
}

function createImagePruneTools(ctx: EngineContext): ImagePruneTools {
  const facts = new Map<string, Promise<ImageFacts>>();

  const factsOf = (id: string): Promise<ImageFacts> => {
    let found = facts.get(id);
    if (found === undefined) {
      const path = `/images/${encodeReferenceForPath(id)}`;
      found = Promise.all([
        ctx.getJson(`${path}/json`, { operation: 'inspect', reference: id }),
        ctx.getJson(`${path}/history`, { operation: 'inspect', reference: id }),
      ]).then(([inspect, history]) => imageFactsOf(inspect, history));
      facts.set(id, found);
      const made = found;
      made.catch(() => {
        if (facts.get(id) === made) facts.delete(id);
      });
    }
    return found;
  };

  async function simulate(args: PruneArgs, without?: ReadonlySet<string>): Promise<PruneSimulation> {
    const [list, containerList] = await Promise.all([
      ctx.getJson('/images/json', { operation: 'list' }, { all: 1 }),
      ctx.getJson('/containers/json', { operation: 'list' }, { all: 1 }),
    ]);
    if (!Array.isArray(list) || !Array.isArray(containerList)) {
      throw new StrataError('engine_error', 'The engine answered an image or container list with something else.');
    }
    const listed = list.map((item) => imageListEntrySchema.parse(item)).filter((item) => item.Id !== '');
    const live = new Set(listed.map((item) => item.Id));
    for (const id of [...facts.keys()]) if (!live.has(id)) facts.delete(id);
    const images = (
      await mapBounded(listed, 8, async (item): Promise<PruneImageInput | undefined> => {
        const id = item.Id;
        try {
          const known = await factsOf(id);
          return {
            id,
            parentId: item.ParentId,
            repoTags: item.RepoTags,
            repoDigests: item.RepoDigests,
            size: item.Size,
            ...known,
          };
        } catch (error) {
          // Removed since the list was read.
          if (error instanceof StrataError && error.code === 'not_found') return undefined;
          throw error;
        }
      })
    ).filter((image): image is PruneImageInput => image !== undefined);
    const containers: PruneContainerInput[] = containerList
      .map((c) => containerListEntrySchema.parse(c))
      .filter((c) => without === undefined || !without.has(c.Id))
      .map((c) => ({
        imageId: c.ImageID,
        name: c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12),
        state: c.State,
      }));
    return simulatePrune({ engineId: ctx.engineId, args, images, containers, now: Date.now() });
  }

  // One prune at a time, in the order asked.
  let queue: Promise<unknown> = Promise.resolve();
  let pending = 0;
  const serialised = <T>(run: () => Promise<T>): Promise<T> => {
    pending += 1;
    const next = queue.then(run, run).finally(() => {
      pending -= 1;
    });
    queue = next.catch(() => undefined);
    return next;
  };

  return { simulate, serialised, pending: () => pending };
}

export function pruneHandlers(ctx: EngineContext): HandlerSlice<'images.prunePreview' | 'images.prune'> {
  const { simulate, serialised } = imagePruneTools(ctx);
  const pendingPrunes = (): number => imagePruneTools(ctx).pending();

  const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(cancelled());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });

  const cancelled = (): StrataError =>
    new StrataError('cancelled', 'The prune was cancelled before the engine started it; nothing was removed.');

  async function runPrune(
    args: PruneArgs,
    signal: AbortSignal,
    say: (message: string, fraction: number | null) => void,
    turn: { started: boolean },
  ): Promise<PruneResult> {
    for (let attempt = 0; ; attempt += 1) {
      if (signal.aborted) throw cancelled();
      say('Computing the preview…', 0.1);
      const simulation = await simulate(args);
      if (signal.aborted) throw cancelled();
      say(
        `Pruning: the engine is removing ${simulation.plan.remove.length} image(s); this cannot be cancelled or undone now.`,
        0.5,
      );
      // No signal from here: once the engine prunes, cancelling the request would not stop it.
      turn.started = true;
      const res = await ctx.engine().json({
        method: 'POST',
        path: '/images/prune',
        query: { filters: JSON.stringify(pruneFilters(args)) },
        timeoutMs: Math.max(ctx.requestTimeoutMs, 300_000),
      });
      if (res.status === 409 && isPruneRunning(res.body)) {
        if (attempt >= 120) {
          throw new StrataError('conflict', 'Another prune kept running on this engine for minutes; try again later.');
        }
        turn.started = false;
        say('Another prune is running on this engine (another client); waiting for it to finish…', null);
        await sleep(500, signal);
        continue;
      }
      if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.body, { operation: 'remove' });
      const value = pruneAnswerSchema.parse(res.value);
      const report = {
        untagged: nonEmpty(value.ImagesDeleted.map((r) => r.Untagged)),
        deleted: nonEmpty(value.ImagesDeleted.map((r) => r.Deleted)),
        spaceReclaimed: value.SpaceReclaimed,
      };
      return { ...report, plan: simulation.plan, differences: pruneDifferences(simulation, report) };
    }
  }

  return {
    'images.prunePreview': async (args) => (await simulate(args)).plan,
    'images.prune': (args) => {
      const title = args.mode === 'dangling' ? 'Prune dangling images' : 'Prune unused images';
      const jobId = ctx.jobs.start('prune', title, ({ signal, progress }) => {
        const say = (message: string, fraction: number | null): void => progress({ fraction, message, layers: [] });
        if (pendingPrunes() > 0) say('Waiting for an earlier prune to finish…', null);
        const turn = { started: false };
        const run = serialised(() => runPrune(args, signal, say, turn));
        // Cancelling while an earlier prune runs ends this job at once; its turn then does nothing.
        const onCancel = new Promise<never>((_, reject) => {
          // Once the engine prunes, the job waits for its report: the prune cannot be stopped.
          const abort = (): void => {
            if (!turn.started) reject(cancelled());
          };
          if (signal.aborted) abort();
          else signal.addEventListener('abort', abort, { once: true });
          void run.finally(() => signal.removeEventListener('abort', abort)).catch(() => undefined);
        });
        onCancel.catch(() => undefined);
        return Promise.race([run, onCancel]);
      });
      return Promise.resolve({ jobId });
    },
  };
}
