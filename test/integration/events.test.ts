/**
 * The engine's /events stream on the lab: a `docker tag` / `docker rmi` done outside the app arrives
 * as an engine.events batch within a second and is listed by events.list; a killed dockerd shows as
 * unreachable within seconds, and once it is back the status turns connected and events flow again.
 * Restarts the engine before it ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, StrataEvent } from '../../shared/api';
import { killEngine, labDocker, labInfo, startEngine, stopEngine, type LabInfo } from '../lab/context';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;
const suffix = `${process.pid}-${Date.now().toString(36)}`;
const first = `t-ev/x:${suffix}`;
const second = `t-ev/y:${suffix}`;
const third = `t-ev/z:${suffix}`;

function engineEventsOf(events: readonly StrataEvent[]): EngineEvent[] {
  return events.flatMap((e) => (e.type === 'engine.events' ? e.events : []));
}

function hasImageEvent(event: StrataEvent, action: string, reference: string): boolean {
  return (
    event.type === 'engine.events' &&
    event.events.some((e) => e.type === 'image' && e.action === action && e.attributes['name'] === reference)
  );
}

/** Waits until the service's event stream is open (the engine answered GET /events). */
async function streamOpen(): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!sut.requests.some((r) => r.path.startsWith('/events'))) {
    if (Date.now() > deadline) throw new Error('the service never opened /events');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

beforeAll(async () => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost, { requestTimeoutMs: 5_000 });
  await sut.service.handlers['engine.ping']({});
  await streamOpen();
});

afterAll(async () => {
  await sut.close();
  for (const reference of [first, second, third]) {
    await labDocker(lab, ['rmi', reference]).catch(() => undefined);
  }
});

describe('engine events', () => {
  it('pushes a terminal `docker tag` and `docker rmi` within a second, and lists them by type', async () => {
    const tagged = Date.now();
    await labDocker(lab, ['tag', 'lab/base:latest', first]);
    const batch = await sut.waitFor((e) => hasImageEvent(e, 'tag', first), 1_000);
    expect(batch).toMatchObject({ type: 'engine.events', engineId: sut.service.engineId });
    const tag = engineEventsOf([batch]).find((e) => e.action === 'tag');
    expect(tag?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(tag?.time).toBeGreaterThanOrEqual(tagged - 2_000);

    // The engine names an untag by the image ID (not the tag it removed): lab/base:latest keeps the image.
    const imageId = tag?.id ?? '';
    await labDocker(lab, ['rmi', first]);
    await sut.waitFor(
      (e) => e.type === 'engine.events' && e.events.some((x) => x.action === 'untag' && x.id === imageId),
      1_000,
    );

    const listed = await sut.service.handlers['events.list']({ types: ['image'], since: tagged - 2_000, limit: 100 });
    expect(listed.every((e) => e.type === 'image')).toBe(true);
    const ours = listed.filter((e) => e.attributes['name'] === first || (e.action === 'untag' && e.id === imageId));
    expect(ours.map((e) => e.action)).toEqual(['tag', 'untag']);
    const none = await sut.service.handlers['events.list']({ types: ['volume'], limit: 100 });
    expect(none.some((e) => e.attributes['name'] === first)).toBe(false);
    const later = await sut.service.handlers['events.list']({ since: Date.now() + 60_000, limit: 100 });
    expect(later).toEqual([]);
  });

  it('shows a killed engine within 5 s, reconnects when it is back, and events flow again', async () => {
    const statusesBefore = sut.events.filter((e) => e.type === 'engine.status').length;
    let answeredAt: number;
    try {
      const killedAt = Date.now();
      await killEngine(lab);
      const down = await sut.waitFor((e) => e.type === 'engine.status' && e.status.state === 'unreachable', 5_000);
      expect(Date.now() - killedAt).toBeLessThan(5_000);
      expect(down).toMatchObject({ status: { state: 'unreachable' } });
      // Keep it down long enough for a few failed reconnects.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      await startEngine(lab);
      answeredAt = Date.now();
    }
    const up = await sut.waitFor(
      (e) =>
        e.type === 'engine.status' &&
        e.status.state === 'connected' &&
        sut.events.filter((x) => x.type === 'engine.status').indexOf(e) >= statusesBefore,
      15_000,
    );
    expect(up).toMatchObject({ status: { state: 'connected' } });
    expect(Date.now() - answeredAt).toBeLessThan(15_000);

    // No call was made by the test: the watcher alone saw the engine go and come back.
    const statuses = sut.events.flatMap((e) => (e.type === 'engine.status' ? [e.status.state] : []));
    expect(statuses.slice(statusesBefore)).toEqual(['unreachable', 'connected']);

    await new Promise((resolve) => setTimeout(resolve, 300));
    await labDocker(lab, ['tag', 'lab/base:latest', second]);
    await sut.waitFor((e) => hasImageEvent(e, 'tag', second), 1_000);
  });

  it('shows a stopped engine (docker stopping cleanly) within 5 s with no call from the app, and reconnects', async () => {
    const statusesBefore = sut.events.filter((e) => e.type === 'engine.status').length;
    try {
      await stopEngine(lab);
      const stoppedAt = Date.now();
      await sut.waitFor(
        (e) =>
          e.type === 'engine.status' &&
          e.status.state === 'unreachable' &&
          sut.events.filter((x) => x.type === 'engine.status').indexOf(e) >= statusesBefore,
        5_000,
      );
      expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    } finally {
      await startEngine(lab);
    }
    await sut.waitFor(
      (e) =>
        e.type === 'engine.status' &&
        e.status.state === 'connected' &&
        sut.events.filter((x) => x.type === 'engine.status').indexOf(e) > statusesBefore,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await labDocker(lab, ['tag', 'lab/base:latest', third]);
    await sut.waitFor((e) => hasImageEvent(e, 'tag', third), 1_000);
  });
});
