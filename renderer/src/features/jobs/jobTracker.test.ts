import { describe, expect, it } from 'vitest';
import type { JobInfo, JobProgress } from '../../../../shared/api';
import { jobRows } from './jobRows';
import { layerPercent, trackJobs, undescribedJobIds, type JobsById } from './jobTracker';

const progress = (fraction: number | null): JobProgress => ({ fraction, message: 'Downloading', layers: [] });
const job = (state: JobInfo['state'], fraction: number | null): JobInfo => ({
  id: 'j1',
  kind: 'pull',
  engineId: 'default',
  title: 'lab/remote:1.0',
  state,
  progress: progress(fraction),
  error: state === 'failed' ? { code: 'registry_stalled', message: 'stalled' } : null,
  result: state === 'done' ? { imageId: 'sha256:1', reference: 'lab/remote:1.0' } : null,
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: state === 'running' ? null : '2026-01-01T00:00:09Z',
});

describe('trackJobs', () => {
  it('follows progress events and ends with job.end', () => {
    let s: JobsById = {};
    s = trackJobs(s, { type: 'event', event: { type: 'job.progress', jobId: 'j1', progress: progress(0.25) } });
    expect(s['j1']).toMatchObject({ state: 'running', progress: { fraction: 0.25 } });
    s = trackJobs(s, { type: 'event', event: { type: 'job.end', job: job('done', 1) } });
    expect(s['j1']).toMatchObject({ state: 'done', title: 'lab/remote:1.0' });
    // A late progress event does not bring an ended job back to life.
    s = trackJobs(s, { type: 'event', event: { type: 'job.progress', jobId: 'j1', progress: progress(0.5) } });
    expect(s['j1']?.state).toBe('done');
  });

  it('catches up from a jobs.list snapshot without overriding what events already told', () => {
    let s = trackJobs({}, { type: 'snapshot', jobs: [job('running', 0.1)] });
    expect(s['j1']).toMatchObject({ state: 'running', title: 'lab/remote:1.0', progress: { fraction: 0.1 } });
    s = trackJobs({}, { type: 'event', event: { type: 'job.end', job: job('failed', null) } });
    s = trackJobs(s, { type: 'snapshot', jobs: [job('running', 0.1)] });
    expect(s['j1']?.state).toBe('failed');
    s = trackJobs({}, { type: 'snapshot', jobs: [job('cancelled', 0.3)] });
    expect(s['j1']?.end?.state).toBe('cancelled');
  });
});

describe('what a job is', () => {
  it('is learnt from a snapshot after live progress, keeping the newer live progress', () => {
    let s = trackJobs({}, { type: 'event', event: { type: 'job.progress', jobId: 'j1', progress: progress(0.6) } });
    expect(undescribedJobIds(s)).toEqual(['j1']);
    expect(jobRows(s)).toMatchObject([
      { id: 'j1', kind: undefined, title: '', state: 'running', startedAt: undefined },
    ]);
    s = trackJobs(s, { type: 'snapshot', jobs: [job('running', 0.1)] });
    expect(undescribedJobIds(s)).toEqual([]);
    expect(s['j1']).toMatchObject({ title: 'lab/remote:1.0', progress: { fraction: 0.6 } });
    expect(jobRows(s)).toMatchObject([
      { id: 'j1', kind: 'pull', engineId: 'default', title: 'lab/remote:1.0', progress: { fraction: 0.6 } },
    ]);
    // A later snapshot changes nothing.
    expect(trackJobs(s, { type: 'snapshot', jobs: [job('running', 0.2)] })).toBe(s);
  });

  it('rows: the end record wins, newest first, a job without a known start first', () => {
    let s = trackJobs(
      {},
      {
        type: 'snapshot',
        jobs: [job('done', 1), { ...job('running', 0.3), id: 'j2', startedAt: '2026-01-02T00:00:00Z' }],
      },
    );
    s = trackJobs(s, { type: 'event', event: { type: 'job.progress', jobId: 'j3', progress: progress(0.1) } });
    expect(jobRows(s).map((row) => [row.id, row.state])).toEqual([
      ['j3', 'running'],
      ['j2', 'running'],
      ['j1', 'done'],
    ]);
    expect(jobRows(s)[2]).toMatchObject({ result: { reference: 'lab/remote:1.0' }, endedAt: '2026-01-01T00:00:09Z' });
  });
});

describe('layerPercent', () => {
  it('is known from bytes, full when done, unknown otherwise', () => {
    expect(layerPercent({ current: 25, total: 100, done: false })).toBe(25);
    expect(layerPercent({ current: 0, total: 0, done: true })).toBe(100);
    expect(layerPercent({ current: 0, total: 0, done: false })).toBeUndefined();
  });
});
