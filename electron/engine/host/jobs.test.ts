import { describe, expect, it, vi } from 'vitest';
import type { JobProgress, StrataEvent } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { JobManager } from './jobs';

const step = (fraction: number): JobProgress => ({ fraction, message: `at ${fraction}`, layers: [] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function manager(events: StrataEvent[], progressIntervalMs = 100): JobManager {
  return new JobManager({ engineId: 'default', emit: (e) => events.push(e), progressIntervalMs });
}

describe('JobManager', () => {
  it('answers an id at once and ends with the result', async () => {
    const events: StrataEvent[] = [];
    const jobs = manager(events);
    const id = jobs.start('pull', 'lab/app:1.0', () => Promise.resolve({ imageId: 'sha256:1' }));
    expect(jobs.get(id)?.state).toBe('running');
    const info = await jobs.settled(id);
    expect(info).toMatchObject({ state: 'done', result: { imageId: 'sha256:1' }, error: null, title: 'lab/app:1.0' });
    expect(info.progress.fraction).toBe(1);
    expect(info.endedAt).not.toBeNull();
    expect(events.at(-1)).toEqual({ type: 'job.end', job: info });
  });

  it('throttles progress to at most one event per interval, and sends the latest before the end', async () => {
    // Fake clocks: the count must not depend on how busy the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const events: StrataEvent[] = [];
      const jobs = manager(events, 100);
      const id = jobs.start('pull', 'x', async ({ progress }) => {
        for (let i = 1; i <= 50; i++) {
          progress(step(i / 100));
          await sleep(10);
        }
        return {};
      });
      await vi.advanceTimersByTimeAsync(600);
      await jobs.settled(id);
      const progress = events.filter((e) => e.type === 'job.progress');
      // 500 ms of updates every 10 ms, at most one event per 100 ms: about 5-7 events, never 50.
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(progress.length).toBeLessThanOrEqual(8);
      const last = progress.at(-1);
      expect(last?.type === 'job.progress' ? last.progress.fraction : null).toBe(0.5);
      expect(events.at(-1)?.type).toBe('job.end');
    } finally {
      vi.useRealTimers();
    }
  });

  it('cancels through the AbortSignal, once', async () => {
    const events: StrataEvent[] = [];
    const jobs = manager(events);
    let sawAbort = false;
    const id = jobs.start(
      'pull',
      'lab/big:1.0',
      ({ signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          });
        }),
    );
    await sleep(5);
    expect(jobs.cancel(id)).toBe(true);
    const info = await jobs.settled(id);
    expect(sawAbort).toBe(true);
    expect(info.state).toBe('cancelled');
    expect(info.error).toEqual({ code: 'cancelled', message: 'Cancelled: lab/big:1.0.' });
    expect(jobs.cancel(id)).toBe(false);
    expect(() => jobs.cancel('nope')).toThrow(/no job "nope"/);
  });

  it('keeps what a cancelled runner says it had already done', async () => {
    const events: StrataEvent[] = [];
    const jobs = manager(events);
    const id = jobs.start(
      'cleanup',
      'Clean up',
      ({ signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reject(new StrataError('cancelled', 'The cleanup was cancelled; already done: containers.'));
          });
        }),
    );
    await sleep(5);
    jobs.cancel(id);
    const info = await jobs.settled(id);
    expect(info.state).toBe('cancelled');
    expect(info.error?.message).toBe('The cleanup was cancelled; already done: containers.');
  });

  it('a failing job keeps its error shape; finished jobs stay listed', async () => {
    const jobs = manager([]);
    const id = jobs.start('pull', 'x', () =>
      Promise.reject(new StrataError('registry_stalled', 'registry stalled: ...')),
    );
    const info = await jobs.settled(id);
    expect(info.state).toBe('failed');
    expect(info.error).toEqual({ code: 'registry_stalled', message: 'registry stalled: ...' });
    expect(jobs.list().map((j) => j.id)).toContain(id);
  });

  it('close cancels running jobs and waits for them', async () => {
    const jobs = manager([]);
    const id = jobs.start(
      'pull',
      'x',
      ({ signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    );
    await sleep(5);
    await jobs.close();
    expect(jobs.get(id)?.state).toBe('cancelled');
  });
});

describe('JobManager logging', () => {
  it('logs a failed job with its kind, title and error, and a cancelled one, but not a done one', async () => {
    const { createMemoryLogger } = await import('./logger');
    const log = createMemoryLogger();
    const jobs = new JobManager({ engineId: 'default', emit: () => undefined, log });
    await jobs.settled(jobs.start('pull', 'ok:1', () => Promise.resolve({})));
    await jobs.settled(
      jobs.start('pull', 'lab/app:1.0', () => Promise.reject(new StrataError('engine_error', 'manifest unknown'))),
    );
    const slow = jobs.start(
      'push',
      'lab/slow:1',
      ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    await sleep(5);
    jobs.cancel(slow);
    await jobs.settled(slow);
    expect(log.records.map((r) => [r.level, r.msg, r.fields['kind'], r.fields['title'], r.fields['code']])).toEqual([
      ['warn', 'job failed', 'pull', 'lab/app:1.0', 'engine_error'],
      ['info', 'job cancelled', 'push', 'lab/slow:1', 'cancelled'],
    ]);
  });
});
