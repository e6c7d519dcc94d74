/**
 * Disk usage (`docker system df -v`), volumes, and cleanup (`docker system prune` with a true preview).
 *
 * disk.usage reads /system/df (slow on engines with many images: a generous timeout) and computes the totals as the
 * docker CLI does (shared/disk.ts diskTotals). disk.cleanupPreview models each prune the engine runs, in its order
 * (containers, volumes, images, build cache; disk-model.ts + shared/prune.ts), and disk.cleanup is a job that
 * recomputes the plan, runs the prunes asked for and compares what the engine reports with the plan.
 *
 * Container sizes: the plan lists only stopped containers with `size=1` and a status filter, so the engine computes
 * the (slow) writable-layer size of just the containers a prune can remove, never of running ones.
 */
import type { BuildCacheRecord, CleanupPlan, CleanupResult, DiskUsage, VolumeSummary } from '../../../shared/api';
import { cleanupArgsSchema } from '../../../shared/api';
import type { z } from 'zod';
import { StrataError } from '../../../shared/errors';
import { pruneDifferences, pruneFilters, untilInstant } from '../../../shared/prune';
import { encodeReferenceForPath } from '../../../shared/reference';
import { apiAtLeast } from '../core/api-version';
import type { EngineContext, HandlerSlice } from '../host/context';
import {
  engineFilters,
  checkCleanupArgs,
  needsLayers,
  partDifferences,
  planBuildCache,
  planContainers,
  planVolumes,
  toDiskUsage,
  volumeSummaryOf,
  buildCacheRecordOf,
  volumeUsers,
} from './model';
import { httpError, isDiskUsageBusy } from '../core/errors';
import { imagePruneTools } from '../images/prune';
import { nonEmpty, pruneAnswerSchema, systemDfSchema, volumeListSchema, type PruneAnswer } from '../core/answers';

type Methods = 'volumes.list' | 'volumes.remove' | 'disk.usage' | 'disk.cleanupPreview' | 'disk.cleanup';
type Args = z.infer<typeof cleanupArgsSchema>;

/** /system/df walks every layer, container and volume: minutes on big engines. */
const DF_TIMEOUT_MS = 120_000;
/** Prunes delete files; a big one takes minutes. */
const PRUNE_TIMEOUT_MS = 600_000;

/** What a plan needs from the engine besides the image simulation. */
interface Planned {
  readonly plan: CleanupPlan;
  readonly imageSimulation: Awaited<ReturnType<ReturnType<typeof imagePruneTools>['simulate']>> | null;
  readonly apiVersion: string | undefined;
}

/** The engine's answer while another /system/df runs. */
const DF_BUSY_RETRY_MS = 250;

