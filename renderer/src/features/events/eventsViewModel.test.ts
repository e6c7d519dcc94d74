import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../shared/api';
import { hex, image } from '../../testing/fakeBridge';
import { DEFAULT_FILTER, eventsViewModel, imageOfEvent, typeOptions } from './eventsViewModel';

const NOW = 1_800_000_000_000;

function ev(partial: Partial<EngineEvent> & Pick<EngineEvent, 'type' | 'action'>): EngineEvent {
  return { engineId: 'default', id: '', name: '', attributes: {}, time: NOW - 1000, ...partial };
}

const LOG: readonly EngineEvent[] = [
  ev({ type: 'image', action: 'pull', id: 'lab/app:1.0', attributes: { name: 'lab/app' }, time: NOW - 2 * 3_600_000 }),
  ev({
    type: 'container',
    action: 'create',
    id: 'c'.repeat(64),
    name: 'web',
    attributes: { image: 'lab/app:1.0', name: 'web' },
    time: NOW - 30 * 60_000,
  }),
  ev({ type: 'image', action: 'tag', id: hex('a'), attributes: { name: 't/x:1' }, time: NOW - 2 * 60_000 }),
  ev({ type: 'volume', action: 'create', id: 'data', time: NOW - 10_000 }),
];

describe('eventsViewModel', () => {
  it('lists every event newest first, with object name or short ID and attributes as key=value text', () => {
    const model = eventsViewModel(LOG, DEFAULT_FILTER, NOW);
    expect(model.rows.map((r) => `${r.type} ${r.action} ${r.object}`)).toEqual([
      'volume create data',
      `image tag ${'a'.repeat(12)}`,
      'container create web',
      'image pull lab/app:1.0',
    ]);
    expect(model.rows[2]?.attributes).toBe('image=lab/app:1.0, name=web');
    expect(model.matching).toBe(4);
    expect(model.total).toBe(4);
  });

  it('filters by type, object text (id, name or attribute value) and time', () => {
    expect(eventsViewModel(LOG, { ...DEFAULT_FILTER, type: 'image' }, NOW).rows.map((r) => r.action)).toEqual([
      'tag',
      'pull',
    ]);
    expect(eventsViewModel(LOG, { ...DEFAULT_FILTER, text: 'T/X' }, NOW).rows.map((r) => r.action)).toEqual(['tag']);
    expect(eventsViewModel(LOG, { ...DEFAULT_FILTER, text: 'lab/app' }, NOW).rows).toHaveLength(2);
    expect(eventsViewModel(LOG, { ...DEFAULT_FILTER, text: 'web' }, NOW).rows.map((r) => r.type)).toEqual([
      'container',
    ]);
    expect(eventsViewModel(LOG, { ...DEFAULT_FILTER, window: '5m' }, NOW).rows).toHaveLength(2);
    expect(eventsViewModel(LOG, { ...DEFAULT_FILTER, window: '1h' }, NOW).rows).toHaveLength(3);
    const none = eventsViewModel(LOG, { type: 'network', text: '', window: 'session' }, NOW);
    expect(none.rows).toEqual([]);
    expect(none.matching).toBe(0);
  });

  it('renders at most maxRows rows but counts every match', () => {
    const many = Array.from({ length: 1200 }, (_, i) =>
      ev({ type: 'container', action: 'start', id: `c${i}`, time: NOW - 1_000_000 + i }),
    );
    const model = eventsViewModel(many, DEFAULT_FILTER, NOW, 500);
    expect(model.rows).toHaveLength(500);
    expect(model.matching).toBe(1200);
    expect(model.rows[0]?.object).toBe('c1199');
  });

  it('offers the known types plus any other type seen', () => {
    expect(typeOptions([ev({ type: 'service', action: 'update' })])).toEqual([
      'image',
      'container',
      'volume',
      'network',
      'daemon',
      'builder',
      'service',
    ]);
  });
});

describe('imageOfEvent', () => {
  const images = [
    image({ id: hex('a'), repoTags: ['t/x:1'] }),
    image({ id: hex('b'), repoTags: ['lab/app:1.0', 'lab/app:latest'] }),
  ];

  it('finds the image by ID, reference (with :latest implied) or tag attribute', () => {
    expect(imageOfEvent(LOG[2]!, images)).toEqual({ imageId: hex('a'), label: 't/x:1' });
    expect(imageOfEvent(LOG[0]!, images)).toEqual({ imageId: hex('b'), label: 'lab/app:1.0' });
    expect(imageOfEvent(ev({ type: 'image', action: 'pull', id: 'lab/app' }), images)).toEqual({
      imageId: hex('b'),
      label: 'lab/app:latest',
    });
  });

  it('shows the short ID for an image the engine names by its full ID', () => {
    const untag = ev({ type: 'image', action: 'untag', id: hex('e'), name: hex('e') });
    expect(eventsViewModel([untag], DEFAULT_FILTER, NOW).rows[0]?.object).toBe('e'.repeat(12));
  });

  it('gives nothing for a removed image or a non-image event', () => {
    expect(imageOfEvent(ev({ type: 'image', action: 'delete', id: hex('d') }), images)).toBeUndefined();
    expect(imageOfEvent(LOG[1]!, images)).toBeUndefined();
  });
});
