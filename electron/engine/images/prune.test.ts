import { describe, expect, it } from 'vitest';
import type { JobInfo, PruneResult, StrataEvent } from '../../../shared/api';
import type { EngineClient, EngineRequest } from '../core/client';
import type { EngineContext } from '../host/context';
import { chainIdsOf } from './history';
import { JobManager } from '../host/jobs';
import { createdMs, imageFactsOf, pruneHandlers } from './prune';

const id = (c: string): string => `sha256:${c.repeat(64)}`;

/** Recorded shapes of GET /images/{id}/json and /history (Engine 20.10), trimmed to what is read. */
const DANGLING_INSPECT = {
  Id: id('d'),
  Created: '2026-11-25T01:14:40.123456789Z',
  Config: { Labels: { 'strata-test': 'x' } },
  RootFS: { Type: 'layers', Layers: [id('1'), id('2')] },
};
const DANGLING_HISTORY = [
  { Id: id('d'), Created: 1, CreatedBy: '/bin/sh -c head -c 20000 /dev/urandom > /d.bin', Size: 20480, Tags: null },
  { Id: '<missing>', Created: 0, CreatedBy: '/bin/sh -c #(nop)  LABEL strata-test=x', Size: 0, Tags: null },
  { Id: '<missing>', Created: 0, CreatedBy: '', Size: 1_000_000, Tags: ['lab/base:latest'], Comment: 'Imported' },
];

describe('imageFactsOf', () => {
  it('reads created time to the sub-millisecond, labels, and each layer with its diff size', () => {
    const facts = imageFactsOf(DANGLING_INSPECT, DANGLING_HISTORY);
    expect(facts.created).toBeCloseTo(Date.UTC(2026, 10, 25, 1, 14, 40) + 123.456789, 5);
    expect(facts.labels).toEqual({ 'strata-test': 'x' });
    const chains = chainIdsOf([id('1'), id('2')]);
    expect(facts.layers).toEqual([
      { chainId: chains[0], size: 1_000_000 },
      { chainId: chains[1], size: 20480 },
    ]);
  });

  it('an image without a config has no labels to filter on', () => {
    expect(imageFactsOf({ ...DANGLING_INSPECT, Config: null }, DANGLING_HISTORY).labels).toBeNull();
    expect(createdMs('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
  });
});

/** A context whose engine answers from recorded responses; POST /images/prune answers from `prune`. */
function fakeContext(prune: (attempt: number) => { status: number; body: string }) {
  const events: StrataEvent[] = [];
  const jobs = new JobManager({ engineId: 'default', emit: (e) => events.push(e), progressIntervalMs: 0 });
  const posts: EngineRequest[] = [];
  const answers: Record<string, unknown> = {
    '/images/json': [
      { Id: id('d'), ParentId: '', RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'], Size: 1_020_480 },
      { Id: id('b'), ParentId: '', RepoTags: ['lab/base:latest'], RepoDigests: [], Size: 1_000_000 },
    ],
    '/containers/json': [],
    [`/images/${id('d')}/json`]: DANGLING_INSPECT,
    [`/images/${id('d')}/history`]: DANGLING_HISTORY,
    [`/images/${id('b')}/json`]: { ...DANGLING_INSPECT, Id: id('b'), RootFS: { Layers: [id('1')] } },
    [`/images/${id('b')}/history`]: DANGLING_HISTORY.slice(2),
  };
  const client = {
    json: (req: EngineRequest) => {
      posts.push(req);
      const answer = prune(posts.length);
      return Promise.resolve({ ...answer, value: JSON.parse(answer.body) as unknown });
    },
  } as unknown as EngineClient;
  const ctx = {
    engineId: 'default',
    requestTimeoutMs: 1000,
    jobs,
    engine: () => client,
    getJson: (path: string) => Promise.resolve(answers[path]),
  } as unknown as EngineContext;
  return { handlers: pruneHandlers(ctx), jobs, events, posts };
}

const REPORT = JSON.stringify({
  ImagesDeleted: [{ Deleted: id('d') }, { Deleted: chainIdsOf([id('1'), id('2')])[1] }],
  SpaceReclaimed: 20480,
});

describe('images.prune', () => {
  it('previews, prunes with the engine filters, and finds no difference when the engine agrees', async () => {
    const { handlers, jobs, posts } = fakeContext(() => ({ status: 200, body: REPORT }));
    const plan = await handlers['images.prunePreview']({ mode: 'dangling', labels: ['strata-test=x'] });
    expect(plan.remove).toEqual([{ imageId: id('d'), references: [], size: 1_020_480, deleted: true }]);
    expect(plan.reclaimBytes).toBe(20480);

    const { jobId } = await handlers['images.prune']({ mode: 'dangling', labels: ['strata-test=x'] });
    const job: JobInfo = await jobs.settled(jobId);
    expect(job.state).toBe('done');
    expect((job.result as PruneResult).differences).toEqual([]);
    expect(posts[0]).toMatchObject({
      method: 'POST',
      path: '/images/prune',
      query: { filters: JSON.stringify({ dangling: ['true'], label: ['strata-test=x'] }) },
    });
  });

  it('waits and retries when another client is pruning (409), saying so', async () => {
    const { handlers, jobs, events } = fakeContext((attempt) =>
      attempt === 1
        ? { status: 409, body: JSON.stringify({ message: 'a prune operation is already running' }) }
        : { status: 200, body: REPORT },
    );
    const { jobId } = await handlers['images.prune']({ mode: 'dangling' });
    const job = await jobs.settled(jobId);
    expect(job.state).toBe('done');
    const messages = events.flatMap((e) =>
      e.type === 'job.progress' && e.jobId === jobId ? [e.progress.message] : [],
    );
    expect(messages.some((m) => m.startsWith('Another prune is running on this engine'))).toBe(true);
  });

  it('flags a difference when the engine reclaims other bytes than the preview', async () => {
    const report = JSON.stringify({ ImagesDeleted: [{ Deleted: id('d') }], SpaceReclaimed: 5 });
    const { handlers, jobs } = fakeContext(() => ({ status: 200, body: report }));
    const { jobId } = await handlers['images.prune']({ mode: 'dangling' });
    const result = (await jobs.settled(jobId)).result as PruneResult;
    expect(result.differences).toContain('The engine freed 0 layer(s); the preview expected 1.');
    expect(result.differences).toContain('The engine reclaimed 5 bytes; the preview expected 20480.');
  });

  it('a prune cancelled while waiting for an earlier one never reaches the engine', async () => {
    const { handlers, jobs, posts } = fakeContext(() => ({ status: 200, body: REPORT }));
    const first = await handlers['images.prune']({ mode: 'dangling' });
    const second = await handlers['images.prune']({ mode: 'all' });
    expect(jobs.cancel(second.jobId)).toBe(true);
    const [a, b] = await Promise.all([jobs.settled(first.jobId), jobs.settled(second.jobId)]);
    expect(a.state).toBe('done');
    expect(b.state).toBe('cancelled');
    expect(posts.map((p) => p.query?.['filters'])).toEqual([JSON.stringify({ dangling: ['true'] })]);
  });
});
