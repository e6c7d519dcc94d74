// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { usePreviewThenRun, type CheckedArgs, type PreviewJobRunner } from './usePreviewThenRun';

afterEach(cleanup);

function fakeRunner(): PreviewJobRunner & { readonly log: string[] } {
  const log: string[] = [];
  return {
    log,
    starting: false,
    start: async (begin) => {
      log.push(`start ${(await begin()) ?? ''}`);
    },
    forget: () => log.push('forget'),
    clearErrors: () => log.push('clearErrors'),
  };
}

const ok = (n: number): CheckedArgs<number> => ({ ok: true, args: n });

describe('usePreviewThenRun', () => {
  it('runs the job only for the arguments of the preview on screen', async () => {
    const runner = fakeRunner();
    const previews: number[] = [];
    const started: number[] = [];
    const { result, rerender } = renderHook(
      ({ current }) =>
        usePreviewThenRun<number, string>({
          current,
          sameArgs: (a, b) => a === b,
          preview: (args) => {
            previews.push(args);
            return Promise.resolve(`plan ${args}`);
          },
          start: (args) => {
            started.push(args);
            return Promise.resolve(`job-${args}`);
          },
          runner,
        }),
      { initialProps: { current: ok(1) } },
    );
    expect(result.current.planIsCurrent).toBe(false);
    await act(() => result.current.runJob());
    expect(started).toEqual([]);

    await act(() => result.current.runPreview());
    expect(result.current.preview).toEqual({ plan: 'plan 1', args: 1 });
    expect(result.current.planIsCurrent).toBe(true);
    expect(runner.log).toEqual(['clearErrors', 'forget']);

    rerender({ current: ok(2) });
    expect(result.current.planIsCurrent).toBe(false);
    await act(() => result.current.runJob());
    expect(started).toEqual([]);

    rerender({ current: ok(1) });
    await act(() => result.current.runJob());
    expect(started).toEqual([1]);
    expect(runner.log).toContain('start job-1');
    expect(previews).toEqual([1]);
  });

  it('does not preview invalid arguments, and says why a preview failed', async () => {
    const runner = fakeRunner();
    let fail = true;
    const { result, rerender } = renderHook(
      ({ current }) =>
        usePreviewThenRun<number, string>({
          current,
          sameArgs: (a, b) => a === b,
          preview: () => (fail ? Promise.reject(new Error('engine down')) : Promise.resolve('plan')),
          start: () => Promise.resolve('job'),
          runner,
        }),
      { initialProps: { current: { ok: false, reason: 'bad' } as CheckedArgs<number> } },
    );
    await act(() => result.current.runPreview());
    expect(runner.log).toEqual([]);
    rerender({ current: ok(3) });
    await act(() => result.current.runPreview());
    expect(result.current.previewError).toBe('Could not compute the preview: engine down');
    expect(result.current.preview).toBeUndefined();
    expect(result.current.busy).toBe(false);
    fail = false;
    await act(() => result.current.runPreview());
    expect(result.current.previewError).toBeUndefined();
    expect(result.current.preview).toEqual({ plan: 'plan', args: 3 });
  });

  it('takes the arguments a plan echoes when told to', async () => {
    const { result } = renderHook(() =>
      usePreviewThenRun<number, { readonly args: number }>({
        current: ok(5),
        sameArgs: (a, b) => a === b,
        preview: () => Promise.resolve({ args: 6 }),
        start: () => Promise.resolve('job'),
        runner: fakeRunner(),
        argsOfPlan: (plan) => plan.args,
      }),
    );
    await act(() => result.current.runPreview());
    expect(result.current.preview?.args).toBe(6);
    expect(result.current.planIsCurrent).toBe(false);
  });
});
