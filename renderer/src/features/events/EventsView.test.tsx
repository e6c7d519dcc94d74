// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { EngineEvent, ImageSummary } from '../../../../shared/api';
import { App } from '../shell/App';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, image } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';

beforeEach(resetUi);
afterEach(cleanup);

function ev(partial: Partial<EngineEvent> & Pick<EngineEvent, 'type' | 'action'>): EngineEvent {
  return { engineId: 'default', id: '', name: '', attributes: {}, time: Date.now() - 60_000, ...partial };
}

const PULLED = ev({ type: 'image', action: 'pull', id: 'lab/app:1.0', attributes: { name: 'lab/app' } });
const STARTED = ev({
  type: 'container',
  action: 'start',
  id: 'c'.repeat(64),
  name: 'web',
  attributes: { image: 'lab/app:1.0', name: 'web', '<b>label</b>': '<img src=x onerror=alert(1)>' },
});

function setup(initialEvents: readonly EngineEvent[] = [PULLED, STARTED]) {
  let images: ImageSummary[] = [image({ id: hex('a'), repoTags: ['lab/app:1.0'] })];
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'images.list': () => ({ ok: true, value: images }),
    'events.list': () => ({ ok: true, value: [...initialEvents] }),
  });
  const rendered = renderWith(fake, <App />);
  return { fake, ...rendered, setImages: (next: ImageSummary[]) => (images = next) };
}

const eventRows = (): string[] => screen.queryAllByTestId('event-row').map((r) => r.getAttribute('aria-label') ?? '');

describe('Engine events', () => {
  it('refreshes the image list from a pushed batch, once, without polling', async () => {
    const { fake, setImages } = setup();
    await screen.findByRole('row', { name: 'lab/app:1.0' });
    expect(fake.callsOf('images.list')).toHaveLength(1);

    setImages([image({ id: hex('a'), repoTags: ['lab/app:1.0', 't/x:1'] })]);
    act(() => {
      fake.emit({
        type: 'engine.events',
        engineId: 'default',
        events: [ev({ type: 'image', action: 'tag', id: hex('a'), attributes: { name: 't/x:1' } })],
      });
      fake.emit({
        type: 'engine.events',
        engineId: 'default',
        events: [ev({ type: 'container', action: 'destroy', id: 'd'.repeat(64) })],
      });
    });
    expect(await screen.findByRole('row', { name: 't/x:1' })).toBeTruthy();
    // Two batches in quick succession: the list is fetched once more, not twice.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsOf('images.list')).toHaveLength(2);

    // Events that change nothing shown fetch nothing.
    act(() =>
      fake.emit({
        type: 'engine.events',
        engineId: 'default',
        events: [ev({ type: 'container', action: 'exec_start: sh' }), ev({ type: 'image', action: 'push', id: 'x' })],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsOf('images.list')).toHaveLength(2);
  });

  it('lists events newest first, appends live batches, and filters by type and object', async () => {
    const { fake } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Events' }));
    expect(screen.getByRole('heading', { name: 'Events', level: 1 })).toBeTruthy();
    await waitFor(() => expect(eventRows()).toEqual(['container start web', 'image pull lab/app:1.0']));
    expect(fake.callsOf('events.list')).toEqual([{ limit: 5000 }]);

    const row = screen.getAllByTestId('event-row')[0]!;
    const cells = within(row).getAllByRole('cell');
    expect(cells[0]?.textContent).toBe('About a minute ago');
    expect(cells[0]?.getAttribute('title')).toContain(new Date(STARTED.time).toISOString());
    // Untrusted attributes are text, never markup.
    expect(cells[4]?.textContent).toBe('<b>label</b>=<img src=x onerror=alert(1)>, image=lab/app:1.0, name=web');
    expect(row.querySelector('img, b')).toBeNull();

    act(() =>
      fake.emit({
        type: 'engine.events',
        engineId: 'default',
        events: [ev({ type: 'image', action: 'tag', id: hex('a'), attributes: { name: 't/x:1' }, time: Date.now() })],
      }),
    );
    await waitFor(() =>
      expect(eventRows()).toEqual(['image tag aaaaaaaaaaaa', 'container start web', 'image pull lab/app:1.0']),
    );
    expect(screen.getByText('3 events')).toBeTruthy();

    fireEvent.change(screen.getByRole('combobox', { name: 'Event type' }), { target: { value: 'container' } });
    expect(eventRows()).toEqual(['container start web']);
    expect(screen.getByText('1 of 3 events')).toBeTruthy();

    fireEvent.change(screen.getByRole('combobox', { name: 'Event type' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter events by object' }), { target: { value: 't/x' } });
    expect(eventRows()).toEqual(['image tag aaaaaaaaaaaa']);

    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter events by object' }), {
      target: { value: 'nothing-like-this' },
    });
    expect(screen.getByRole('heading', { name: 'No matching events' })).toBeTruthy();
  });

  it('opens the Details of an image event when the image still exists', async () => {
    setup([PULLED, ev({ type: 'image', action: 'delete', id: hex('f') })]);
    act(() => useUi.getState().setView('events'));
    await waitFor(() => expect(eventRows()).toHaveLength(2));
    // The deleted image has no link; the pulled one does.
    expect(screen.queryByRole('button', { name: 'Details of ffffffffffff' })).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: 'Details of lab/app:1.0' }));
    expect(useUi.getState().view).toBe('details');
    expect(useUi.getState().detailsTarget).toEqual({ imageId: hex('a'), label: 'lab/app:1.0' });
  });

  it('says so when there are no events yet', async () => {
    setup([]);
    act(() => useUi.getState().setView('events'));
    expect(await screen.findByRole('heading', { name: 'No events yet' })).toBeTruthy();
  });
});
