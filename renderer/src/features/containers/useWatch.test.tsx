// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { Outcome } from '../../../../shared/api';
import { Providers, createQueryClient } from '../../app/Providers';
import { createFakeBridge, type FakeBridge } from '../../testing/fakeBridge';
import { useWatch, WATCH_RENEW_MS, type WatchEvent } from './useWatch';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const SAMPLE = {
  time: 1,
  cpuPercent: 2,
  memoryUsed: 3,
  memoryLimit: 4,
  networkRx: 0,
  networkTx: 0,
  blockRead: 0,
  blockWrite: 0,
  pids: 1,
};

function wrapperFor(fake: FakeBridge) {
  const queryClient = createQueryClient();
  return ({ children }: { readonly children: ReactNode }) => (
    <Providers bridge={fake.bridge} queryClient={queryClient}>
      {children}
    </Providers>
  );
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(alive: (ids: readonly string[]) => string[] = (ids) => [...ids]) {
  const fake = createFakeBridge({
    'watches.renew': (args) => ({ ok: true, value: { alive: alive(args.watchIds) } }),
    'watches.stop': () => ({ ok: true, value: { stopped: true } }),
  });
  const events: WatchEvent[] = [];
  return { fake, events };
}

describe('useWatch', () => {
  it('hands on only its own events, including those that came before the start call answered', async () => {
    const { fake, events } = setup();
    const started = deferred<Outcome<{ watchId: string }>>();
    const { result } = renderHook(
      () =>
        useWatch(
          () => started.promise,
          'a',
          (e) => events.push(e),
        ),
      {
        wrapper: wrapperFor(fake),
      },
    );
    expect(result.current.state.status).toBe('starting');
    // The service may push before the renderer hears the ID.
    act(() => fake.emit({ type: 'watch.stats', watchId: 'w1', sample: SAMPLE }));
    act(() => fake.emit({ type: 'watch.stats', watchId: 'other', sample: SAMPLE }));
    await act(async () => {
      started.resolve({ ok: true, value: { watchId: 'w1' } });
      await Promise.resolve();
    });
    expect(result.current.state).toEqual({ status: 'running', watchId: 'w1' });
    expect(events).toHaveLength(1);
    act(() => fake.emit({ type: 'watch.logs', watchId: 'w1', lines: [], dropped: 0 }));
    act(() => fake.emit({ type: 'watch.logs', watchId: 'other', lines: [], dropped: 0 }));
    expect(events.map((e) => e.type)).toEqual(['watch.stats', 'watch.logs']);
  });

  it('reports the end, and then neither renews nor stops it', async () => {
    vi.useFakeTimers();
    const { fake, events } = setup();
    const { result } = renderHook(
      () =>
        useWatch(
          () => Promise.resolve({ ok: true, value: { watchId: 'w1' } }),
          'a',
          (e) => events.push(e),
        ),
      { wrapper: wrapperFor(fake) },
    );
    await act(async () => Promise.resolve());
    act(() => fake.emit({ type: 'watch.end', watchId: 'w1', error: null }));
    expect(result.current.state).toEqual({ status: 'ended', error: null });
    act(() => fake.emit({ type: 'watch.stats', watchId: 'w1', sample: SAMPLE }));
    expect(events).toHaveLength(0);
    await act(async () => vi.advanceTimersByTimeAsync(WATCH_RENEW_MS * 2));
    expect(fake.callsOf('watches.renew')).toHaveLength(0);
    cleanup();
    expect(fake.callsOf('watches.stop')).toHaveLength(0);
    expect(fake.listenerCount()).toBe(0);
  });

  it('renews every 10 s, and stops the watch on unmount', async () => {
    vi.useFakeTimers();
    const { fake } = setup();
    const { unmount } = renderHook(
      () =>
        useWatch(
          () => Promise.resolve({ ok: true, value: { watchId: 'w1' } }),
          'a',
          () => undefined,
        ),
      { wrapper: wrapperFor(fake) },
    );
    await act(async () => Promise.resolve());
    await act(async () => vi.advanceTimersByTimeAsync(WATCH_RENEW_MS * 2 + 100));
    expect(fake.callsOf('watches.renew')).toEqual([{ watchIds: ['w1'] }, { watchIds: ['w1'] }]);
    unmount();
    expect(fake.callsOf('watches.stop')).toEqual([{ watchId: 'w1' }]);
    expect(fake.listenerCount()).toBe(0);
  });

  it('counts a watch the service no longer knows as ended', async () => {
    vi.useFakeTimers();
    const { fake } = setup(() => []);
    const { result } = renderHook(
      () =>
        useWatch(
          () => Promise.resolve({ ok: true, value: { watchId: 'w1' } }),
          'a',
          () => undefined,
        ),
      { wrapper: wrapperFor(fake) },
    );
    await act(async () => Promise.resolve());
    await act(async () => vi.advanceTimersByTimeAsync(WATCH_RENEW_MS + 10));
    expect(result.current.state).toEqual({ status: 'ended', error: null });
  });

  it('stops the old watch and starts a new one when the key changes, and on restart', async () => {
    const { fake } = setup();
    let n = 0;
    const { result, rerender } = renderHook(
      ({ key }: { key: string }) =>
        useWatch(
          () => Promise.resolve({ ok: true, value: { watchId: `w${++n}` } }),
          key,
          () => undefined,
        ),
      { wrapper: wrapperFor(fake), initialProps: { key: 'a' } },
    );
    await act(async () => Promise.resolve());
    expect(result.current.state).toEqual({ status: 'running', watchId: 'w1' });
    rerender({ key: 'b' });
    await act(async () => Promise.resolve());
    expect(fake.callsOf('watches.stop')).toEqual([{ watchId: 'w1' }]);
    expect(result.current.state).toEqual({ status: 'running', watchId: 'w2' });
    act(() => result.current.restart());
    await act(async () => Promise.resolve());
    expect(fake.callsOf('watches.stop')).toEqual([{ watchId: 'w1' }, { watchId: 'w2' }]);
    expect(result.current.state).toEqual({ status: 'running', watchId: 'w3' });
  });

  it('stops a watch whose start answered after unmount', async () => {
    const { fake } = setup();
    const started = deferred<Outcome<{ watchId: string }>>();
    const { unmount } = renderHook(
      () =>
        useWatch(
          () => started.promise,
          'a',
          () => undefined,
        ),
      {
        wrapper: wrapperFor(fake),
      },
    );
    unmount();
    await act(async () => {
      started.resolve({ ok: true, value: { watchId: 'late' } });
      await Promise.resolve();
    });
    expect(fake.callsOf('watches.stop')).toEqual([{ watchId: 'late' }]);
  });

  it('shows a refused start as ended with its error', async () => {
    const { fake } = setup();
    const { result } = renderHook(
      () =>
        useWatch(
          () => Promise.resolve({ ok: false, error: { code: 'not_found', message: 'No such container: x' } }),
          'a',
          () => undefined,
        ),
      { wrapper: wrapperFor(fake) },
    );
    await act(async () => Promise.resolve());
    expect(result.current.state).toEqual({
      status: 'ended',
      error: { code: 'not_found', message: 'No such container: x' },
    });
  });

  it('starts nothing without a start function', () => {
    const { fake } = setup();
    const { result } = renderHook(() => useWatch(undefined, 'a', () => undefined), { wrapper: wrapperFor(fake) });
    expect(result.current.state).toEqual({ status: 'idle' });
    expect(fake.listenerCount()).toBe(0);
  });
});
