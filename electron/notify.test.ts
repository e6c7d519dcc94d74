import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../shared/api';
import { jobEndNotice } from './notify';

function job(overrides: Partial<JobInfo>): JobInfo {
  return {
    id: 'job-1',
    kind: 'pull',
    engineId: 'default',
    title: 'lab/big:1.0',
    state: 'done',
    progress: { fraction: 1, message: 'done', layers: [] },
    error: null,
    result: {},
    startedAt: '2026-11-25T10:00:00.000Z',
    endedAt: '2026-11-25T10:00:30.000Z',
    ...overrides,
  };
}

describe('jobEndNotice', () => {
  it('tells about a long job that finished while the window was in the background', () => {
    expect(jobEndNotice(job({}), false)).toEqual({ title: 'Pull finished', body: 'lab/big:1.0' });
  });

  it('names the failure with its reason', () => {
    const failed = job({
      kind: 'build',
      title: 't/app:1',
      state: 'failed',
      error: { code: 'engine_error', message: 'step 2/3 failed' },
    });
    expect(jobEndNotice(failed, false)).toEqual({ title: 'Build failed', body: 't/app:1: step 2/3 failed' });
  });

  it('stays quiet when the window is focused, the job was short, cancelled, or still running', () => {
    expect(jobEndNotice(job({}), true)).toBeUndefined();
    expect(jobEndNotice(job({ endedAt: '2026-11-25T10:00:05.000Z' }), false)).toBeUndefined();
    expect(jobEndNotice(job({ state: 'cancelled' }), false)).toBeUndefined();
    expect(jobEndNotice(job({ state: 'running', endedAt: null }), false)).toBeUndefined();
  });
});
