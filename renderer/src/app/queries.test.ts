import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { EngineEvent, StrataEvent } from '../../../shared/api';
import { appendEvents, applyEventToCache, createDebouncedInvalidator } from './queries';
import { queryKeys } from './queryKeys';

const ev = (time: number, action = 'tag', id = 'x'): EngineEvent => ({
  engineId: 'default',
  type: 'image',
  action,
  id,
  name: '',
  attributes: {},
  time,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('appendEvents', () => {
  it('appends a batch, skipping events the log already has, and keeps the newest `limit`', () => {
    const log = [ev(1), ev(2), ev(3, 'untag')];
    expect(appendEvents(log, [ev(3, 'untag'), ev(4)]).map((e) => e.time)).toEqual([1, 2, 3, 4]);
    expect(appendEvents(log, [ev(4), ev(5)], 3).map((e) => e.time)).toEqual([3, 4, 5]);
  });
});

describe('engine.events in the cache', () => {
  it('appends to a fetched event log, and leaves an unfetched one alone', () => {
    const client = new QueryClient();
    const batch: StrataEvent = { type: 'engine.events', engineId: 'default', events: [ev(10)] };
    applyEventToCache(client, batch);
    expect(client.getQueryData(queryKeys.events())).toBeUndefined();
    client.setQueryData(queryKeys.events(), [ev(5)]);
    applyEventToCache(client, batch);
    expect(client.getQueryData<EngineEvent[]>(queryKeys.events())?.map((e) => e.time)).toEqual([5, 10]);
  });

  it('invalidates the union of affected keys once, after the events pause', () => {
    vi.useFakeTimers();
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    const invalidator = createDebouncedInvalidator(client, 150);
    applyEventToCache(client, { type: 'engine.events', engineId: 'default', events: [ev(1)] }, invalidator);
    vi.advanceTimersByTime(100);
    applyEventToCache(
      client,
      {
        type: 'engine.events',
        engineId: 'default',
        events: [ev(2, 'delete'), { ...ev(3, 'start'), type: 'container' }],
      },
      invalidator,
    );
    vi.advanceTimersByTime(100);
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60);
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([
      ['images', 'default'],
      ['disk', 'default'],
      ['containers', 'default'],
    ]);
    invalidator.dispose();
  });
});
