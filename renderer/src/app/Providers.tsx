import { useState, type ReactNode } from 'react';
import { QueryClient } from '@tanstack/react-query';
import { DEFAULT_ENGINE_ID } from '../../../shared/api';
import type { StrataBridge } from '../../../shared/bridge';
import { createEngineScopes, EngineScope, EngineScopesProvider } from '../api/engineScope';
import { useUi } from './uiStore';

/**
 * Engine data is refreshed by pushed events, not polling; failures are shown at once (no silent
 * retries that would leave a spinner turning while the engine is down).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, staleTime: Infinity, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/**
 * The views below talk to the engine chosen in the title bar (its bridge, its query client). Keyed by the engine:
 * react-query binds a mounted query to the client it started with, so switching remounts the tree (UI state lives in
 * zustand and each engine's data stays cached in its own client, so coming back is instant).
 */
function ActiveEngine({ children }: { readonly children: ReactNode }) {
  const engineId = useUi((s) => s.engineId);
  return (
    <EngineScope key={engineId} engineId={engineId}>
      {children}
    </EngineScope>
  );
}

/**
 * `queryClient` (tests) is the default engine's client; every other engine gets its own, made on first use.
 */
export function Providers({
  bridge,
  queryClient,
  children,
}: {
  readonly bridge: StrataBridge;
  readonly queryClient?: QueryClient;
  readonly children: ReactNode;
}) {
  const [scopes] = useState(() =>
    createEngineScopes(
      bridge,
      createQueryClient,
      queryClient === undefined ? undefined : { engineId: DEFAULT_ENGINE_ID, client: queryClient },
    ),
  );
  return (
    <EngineScopesProvider scopes={scopes}>
      <ActiveEngine>{children}</ActiveEngine>
    </EngineScopesProvider>
  );
}
