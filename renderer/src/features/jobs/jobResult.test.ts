import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../../shared/api';
import { jobResult } from './jobResult';
import type { TrackedJob } from './jobTracker';

const ID = `sha256:${'e'.repeat(64)}`;

function info(partial: Partial<JobInfo>): JobInfo {
  return {
    id: 'job-1',
    kind: 'pull',
    engineId: 'default',
    title: 'alpine:3.19',
    state: 'done',
    progress: { fraction: 1, message: '', layers: [] },
    error: null,
    result: { imageId: ID, reference: 'alpine:3.19' },
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: '2026-01-01T00:00:05Z',
    ...partial,
  };
}

function tracked(end: JobInfo | undefined): TrackedJob {
  return { jobId: 'job-1', state: end?.state ?? 'running', progress: undefined, end, title: undefined, info: end };
}

describe('jobResult', () => {
  it("answers a done job's result, typed by its kind", () => {
    const pulled = jobResult(info({}), 'pull');
    expect(pulled?.imageId).toBe(ID);
    expect(pulled?.reference).toBe('alpine:3.19');

    const built = jobResult(info({ kind: 'build', result: { imageId: ID, tags: ['app:1', 'app:latest'] } }), 'build');
    expect(built?.tags).toEqual(['app:1', 'app:latest']);

    const saved = jobResult(
      info({ kind: 'save', result: { path: null, downloadId: 'd-1', fileName: 'a.tar', bytes: 2048 } }),
      'save',
    );
    expect(saved).toEqual({ path: null, downloadId: 'd-1', fileName: 'a.tar', bytes: 2048 });
  });

  it('reads a tracked job from its end record', () => {
    expect(jobResult(tracked(info({})), 'pull')?.imageId).toBe(ID);
    expect(jobResult(tracked(undefined), 'pull')).toBeUndefined();
    expect(jobResult(undefined, 'pull')).toBeUndefined();
  });

  it('a wrong-shaped result gives undefined, not a crash', () => {
    expect(jobResult(info({ result: { imageId: 42, reference: 'alpine' } }), 'pull')).toBeUndefined();
    expect(jobResult(info({ result: {} }), 'pull')).toBeUndefined();
    expect(jobResult(info({ kind: 'load', result: { loaded: 'alpine:3.19' } }), 'load')).toBeUndefined();
    expect(jobResult(info({ kind: 'load', result: { loaded: ['a', 7] } }), 'load')).toBeUndefined();
    expect(jobResult(info({ kind: 'save', result: { fileName: 'a.tar', bytes: '2 kB' } }), 'save')).toBeUndefined();
    expect(jobResult(tracked(info({ kind: 'push', result: { reference: null } })), 'push')).toBeUndefined();
  });

  it('answers nothing for a job not done, of another kind, of an unknown kind, or without a result', () => {
    expect(jobResult(info({ state: 'running' }), 'pull')).toBeUndefined();
    expect(jobResult(info({ state: 'failed' }), 'pull')).toBeUndefined();
    expect(jobResult(info({ state: 'cancelled' }), 'pull')).toBeUndefined();
    // A pull's result has the shape of an import's, but it is not one.
    expect(jobResult(info({}), 'import')).toBeUndefined();
    expect(jobResult({ kind: undefined, state: 'done', result: { imageId: ID, reference: 'a' } }, 'pull')).toBe(
      undefined,
    );
    expect(jobResult(info({ result: null }), 'pull')).toBeUndefined();
  });
});
