/**
 * Several engines in the renderer: one react-query client per engine (engine data never mixes), and a bridge scoped
 * to one engine (every call names it), so a feature written for "the engine" works unchanged on any of them.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { METHOD_NAMES } from '../../../shared/api';
import { splitMethod, type CallOptions, type StrataBridge } from '../../../shared/bridge';
import { StrataProvider } from './StrataContext';

type AnyCall = (args: unknown, options?: CallOptions) => Promise<unknown>;

/** `raw` with every method calling `engineId` unless the call names another engine. */
export function scopeBridge(raw: StrataBridge, engineId: string): StrataBridge {
  const source = raw as unknown as Readonly<Record<string, Readonly<Record<string, AnyCall>>>>;
  const domains: Record<string, Record<string, AnyCall>> = {};
  for (const method of METHOD_NAMES) {
    const [domain, verb] = splitMethod(method);
    const call = source[domain]?.[verb];
    if (call === undefined) continue;
    (domains[domain] ??= {})[verb] = (args, options) => call(args, { engine: options?.engine ?? engineId });
  }
  for (const domain of Object.values(domains)) Object.freeze(domain);
  return Object.freeze({
    ...domains,
    events: Object.freeze({ ...domains['events'], subscribe: raw.events.subscribe }),
    files: raw.files,
  }) as unknown as StrataBridge;
}

/** The per-engine clients and bridges of the app, made on first use and kept for the session. */
export interface EngineScopes {
  readonly raw: StrataBridge;
  /** Cross-engine data: engines.list, engines.discover, the jobs of every engine. */
  readonly global: QueryClient;
  clientFor(engineId: string): QueryClient;
  bridgeFor(engineId: string): StrataBridge;
  /** The engines that have a client (events for any other engine have no cache to update). */
  knownClients(): ReadonlyMap<string, QueryClient>;
  /** Drops an engine's cache (the engine was removed). */
  forget(engineId: string): void;
}

export function createEngineScopes(
  raw: StrataBridge,
  createClient: () => QueryClient,
  initial: { readonly engineId: string; readonly client: QueryClient } | undefined = undefined,
): EngineScopes {
  const clients = new Map<string, QueryClient>();
  const bridges = new Map<string, StrataBridge>();
  if (initial !== undefined) clients.set(initial.engineId, initial.client);
  const global = createClient();
  return {
    raw,
    global,
    clientFor(engineId) {
      let client = clients.get(engineId);
      if (client === undefined) {
        client = createClient();
        clients.set(engineId, client);
      }
      return client;
    },
    bridgeFor(engineId) {
      let bridge = bridges.get(engineId);
      if (bridge === undefined) {
        bridge = scopeBridge(raw, engineId);
        bridges.set(engineId, bridge);
      }
      return bridge;
    },
    knownClients: () => clients,
    forget(engineId) {
      clients.get(engineId)?.clear();
      clients.delete(engineId);
    },
  };
}

const ScopesContext = createContext<EngineScopes | undefined>(undefined);
const EngineIdContext = createContext<string | undefined>(undefined);

export function EngineScopesProvider({
  scopes,
  children,
}: {
  readonly scopes: EngineScopes;
  readonly children: ReactNode;
}) {
  return <ScopesContext.Provider value={scopes}>{children}</ScopesContext.Provider>;
}

export function useEngineScopes(): EngineScopes {
  const scopes = useContext(ScopesContext);
  if (scopes === undefined) throw new Error('useEngineScopes() needs <Providers> above it');
  return scopes;
}

/** The bridge of no engine in particular: calls go to the engine they name (`{ engine: id }`). */
export function useRawStrata(): StrataBridge {
  return useEngineScopes().raw;
}

/** The engine the surrounding view works on. */
export function useEngineId(): string {
  const id = useContext(EngineIdContext);
  if (id === undefined) throw new Error('useEngineId() needs an <EngineScope> above it');
  return id;
}

/** Everything below talks to `engineId`: useStrata() calls it, react-query caches in its client. */
export function EngineScope({ engineId, children }: { readonly engineId: string; readonly children: ReactNode }) {
  const scopes = useEngineScopes();
  return (
    <EngineIdContext.Provider value={engineId}>
      <StrataProvider bridge={scopes.bridgeFor(engineId)}>
        <QueryClientProvider client={scopes.clientFor(engineId)}>{children}</QueryClientProvider>
      </StrataProvider>
    </EngineIdContext.Provider>
  );
}
