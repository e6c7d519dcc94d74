// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, renderHook, screen, within } from '@testing-library/react';
import { StrataError } from '../../../shared/errors';
import { BatchResults } from './BatchResults';
import { useBatchAction } from './useBatchAction';

afterEach(cleanup);

interface Item {
  readonly key: string;
  readonly ok: boolean;
}

describe('useBatchAction', () => {
  it('keeps the results of the first run and replaces only the rerun ones, in place', async () => {
    const calls: (readonly string[])[] = [];
    let settled = 0;
    const { result } = renderHook(() =>
      useBatchAction<Item, boolean>({
        call: (keys, force) => {
          calls.push(keys);
          return Promise.resolve(keys.map((key) => ({ key, ok: force || key !== 'b' })));
        },
        keyOf: (item) => item.key,
        settle: () => {
          settled += 1;
          return Promise.resolve();
        },
      }),
    );
    expect(result.current.results).toBeUndefined();
    await act(() => result.current.run(['a', 'b', 'c'], false));
    expect(result.current.results).toEqual([
      { key: 'a', ok: true },
      { key: 'b', ok: false },
      { key: 'c', ok: true },
    ]);
    await act(() => result.current.run(['b'], true));
    expect(calls).toEqual([['a', 'b', 'c'], ['b']]);
    expect(result.current.results).toEqual([
      { key: 'a', ok: true },
      { key: 'b', ok: true },
      { key: 'c', ok: true },
    ]);
    expect(settled).toBe(2);
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeUndefined();
  });

  it('turns a call that throws into an error shape, with the results left as they were, and still settles', async () => {
    let settled = 0;
    const { result } = renderHook(() =>
      useBatchAction<Item, undefined>({
        call: () => Promise.reject(new StrataError('engine_unreachable', 'The engine is not reachable.')),
        keyOf: (item) => item.key,
        settle: () => {
          settled += 1;
          return Promise.resolve();
        },
      }),
    );
    await act(() => result.current.run(['a'], undefined));
    expect(result.current.error).toMatchObject({ code: 'engine_unreachable', message: 'The engine is not reachable.' });
    expect(result.current.results).toBeUndefined();
    expect(settled).toBe(1);
  });
});

describe('BatchResults', () => {
  it('counts what went through and names each item with its word and detail', () => {
    render(
      <BatchResults
        rows={[
          { key: '1', label: 'web', word: 'removed', ok: true },
          { key: '2', label: 'db', word: 'failed', ok: false, detail: 'in use' },
        ]}
      />,
    );
    expect(screen.getByRole('status').textContent).toBe('1 of 2 done; 1 failed.');
    const list = screen.getByRole('list', { name: 'Results' });
    expect(within(list).getByRole('listitem', { name: 'web: removed' }).textContent).toBe('webremoved');
    expect(within(list).getByRole('listitem', { name: 'db: failed' }).textContent).toBe('dbfailedin use');
  });

  it('says all done when nothing failed', () => {
    render(<BatchResults rows={[{ key: '1', label: 'web', word: 'started', ok: true }]} />);
    expect(screen.getByRole('status').textContent).toBe('All 1 done.');
  });
});
