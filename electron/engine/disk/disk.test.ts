/**
 * Disk usage from a /system/df answer recorded on the lab engine (Engine 20.10, API 1.41) next to what the docker CLI
 * (28.x) printed for it on the same engine, and the prune models of disk-model.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanupArgsSchema,
  type BuildCacheRecord,
  type CleanupResult,
  type JobInfo,
  type StrataEvent,
} from '../../../shared/api';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { createEngineService, type EngineService } from '../host/service';
import { dockerHumanSize, dockerHumanSizePrecision, reclaimableText } from '../../../shared/disk';
import {
  engineFilters,
  partDifferences,
  planBuildCache,
  planContainers,
  planVolumes,
  toDiskUsage,
  toVolumeSummary,
  volumeUsers,
} from './model';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'disk');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown;
const df = fixture('system-df.json');
const containers = fixture('containers.json');
const volumes = fixture('volumes.json');
const cliRows = readFileSync(join(FIXTURES, 'cli-system-df.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Record<string, string>);
const cliVerbose = fixture('cli-system-df-v.json') as {
  Images: { ID: string; Size: string; SharedSize: string; UniqueSize: string; Containers: string }[];
  Volumes: { Name: string; Links: string; Size: string }[];
  BuildCache: { ID: string; Size: string; Shared: string; InUse: string }[];
};

const usage = toDiskUsage({ engineId: 'lab', df, containers, engineMs: 12, now: new Date(0) });

describe('disk.usage from a recorded /system/df', () => {
  it('prints the same four rows as `docker system df` on that engine', () => {
    const types = { images: 'Images', containers: 'Containers', volumes: 'Local Volumes', buildCache: 'Build Cache' };
    const ours = usage.totals.map((t) => ({
      Type: types[t.category],
      TotalCount: String(t.count),
      Active: String(t.active),
      Size: dockerHumanSize(t.size),
      Reclaimable: reclaimableText(t),
    }));
    expect(ours).toEqual(
      cliRows.map((row) => ({
        Type: row['Type'],
        TotalCount: row['TotalCount'],
        Active: row['Active'],
        Size: row['Size'],
        Reclaimable: row['Reclaimable'],
      })),
    );
  });

  it('gives each image the shared and unique sizes `docker system df -v` prints', () => {
    expect(usage.images).toHaveLength(cliVerbose.Images.length);
    for (const cli of cliVerbose.Images) {
      const image = usage.images.find((i) => i.id === cli.ID);
      expect(image, cli.ID).toBeDefined();
      if (image === undefined) continue;
      expect(dockerHumanSizePrecision(image.size, 3)).toBe(cli.Size);
      expect(dockerHumanSize(image.sharedSize)).toBe(cli.SharedSize);
      expect(dockerHumanSize(image.uniqueSize)).toBe(cli.UniqueSize);
      expect(String(image.containers)).toBe(cli.Containers);
      expect(image.sharedFrom).toBe('engine');
    }
  });

  it('lists volumes with size, links and the containers that mount them', () => {
    for (const cli of cliVerbose.Volumes) {
      const volume = usage.volumes.find((v) => v.name === cli.Name);
      expect(volume?.refCount).toBe(Number(cli.Links));
      expect(dockerHumanSize(volume?.size ?? -1)).toBe(cli.Size);
    }
    const named = usage.volumes.find((v) => v.name === 't-disk-fx-vol');
    expect(named?.anonymous).toBe(false);
    expect(named?.usedBy.map((u) => u.name).sort()).toEqual(['t-disk-fx-live', 't-disk-fx-writer']);
    const anonymous = usage.volumes.find((v) => v.anonymous);
    expect(anonymous?.usedBy.map((u) => u.name)).toEqual(['t-disk-fx-writer']);
  });

  it('lists build cache records as the CLI does', () => {
    expect(usage.buildCache.map((r) => r.id).sort()).toEqual(cliVerbose.BuildCache.map((r) => r.ID).sort());
    for (const cli of cliVerbose.BuildCache) {
      const record = usage.buildCache.find((r) => r.id === cli.ID);
      expect(dockerHumanSizePrecision(record?.size ?? -1, 3)).toBe(cli.Size);
      expect(String(record?.shared)).toBe(cli.Shared);
      expect(String(record?.inUse)).toBe(cli.InUse);
    }
  });

  it('computes shared sizes from layers when the engine answers -1', () => {
    const raw = {
      LayersSize: 350,
      Images: [
        { Id: 'a', Size: 150, SharedSize: -1, Containers: 1, RepoTags: ['a:1'] },
        { Id: 'b', Size: 300, SharedSize: -1, Containers: 0, RepoTags: ['<none>:<none>'] },
      ],
    };
    const result = toDiskUsage({
      engineId: 'e',
      df: raw,
      containers: [],
      layered: [
        {
          id: 'a',
          layers: [
            { chainId: 'c1', size: 100 },
            { chainId: 'c2', size: 50 },
          ],
        },
        {
          id: 'b',
          layers: [
            { chainId: 'c1', size: 100 },
            { chainId: 'c3', size: 200 },
          ],
        },
      ],
      engineMs: 1,
      now: new Date(0),
    });
    expect(result.images.map((i) => [i.id, i.sharedSize, i.uniqueSize, i.sharedFrom, i.repoTags])).toEqual([
      ['a', 100, 50, 'layers', ['a:1']],
      ['b', 100, 200, 'layers', []],
    ]);
    // The totals stay the CLI's: it skips images whose SharedSize is -1.
    expect(result.totals[0]).toMatchObject({ size: 350, reclaimable: 350, active: 1 });
  });
});

describe('volumes', () => {
  it('marks 64-hex names anonymous and leaves sizes unknown outside /system/df', () => {
    const users = volumeUsers(containers);
    const list = (volumes as { Volumes: unknown[] }).Volumes.map((v) => toVolumeSummary('lab', v, users));
    expect(list.filter((v) => v.anonymous)).toHaveLength(1);
    expect(list.every((v) => v.size === null && v.refCount === null)).toBe(true);
    expect(list.find((v) => v.name === 't-disk-fx-unused')?.labels).toEqual({ 'strata.test.disk': 'fx' });
  });
});

describe('cleanup models', () => {
  const stopped = [
    {
      Id: 'c1',
      Names: ['/old'],
      State: 'exited',
      Status: 'Exited (0)',
      Created: 100,
      Labels: { team: 'a' },
      SizeRw: 5,
    },
    { Id: 'c2', Names: ['/new'], State: 'created', Status: 'Created', Created: 300, Labels: {}, Image: 'x' },
    { Id: 'c3', Names: ['/up'], State: 'running', Status: 'Up', Created: 50, Labels: { team: 'a' }, SizeRw: 9 },
    { Id: 'c4', Names: ['/gone'], State: 'dead', Status: 'Dead', Created: 10, Labels: { team: 'b' }, SizeRw: 1 },
  ];

  it('removes containers that are not running, filtered by until and labels; a missing SizeRw is 0', () => {
    expect(planContainers(stopped, {}, undefined).map((c) => [c.name, c.size])).toEqual([
      ['old', 5],
      ['new', 0],
      ['gone', 1],
    ]);
    expect(planContainers(stopped, {}, 200_000).map((c) => c.name)).toEqual(['old', 'gone']);
    expect(planContainers(stopped, { labels: ['team=a'] }, undefined).map((c) => c.name)).toEqual(['old']);
    expect(planContainers(stopped, { labels: ['!team=a'] }, undefined).map((c) => c.name)).toEqual(['new', 'gone']);
  });

  it('removes local volumes no remaining container mounts, named or anonymous', () => {
    const plan = planVolumes({
      volumes: {
        Volumes: [
          { Name: 'data', Driver: 'local', Labels: { keep: '1' } },
          { Name: 'a'.repeat(64), Driver: 'local', Labels: null },
          { Name: 'cache', Driver: 'local', Labels: null },
          { Name: 'nfs', Driver: 'other', Labels: null },
        ],
      },
      containers: [
        { Id: 'c1', Names: ['/old'], State: 'exited', Mounts: [{ Type: 'volume', Name: 'cache' }] },
        { Id: 'c3', Names: ['/up'], State: 'running', Mounts: [{ Type: 'volume', Name: 'data' }] },
      ],
      removedContainers: new Set(['c1']),
      sizes: new Map([
        ['cache', 40],
        ['a'.repeat(64), -1],
      ]),
      args: {},
    });
    expect(plan).toEqual([
      { name: 'a'.repeat(64), size: null },
      { name: 'cache', size: 40 },
    ]);
  });

  const record = (id: string, more: Partial<BuildCacheRecord>): BuildCacheRecord => ({
    id,
    type: 'regular',
    description: '',
    size: 10,
    inUse: false,
    shared: false,
    usageCount: 1,
    createdAt: '2026-01-01T00:00:00Z',
    lastUsedAt: '2026-01-01T00:00:00Z',
    ...more,
  });
  const records = [
    record('plain', {}),
    record('busy', { inUse: true }),
    record('shared', { shared: true }),
    record('internal', { type: 'internal' }),
    record('frontend', { type: 'frontend' }),
    record('recent', { lastUsedAt: '2026-06-01T00:00:00Z' }),
  ];

  it('prunes build cache like `docker builder prune`, and everything unused with all', () => {
    const ids = (list: readonly BuildCacheRecord[]): string[] => list.map((r) => r.id);
    expect(ids(planBuildCache(records, { all: false, untilMs: undefined, hasLabels: false }))).toEqual([
      'plain',
      'recent',
    ]);
    expect(ids(planBuildCache(records, { all: true, untilMs: undefined, hasLabels: false }))).toEqual([
      'plain',
      'shared',
      'internal',
      'frontend',
      'recent',
    ]);
    expect(ids(planBuildCache(records, { all: false, untilMs: Date.parse('2026-03-01'), hasLabels: false }))).toEqual([
      'plain',
    ]);
    expect(planBuildCache(records, { all: true, untilMs: undefined, hasLabels: true })).toEqual([]);
  });

  it('builds the engine filters and words the differences', () => {
    expect(engineFilters({ until: '24h', labels: ['a=1', '!b'] }, true)).toEqual({
      until: ['24h'],
      label: ['a=1'],
      'label!': ['b'],
    });
    expect(engineFilters({ until: '24h' }, false)).toEqual({});
    expect(
      partDifferences('Volumes', { ids: ['a', 'b'], bytes: 5, bytesKnown: true }, { ids: ['a', 'b'], bytes: 5 }),
    ).toEqual([]);
    expect(
      partDifferences('Volumes', { ids: ['a', 'b'], bytes: 5, bytesKnown: true }, { ids: ['a', 'c'], bytes: 7 }),
    ).toEqual([
      'Volumes: the engine also removed c.',
      'Volumes: the engine kept b.',
      'Volumes: the preview said 5 bytes, the engine reclaimed 7.',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The handlers over a fake engine answering with the recorded answers.

describe('disk handlers over recorded answers', () => {
  let engine: FakeEngine;
  let home: string;
  let service: EngineService;
  const events: StrataEvent[] = [];

  beforeEach(async () => {
    engine = await startFakeEngine();
    home = mkdtempSync(join(tmpdir(), 'strata-home-'));
    service = createEngineService({
      host: engine.host,
      env: {},
      homeDir: home,
      requestTimeoutMs: 2_000,
      watchEvents: false,
    });
    events.length = 0;
    service.onEvent((event) => events.push(event));
    engine.route('GET', '/containers/json', (_req, res) => json(res, 200, containers));
    engine.route('GET', '/volumes', (_req, res) => json(res, 200, volumes));
    engine.route('GET', '/system/df', (_req, res) => json(res, 200, df));
    engine.route('GET', '/version', (_req, res) => json(res, 200, { ApiVersion: '1.43' }));
  });
  afterEach(async () => {
    await service.close();
    await engine.close();
    rmSync(home, { recursive: true, force: true });
  });

  const calls = (method: string, path: string) =>
    engine.seen.filter((r) => r.method === method && r.url.split('?')[0] === path);
  const filtersOf = (url: string): unknown => JSON.parse(new URL(url, 'http://e').searchParams.get('filters') ?? '{}');
  const ended = (jobId: string): Promise<JobInfo> =>
    new Promise((resolve) => {
      const check = (): void => {
        const end = events.find((e) => e.type === 'job.end' && e.job.id === jobId);
        if (end?.type === 'job.end') resolve(end.job);
        else setTimeout(check, 10);
      };
      check();
    });

  it('shares one /system/df between callers, since the engine refuses a second while one runs', async () => {
    let running = 0;
    engine.route('GET', '/system/df', (_req, res) => {
      running += 1;
      if (running > 1) {
        json(res, 500, { message: 'a disk usage operation is already running' });
        running -= 1;
        return;
      }
      setTimeout(() => {
        running -= 1;
        json(res, 200, df);
      }, 100);
    });
    const [a, b] = await Promise.all([service.handlers['disk.usage']({}), service.handlers['disk.usage']({})]);
    expect(a.totals).toEqual(b.totals);
    expect(calls('GET', '/system/df')).toHaveLength(1);
  });

  it('waits out a /system/df another client is running', async () => {
    let answers = 0;
    engine.route('GET', '/system/df', (_req, res) => {
      answers += 1;
      if (answers <= 2) json(res, 500, { message: 'a disk usage operation is already running' });
      else json(res, 200, df);
    });
    const usage = await service.handlers['disk.usage']({});
    expect(usage.totals).toHaveLength(4);
    expect(calls('GET', '/system/df')).toHaveLength(3);
  });

  it('names the containers that hold a volume the engine refuses to remove', async () => {
    engine.route('DELETE', /^\/volumes\//, (_req, res) => json(res, 409, { message: 'volume is in use - [abc]' }));
    await expect(service.handlers['volumes.remove']({ name: 't-disk-fx-vol' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'Volume t-disk-fx-vol is in use by container(s) t-disk-fx-live, t-disk-fx-writer; remove them first.',
    });
  });

  it('passes all=true to the volume prune on API >= 1.42, and never prunes images unless asked', async () => {
    engine.route('POST', '/containers/prune', (_req, res) =>
      json(res, 200, { ContainersDeleted: null, SpaceReclaimed: 0 }),
    );
    engine.route('POST', '/volumes/prune', (_req, res) =>
      json(res, 200, { VolumesDeleted: ['t-disk-fx-unused'], SpaceReclaimed: 0 }),
    );
    const { jobId } = await service.handlers['disk.cleanup'](
      cleanupArgsSchema.parse({ containers: true, volumes: true, labels: ['strata.test.disk=fx'] }),
    );
    const job = await ended(jobId);
    expect(job.error).toBeNull();
    const result = job.result as CleanupResult;
    expect(result.plan.volumes).toEqual([{ name: 't-disk-fx-unused', size: 0 }]);
    expect(result.differences).toEqual([]);
    expect(filtersOf(calls('POST', '/volumes/prune')[0]?.url ?? '')).toEqual({
      label: ['strata.test.disk=fx'],
      all: ['true'],
    });
    expect(filtersOf(calls('POST', '/containers/prune')[0]?.url ?? '')).toEqual({ label: ['strata.test.disk=fx'] });
    expect(calls('POST', '/images/prune')).toEqual([]);
    expect(calls('POST', '/build/prune')).toEqual([]);
  });

  it('stops between parts when cancelled, saying what was already done', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    engine.route('POST', '/containers/prune', async (_req, res) => {
      await gate;
      json(res, 200, { ContainersDeleted: [], SpaceReclaimed: 0 });
    });
    const { jobId } = await service.handlers['disk.cleanup'](
      cleanupArgsSchema.parse({ containers: true, volumes: true }),
    );
    while (calls('POST', '/containers/prune').length === 0) await new Promise((r) => setTimeout(r, 10));
    await service.handlers['jobs.cancel']({ jobId });
    release();
    const job = await ended(jobId);
    expect(job.state).toBe('cancelled');
    const said = events.flatMap((e) => (e.type === 'job.progress' && e.jobId === jobId ? [e.progress.message] : []));
    expect(said.at(-1)).toBe('Cancelled; already done: containers.');
    expect(calls('POST', '/volumes/prune')).toEqual([]);
  });
});
