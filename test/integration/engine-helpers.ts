/** Helpers shared by the engine integration tests (test/integration/engine*.test.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobInfo, StrataEvent } from '../../shared/api';
import { createDispatch } from '../../shared/dispatch';
import { StrataError } from '../../shared/errors';
import type { RequestRecord } from '../../electron/engine/core/client';
import type { EngineHub } from '../../electron/engine/host/hub';
import { createEngineService, type EngineService, type EngineServiceOptions } from '../../electron/engine/host/service';

export interface ServiceUnderTest {
  readonly service: EngineService;
  readonly events: StrataEvent[];
  readonly requests: RequestRecord[];
  readonly home: string;
  /** Resolves with the job when its job.end event arrives. */
  waitForEnd(jobId: string, timeoutMs?: number): Promise<JobInfo>;
  /** Resolves when a predicate over the events holds. */
  waitFor(predicate: (event: StrataEvent) => boolean, timeoutMs?: number): Promise<StrataEvent>;
  close(): Promise<void>;
}

export interface ServiceOnOptions extends Partial<EngineServiceOptions> {
  /** Writes files into the temp home (docker config, contexts) before the service starts. */
  readonly homeDirSetup?: (home: string) => void;
}

/**
 * A service on `host` (or, when host is '', on what env and the temp home resolve to), isolated
 * from the developer's own docker config: empty temp home, empty env unless given.
 */
export function serviceOn(host: string, options: ServiceOnOptions = {}): ServiceUnderTest {
  const home = mkdtempSync(join(tmpdir(), 'strata-home-'));
  const { homeDirSetup, ...serviceOptions } = options;
  homeDirSetup?.(home);
  const events: StrataEvent[] = [];
  const requests: RequestRecord[] = [];
  const waiters = new Set<{ predicate: (e: StrataEvent) => boolean; resolve: (e: StrataEvent) => void }>();
  const service = createEngineService({
    ...(host === '' ? {} : { host }),
    env: {},
    homeDir: home,
    requestTimeoutMs: 10_000,
    ...serviceOptions,
    onRequest: (record) => {
      requests.push(record);
      serviceOptions.onRequest?.(record);
    },
  });
  service.onEvent((event) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(event)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  });
  const waitFor = (predicate: (event: StrataEvent) => boolean, timeoutMs = 60_000): Promise<StrataEvent> => {
    const already = events.find(predicate);
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve: (e: StrataEvent) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching event in ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };
  return {
    service,
    events,
    requests,
    home,
    waitFor,
    async waitForEnd(jobId, timeoutMs) {
      const event = await waitFor((e) => e.type === 'job.end' && e.job.id === jobId, timeoutMs);
      if (event.type !== 'job.end') throw new Error('unreachable');
      return event.job;
    },
    async close() {
      await service.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function progressOf(
  events: readonly StrataEvent[],
  jobId: string,
): Extract<StrataEvent, { type: 'job.progress' }>[] {
  return events.filter(
    (e): e is Extract<StrataEvent, { type: 'job.progress' }> => e.type === 'job.progress' && e.jobId === jobId,
  );
}

/** Calls a hub's methods as IPC and the browser server do (through dispatch); a failure rejects as a StrataError. */
export function caller(hub: EngineHub): (method: string, args: unknown, engine?: string) => Promise<unknown> {
  const dispatch = createDispatch((engineId) => hub.handlersFor(engineId));
  return async (method, args, engine) => {
    const outcome = await dispatch(method, args, engine);
    if (!outcome.ok) throw StrataError.fromShape(outcome.error);
    return outcome.value;
  };
}

/** Whether the engine behind `docker` (a lab's docker CLI) has the image. */
export async function imageExists(
  docker: (args: readonly string[]) => Promise<string>,
  reference: string,
): Promise<boolean> {
  try {
    await docker(['image', 'inspect', '--format', '{{.Id}}', reference]);
    return true;
  } catch {
    return false;
  }
}
