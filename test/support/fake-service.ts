/**
 * A ServiceHost of one engine around hand-made handlers, for unit tests of the layers above the service (IPC,
 * browser server). Integration tests use the real service on the lab engine.
 */
import type { Handlers, StrataEvent } from '../../shared/api';
import { StrataError } from '../../shared/errors';
import { createFileStore, type FileStoreOptions } from '../../electron/engine/host/files';
import type { SingleEngineHost } from '../../electron/engine/host/single-engine';

export interface FakeService {
  readonly service: SingleEngineHost;
  readonly listeners: Set<(event: StrataEvent) => void>;
  /** Sends an event to every subscriber, as the service would. */
  readonly emit: (event: StrataEvent) => void;
}

export function fakeEngineService(handlers: Handlers, fileOptions: FileStoreOptions = {}): FakeService {
  const listeners = new Set<(event: StrataEvent) => void>();
  const service: SingleEngineHost = {
    handlers,
    handlersFor: (engineId) => {
      if (engineId !== 'default') throw new StrataError('not_found', `There is no engine "${engineId}" in Strata.`);
      return handlers;
    },
    files: createFileStore(fileOptions),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => Promise.resolve(),
  };
  return { service, listeners, emit: (event) => listeners.forEach((listener) => listener(event)) };
}
