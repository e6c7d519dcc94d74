/**
 * One engine service as a ServiceHost without the hub (tests, tools): engines.* answer for that engine alone, as
 * they always did for a lone service — the list is its entry, discovery finds nothing, adding and removing engines
 * are a conflict (engines are added through the engine hub); diagnostics report that engine, without the log.
 */
import type { Handlers } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import type { HandlerSlice, HubMethod } from './context';
import { collectDiagnostics } from './diagnostics';
import type { EngineService, ServiceHost } from './service';

export interface SingleEngineHost extends ServiceHost {
  /** The service's handlers with engines.* added: what handlersFor(service.engineId) answers. */
  readonly handlers: Handlers;
}

function oneEngine(): Promise<never> {
  return Promise.reject(
    new StrataError('conflict', 'This Strata service runs one engine only; engines are added through the engine hub.'),
  );
}

export function singleEngineHost(service: EngineService): SingleEngineHost {
  const engines: HandlerSlice<HubMethod> = {
    'engines.list': () => Promise.resolve([service.entry]),
    'engines.discover': () => Promise.resolve([]),
    'engines.add': oneEngine,
    'engines.remove': oneEngine,
    'engine.diagnostics': () =>
      collectDiagnostics({
        engines: [{ entry: service.entry, ping: () => service.handlers['engine.ping']({}) }],
        recent: [],
      }),
  };
  const handlers: Handlers = { ...service.handlers, ...engines };
  return {
    handlers,
    handlersFor(engineId) {
      if (engineId !== service.engineId) {
        throw new StrataError('not_found', `There is no engine "${engineId}" in Strata.`);
      }
      return handlers;
    },
    files: service.files,
    onEvent: (listener) => service.onEvent(listener),
    close: () => service.close(),
  };
}
