import { describe, expect, it } from 'vitest';
import type { JobInfo, JobProgress } from '../../../../shared/api';
import { createFakeBridge } from '../../testing/fakeBridge';
import { createJobStore } from './jobStore';

const progress = (fraction: number): JobProgress => ({ fraction, message: 'Downloading', layers: [] });
const info = (id: string, state: JobInfo['state'] = 'running'): JobInfo => ({
  id,
  kind: 'pull',
  engineId: 'default',
  title: `lab/${id}:1.0`,
  state,
  progress: progress(0.1),
  error: null,
  result: state === 'done' ? { imageId: 'sha256:1', reference: `lab/${id}:1.0` } : null,
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: state === 'running' ? null : '2026-01-01T00:00:09Z',
});

/** A store on a fake bridge whose jobs.list answers `listed`; deferred disconnects run when `flush` is called. */
function setup(listed: () => readonly JobInfo[] = () => []) {
  const fake = createFakeBridge({ 'jobs.list': () => ({ ok: true, value: [...listed()] }) });
  const deferred: (() => void)[] = [];
  const store = createJobStore(fake.bridge, (run) => deferred.push(run));
  const flush = (): void => {
    for (const run of deferred.splice(0)) run();
  };
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
  return { fake, store, flush, settle };
}

describe('createJobStore', () => {
  it('listens to the events once however many follow it, and takes one snapshot per connection', async () => {
    const { fake, store, flush, settle } = setup(() => [info('j1')]);
    let changes = 0;
    const stopA = store.subscribe(() => (changes += 1));
    const stopB = store.subscribe(() => undefined);
    expect(fake.listenerCount()).toBe(1);
    store.load();
    store.load();
    await settle();
    expect(fake.callsOf('jobs.list')).toHaveLength(1);
    expect(store.getJobs()['j1']).toMatchObject({ state: 'running', title: 'lab/j1:1.0' });
    expect(changes).toBe(1);

    // A remount (the last listener leaves and one comes back before the deferred disconnect) keeps the connection.
    stopA();
    stopB();
    const stopC = store.subscribe(() => undefined);
    flush();
    expect(fake.listenerCount()).toBe(1);
    store.load();
    await settle();
    expect(fake.callsOf('jobs.list')).toHaveLength(1);

    // Gone for good: disconnected; events may be missed, so the next connection takes a new snapshot.
    stopC();
    flush();
    expect(fake.listenerCount()).toBe(0);
    store.subscribe(() => undefined);
    store.load();
    await settle();
    expect(fake.callsOf('jobs.list')).toHaveLength(2);
  });

  it('follows progress and end events by job id, ignoring other events', () => {
    const { fake, store } = setup();
    store.subscribe(() => undefined);
    fake.emit({ type: 'job.progress', jobId: 'j1', progress: progress(0.5) });
    fake.emit({ type: 'watch.end', watchId: 'w1', error: null });
    expect(store.getJobs()['j1']).toMatchObject({ state: 'running', progress: { fraction: 0.5 }, info: undefined });
    const before = store.getJobs();
    fake.emit({ type: 'watch.end', watchId: 'w1', error: null });
    expect(store.getJobs()).toBe(before);
    fake.emit({ type: 'job.end', job: info('j1', 'done') });
    expect(store.getJobs()['j1']).toMatchObject({ state: 'done', end: { result: { reference: 'lab/j1:1.0' } } });
    expect(fake.callsOf('jobs.list')).toHaveLength(0);
  });

  it('asks jobs.list about a job seen only from progress once, keeping the live progress', async () => {
    let listed: readonly JobInfo[] = [];
    const { fake, store, settle } = setup(() => listed);
    store.subscribe(() => undefined);
    store.load();
    store.describeUnknown(); // nothing unknown yet
    await settle();
    expect(fake.callsOf('jobs.list')).toHaveLength(1);

    listed = [info('j2')];
    fake.emit({ type: 'job.progress', jobId: 'j2', progress: progress(0.7) });
    store.describeUnknown();
    store.describeUnknown(); // asked already: the answer is on its way
    await settle();
    expect(fake.callsOf('jobs.list')).toHaveLength(2);
    expect(store.getJobs()['j2']).toMatchObject({
      state: 'running',
      title: 'lab/j2:1.0',
      progress: { fraction: 0.7 },
      info: { kind: 'pull', engineId: 'default' },
    });

    // A job jobs.list does not know (it ended on an engine since removed) is not asked about again.
    fake.emit({ type: 'job.progress', jobId: 'gone', progress: progress(0.1) });
    store.describeUnknown();
    await settle();
    store.describeUnknown();
    await settle();
    expect(fake.callsOf('jobs.list')).toHaveLength(3);
  });

  it('a job first seen while a snapshot is on its way is asked about once that answer lands', async () => {
    let listed: readonly JobInfo[] = [];
    const { fake, store, settle } = setup(() => listed);
    store.subscribe(() => undefined);
    store.load();
    fake.emit({ type: 'job.progress', jobId: 'j3', progress: progress(0.2) });
    listed = [info('j3')];
    store.describeUnknown();
    await settle();
    await settle();
    expect(fake.callsOf('jobs.list')).toHaveLength(2);
    expect(store.getJobs()['j3']?.info?.kind).toBe('pull');
  });
});
