/**
 * An EngineService around hand-made handlers, for unit tests of the layers above the service (IPC, browser server).
 * Integration tests use the real service on the lab engine.
 */
import type { Handlers, StrataEvent } from '../../shared/api';
import { StrataError } from '../../shared/errors';
import { createFileStore } from '../../electron/engine/host/files';
import type { EngineService } from '../../electron/engine/host/service';

export interface FakeService {
  readonly service: EngineService;
  readonly listeners: Set<(event: StrataEvent) => void>;
  /** Sends an event to every subscriber, as the service would. */
  readonly emit: (event: StrataEvent) => void;
}

export function fakeEngineService(handlers: Handlers, address = 'unix:///nowhere.sock'): FakeService {
  const listeners = new Set<(event: StrataEvent) => void>();
  const service: EngineService = {
    engineId: 'default',
    entry: {
      id: 'default',
      name: 'Default',
      host: address,
      kind: 'unix',
      tls: false,
      source: 'environment',
      removable: false,
    },
    endpoint: { kind: 'unix', address, source: 'flag', tls: false },
    handlers,
    handlersFor: (engineId) => {
      if (engineId !== 'default') throw new StrataError('not_found', `There is no engine "${engineId}" in Strata.`);
      return handlers;
    },
    files: createFileStore(),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => Promise.resolve(),
  };
  return { service, listeners, emit: (event) => listeners.forEach((listener) => listener(event)) };
}
