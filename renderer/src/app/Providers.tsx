import { useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { StrataBridge } from '../../../shared/bridge';
import { StrataProvider } from '../api/StrataContext';

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

export function Providers({
  bridge,
  queryClient,
  children,
}: {
  readonly bridge: StrataBridge;
  readonly queryClient?: QueryClient;
  readonly children: ReactNode;
}) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <StrataProvider bridge={bridge}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </StrataProvider>
  );
}