export function diskHandlers(ctx: EngineContext): HandlerSlice<Methods> {
  const prunes = imagePruneTools(ctx);

  /**
   * GET /system/df, one at a time: the engine refuses a second one while the first runs ("a disk usage operation is
   * already running"), so callers in this service share the request in flight, and a refusal caused by another
   * client (the docker CLI, another Strata) is retried until the first is done.
   */
  let dfInFlight: Promise<{ readonly df: unknown; readonly ms: number }> | undefined;

  async function fetchDf(): Promise<{ readonly df: unknown; readonly ms: number }> {
    const started = performance.now();
    const timeoutMs = Math.max(ctx.requestTimeoutMs, DF_TIMEOUT_MS);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await ctx.engine().json({ method: 'GET', path: '/system/df', timeoutMs });
      if (res.status === 200) return { df: res.value, ms: Math.round(performance.now() - started) };
      if (isDiskUsageBusy(res.body) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, DF_BUSY_RETRY_MS));
        continue;
      }
      throw httpError(res.status, res.body, { operation: 'list' });
    }
  }

  function systemDf(signal?: AbortSignal): Promise<{ readonly df: unknown; readonly ms: number }> {
    dfInFlight ??= fetchDf().finally(() => {
      dfInFlight = undefined;
    });
    const shared = dfInFlight;
    if (signal === undefined) return shared;
    // A cancelled caller stops waiting; the shared request goes on for the others.
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  const allContainers = (): Promise<unknown> => ctx.getJson('/containers/json', { operation: 'list' }, { all: 1 });

  async function usage(): Promise<DiskUsage> {
    const [{ df, ms }, containers] = await Promise.all([systemDf(), allContainers()]);
    const layered = needsLayers(df)
      ? (await ctx.history.graph()).map((image) => ({ id: image.imageId, layers: image.layers }))
      : undefined;
    return toDiskUsage({
      engineId: ctx.engineId,
      df,
      containers,
      ...(layered === undefined ? {} : { layered }),
      engineMs: ms,
      now: new Date(),
    });
  }

  async function listVolumes(): Promise<VolumeSummary[]> {
    const [volumes, containers] = await Promise.all([ctx.getJson('/volumes', { operation: 'list' }), allContainers()]);
    const users = volumeUsers(containers);
    return volumeListSchema
      .parse(volumes)
      .Volumes.map((v) => volumeSummaryOf(ctx.engineId, v, users))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async function removeVolume(name: string, force: boolean): Promise<{ name: string }> {
    const res = await ctx.engine().json({
      method: 'DELETE',
      path: `/volumes/${encodeReferenceForPath(name)}`,
      query: force ? { force: true } : {},
    });
    if (res.status === 204 || res.status === 200) return { name };
    if (res.status === 404) throw new StrataError('not_found', `No volume "${name}" on this engine.`, res.body);
    if (res.status === 409) {
      const users = volumeUsers(await allContainers()).get(name) ?? [];
      const who = users.length > 0 ? users.map((u) => u.name).join(', ') : 'a container';
      throw new StrataError(
        'conflict',
        `Volume ${name} is in use by container(s) ${who}; remove them first.`,
        res.body,
      );
    }
    throw httpError(res.status, res.body, { operation: 'remove' });
  }

  async function makePlan(given: Args): Promise<Planned> {
    // Defaults filled in even when a caller skipped the contract's validation: a missing `images` must never prune.
    const args = cleanupArgsSchema.parse(given);
    checkCleanupArgs(args);
    const now = Date.now();
    const untilMs = args.until === undefined ? undefined : untilInstant(args.until, now);
    const filters = { until: args.until, labels: args.labels };
    const needDf = args.volumes || args.buildCache;
    const [version, containers, stopped, volumes, df] = await Promise.all([
      ctx.engine().apiVersions(),
      allContainers(),
      args.containers
        ? ctx.getJson(
            '/containers/json',
            { operation: 'list' },
            { all: 1, size: 1, filters: JSON.stringify({ status: ['created', 'exited', 'dead'] }) },
          )
        : Promise.resolve([]),
      args.volumes ? ctx.getJson('/volumes', { operation: 'list' }) : Promise.resolve({}),
      needDf ? systemDf().then((r) => r.df) : Promise.resolve({}),
    ]);
    // The version requests are sent with decides the prune semantics (unversioned: the engine's own).
    const apiVersion = version.version ?? version.engineApi;
    const plannedContainers = args.containers ? planContainers(stopped, filters, untilMs) : [];
    const removed = new Set(plannedContainers.map((c) => c.id));
    const dfAnswer = systemDfSchema.parse(df);
    const sizes = new Map(dfAnswer.Volumes.map((v) => [v.Name, v.UsageData?.Size ?? -1]));
    const plannedVolumes = args.volumes
      ? planVolumes({ volumes, containers, removedContainers: removed, sizes, args: filters })
      : [];
    const imageSimulation =
      args.images === 'none'
        ? null
        : await prunes.simulate(
            {
              mode: args.images,
              ...(args.until === undefined ? {} : { until: args.until }),
              ...(args.labels === undefined ? {} : { labels: args.labels }),
            },
            removed,
          );
    const records: BuildCacheRecord[] = dfAnswer.BuildCache.map(buildCacheRecordOf);
    const plannedCache = args.buildCache
      ? planBuildCache(records, {
          all: args.images === 'all',
          untilMs,
          hasLabels: (args.labels ?? []).length > 0,
        })
      : [];
    // A record shared with an image becomes prunable once that image goes (the build cache part runs after the image
    // part); which image shares it is not told, so such records are named here rather than planned.
    const sharedWithImages =
      args.buildCache && args.images !== 'none' && (args.labels ?? []).length === 0
        ? records.filter((r) => r.shared && !r.inUse).length
        : 0;
    const unknownSizes = [
      ...(sharedWithImages > 0
        ? [`${sharedWithImages} build cache record(s) shared with images: freed too if those images are pruned`]
        : []),
      ...plannedContainers.filter((c) => c.size === null).map((c) => `container ${c.name}`),
      ...plannedVolumes.filter((v) => v.size === null).map((v) => `volume ${v.name}`),
      ...(imageSimulation !== null && imageSimulation.unknownSizeLayers > 0
        ? [`${imageSimulation.unknownSizeLayers} image layer(s)`]
        : []),
    ];
    const bytes = {
      containers: plannedContainers.reduce((sum, c) => sum + (c.size ?? 0), 0),
      volumes: plannedVolumes.reduce((sum, v) => sum + (v.size ?? 0), 0),
      images: imageSimulation?.plan.reclaimBytes ?? 0,
      buildCache: plannedCache.reduce((sum, r) => sum + r.size, 0),
    };
    return {
      plan: {
        engineId: ctx.engineId,
        containers: plannedContainers,
        volumes: plannedVolumes,
        images: imageSimulation?.plan ?? null,
        buildCache: plannedCache,
        bytes: { ...bytes, total: bytes.containers + bytes.volumes + bytes.images + bytes.buildCache },
        unknownSizes,
        computedAt: new Date(now).toISOString(),
      },
      imageSimulation,
      apiVersion,
    };
  }

  async function post(path: string, filters: Record<string, string[]>): Promise<PruneAnswer> {
    const res = await ctx.engine().json({
      method: 'POST',
      path,
      query: { filters: JSON.stringify(filters) },
      timeoutMs: Math.max(ctx.requestTimeoutMs, PRUNE_TIMEOUT_MS),
    });
    if (res.status === 409) {
      throw new StrataError(
        'conflict',
        `Another prune is running on this engine (${path}); try again when it ends.`,
        res.body,
      );
    }
    if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.body, { operation: 'remove' });
    return pruneAnswerSchema.parse(res.value);
  }

  async function runCleanup(
    given: Args,
    signal: AbortSignal,
    say: (message: string, fraction: number | null) => void,
  ): Promise<CleanupResult> {
    const args = cleanupArgsSchema.parse(given);
    const done: string[] = [];
    const checkCancel = (): void => {
      if (!signal.aborted) return;
      const what = done.length === 0 ? 'nothing was removed' : `already done: ${done.join(', ')}`;
      // The job manager words the end of a cancelled job itself: the last progress tells what was done.
      say(`Cancelled; ${what}.`, null);
      throw new StrataError('cancelled', `The cleanup was cancelled; ${what}.`);
    };
    say('Computing what will be removed…', 0.05);
    const { plan, imageSimulation, apiVersion } = await makePlan(args);
    checkCancel();
    const filters = { until: args.until, labels: args.labels };
    const parts = [args.containers, args.volumes, args.images !== 'none', args.buildCache].filter(Boolean).length;
    let step = 0;
    const next = (message: string): void => {
      say(message, 0.1 + (0.9 * step) / parts);
      step += 1;
    };
    const differences: string[] = [];
    let containers: CleanupResult['containers'] = null;
    let volumes: CleanupResult['volumes'] = null;
    let images: CleanupResult['images'] = null;
    let buildCache: CleanupResult['buildCache'] = null;
    const names = new Map(plan.containers.map((c) => [c.id, c.name]));

    if (args.containers) {
      next(`Removing ${plan.containers.length} stopped container(s)…`);
      const value = await post('/containers/prune', engineFilters(filters, true));
      containers = { deleted: value.ContainersDeleted, spaceReclaimed: value.SpaceReclaimed };
      differences.push(
        ...partDifferences(
          'Containers',
          {
            ids: plan.containers.map((c) => c.id),
            bytes: plan.bytes.containers,
            bytesKnown: plan.containers.every((c) => c.size !== null),
          },
          { ids: containers.deleted, bytes: containers.spaceReclaimed },
          (id) => names.get(id) ?? id.slice(0, 12),
        ),
      );
      done.push('containers');
      checkCancel();
    }
    if (args.volumes) {
      next(`Removing ${plan.volumes.length} unused volume(s)…`);
      const volumeFilters = engineFilters(filters, false);
      // API >= 1.42 prunes only anonymous volumes unless all=true; 1.41 (Engine 20.10) prunes all and refuses `all`.
      if (apiAtLeast(apiVersion, '1.42')) volumeFilters['all'] = ['true'];
      const value = await post('/volumes/prune', volumeFilters);
      volumes = { deleted: value.VolumesDeleted, spaceReclaimed: value.SpaceReclaimed };
      differences.push(
        ...partDifferences(
          'Volumes',
          {
            ids: plan.volumes.map((v) => v.name),
            bytes: plan.bytes.volumes,
            bytesKnown: plan.volumes.every((v) => v.size !== null),
          },
          { ids: volumes.deleted, bytes: volumes.spaceReclaimed },
        ),
      );
      done.push('volumes');
      checkCancel();
    }
    if (imageSimulation !== null && plan.images !== null) {
      next(`Removing ${plan.images.remove.length} image(s)…`);
      const imageArgs = plan.images.args;
      const value = await prunes.serialised(() => post('/images/prune', pruneFilters(imageArgs)));
      images = {
        untagged: nonEmpty(value.ImagesDeleted.map((r) => r.Untagged)),
        deleted: nonEmpty(value.ImagesDeleted.map((r) => r.Deleted)),
        spaceReclaimed: value.SpaceReclaimed,
      };
      differences.push(...pruneDifferences(imageSimulation, images).map((d) => `Images: ${d}`));
      done.push('images');
      checkCancel();
    }
    if (args.buildCache) {
      next(`Removing ${plan.buildCache.length} build cache record(s)…`);
      if ((args.labels ?? []).length > 0) {
        // Build cache records carry no labels: a labelled cleanup leaves the build cache alone.
        buildCache = { deleted: [], spaceReclaimed: 0 };
      } else {
        const cacheFilters: Record<string, string[]> = {};
        if (args.until !== undefined) cacheFilters['until'] = [args.until];
        const res = await ctx.engine().json({
          method: 'POST',
          path: '/build/prune',
          query: {
            filters: JSON.stringify(cacheFilters),
            ...(args.images === 'all' ? { all: true } : {}),
          },
          timeoutMs: Math.max(ctx.requestTimeoutMs, PRUNE_TIMEOUT_MS),
        });
        if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.body, { operation: 'remove' });
        const value = pruneAnswerSchema.parse(res.value);
        buildCache = { deleted: value.CachesDeleted, spaceReclaimed: value.SpaceReclaimed };
      }
      differences.push(
        ...partDifferences(
          'Build cache',
          { ids: plan.buildCache.map((r) => r.id), bytes: plan.bytes.buildCache, bytesKnown: true },
          { ids: buildCache.deleted, bytes: buildCache.spaceReclaimed },
        ),
      );
      done.push('build cache');
    }
    const spaceReclaimed =
      (containers?.spaceReclaimed ?? 0) +
      (volumes?.spaceReclaimed ?? 0) +
      (images?.spaceReclaimed ?? 0) +
      (buildCache?.spaceReclaimed ?? 0);
    say('Done.', 1);
    return { plan, containers, volumes, images, buildCache, spaceReclaimed, differences };
  }

  return {
    'volumes.list': () => listVolumes(),
    'volumes.remove': (args) => removeVolume(args.name, args.force === true),
    'disk.usage': () => usage(),
    'disk.cleanupPreview': async (args) => (await makePlan(args)).plan,
    'disk.cleanup': (args) => {
      try {
        checkCleanupArgs(args);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const jobId = ctx.jobs.start('cleanup', 'Clean up disk space', ({ signal, progress }) =>
        runCleanup(args, signal, (message, fraction) => progress({ fraction, message, layers: [] })),
      );
      return Promise.resolve({ jobId });
    },
  };
}
