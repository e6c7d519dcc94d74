import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_STEP_LINES,
  endBuildLog,
  initialBuildLog,
  reduceBuildLog,
  toBuildProgress,
  type BuildLogState,
} from './log';

function replay(file: string): BuildLogState {
  const text = readFileSync(join(__dirname, '../../../test/fixtures/engine', file), 'utf8');
  let state = initialBuildLog;
  for (const line of text.split('\n')) {
    if (line.trim() !== '') state = reduceBuildLog(state, JSON.parse(line) as unknown);
  }
  return endBuildLog(state);
}

describe('build log reducer', () => {
  it('turns a successful build into done steps with their output and the full image ID', () => {
    const state = replay('build-ok.ndjson');
    expect(state.steps.map((s) => [s.number, s.total, s.instruction, s.state])).toEqual([
      [1, 3, 'FROM lab/base:latest', 'done'],
      [2, 3, 'ARG GREETING=none', 'done'],
      [3, 3, 'RUN echo built-with-$GREETING', 'done'],
    ]);
    expect(state.steps[2]?.lines).toContain('built-with-hello');
    expect(state.imageId).toBe('sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
    expect(state.tagged).toEqual(['t-build/app:1']);
    expect(state.error).toBeUndefined();
    const progress = toBuildProgress(state);
    expect(progress.fraction).toBe(1);
    expect(progress.build?.failedStep).toBeNull();
  });

  it('marks the running step failed on an error line and keeps the error in its lines', () => {
    const state = replay('build-fail.ndjson');
    expect(state.steps.map((s) => s.state)).toEqual(['done', 'done', 'failed']);
    expect(state.failedStep).toBe(2);
    expect(state.error?.code).toBe(3);
    expect(state.error?.message).toMatch(/returned a non-zero code: 3/);
    expect(state.steps[2]?.lines).toContain('about-to-fail');
    expect(state.steps[2]?.lines.at(-1)).toMatch(/non-zero code: 3/);
    const progress = toBuildProgress(state);
    expect(progress.message).toMatch(/^Step 3\/4 failed: /);
    expect(progress.build?.failedStep).toBe(2);
  });

  it('reports the running step as the message and a fraction of finished steps', () => {
    let state = reduceBuildLog(initialBuildLog, { stream: 'Step 1/4 : FROM x\n' });
    state = reduceBuildLog(state, { stream: 'Step 2/4 : RUN make\n' });
    const progress = toBuildProgress(state, { current: 10, total: 10 });
    expect(progress.message).toBe('Step 2/4: RUN make');
    expect(progress.fraction).toBe(0.25);
    expect(progress.bytes).toEqual({ current: 10, total: 10 });
    expect(state.steps[1]?.state).toBe('running');
  });

  it('joins text split across stream values and splits several lines in one value', () => {
    let state = reduceBuildLog(initialBuildLog, { stream: 'Step 1/1 : RUN x\n' });
    state = reduceBuildLog(state, { stream: 'hel' });
    state = reduceBuildLog(state, { stream: 'lo\nworld\nlast' });
    state = endBuildLog(state);
    expect(state.steps[0]?.lines).toEqual(['hello', 'world', 'last']);
  });

  it('keeps only the last lines of a chatty step and counts the dropped ones', () => {
    let state = reduceBuildLog(initialBuildLog, { stream: 'Step 1/1 : RUN seq 1 1000\n' });
    for (let i = 1; i <= MAX_STEP_LINES + 20; i += 1) state = reduceBuildLog(state, { stream: `${i}\n` });
    const step = state.steps[0];
    expect(step?.lines).toHaveLength(MAX_STEP_LINES);
    expect(step?.droppedLines).toBe(20);
    expect(step?.lines[0]).toBe('21');
  });

  it('an error before any step has no failed step but is reported', () => {
    const state = reduceBuildLog(initialBuildLog, {
      errorDetail: { message: 'Cannot locate specified Dockerfile: Dockerfile' },
      error: 'Cannot locate specified Dockerfile: Dockerfile',
    });
    expect(state.failedStep).toBeNull();
    expect(toBuildProgress(state).message).toBe('Build failed: Cannot locate specified Dockerfile: Dockerfile');
  });

  it('takes the short ID from "Successfully built" when there is no aux line', () => {
    let state = reduceBuildLog(initialBuildLog, { stream: 'Step 1/1 : FROM x\n' });
    state = reduceBuildLog(state, { stream: 'Successfully built 0123456789ab\n' });
    expect(state.imageId).toBe('0123456789ab');
    expect(state.steps[0]?.state).toBe('done');
  });
});
