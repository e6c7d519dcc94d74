import type { ReactElement } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import type { QueryClient } from '@tanstack/react-query';
import { createQueryClient, Providers } from '../app/Providers';
import type { FakeBridge } from './fakeBridge';

/** Renders with the fake bridge and a fresh query client (no retries, no polling). */
export function renderWith(fake: FakeBridge, ui: ReactElement): RenderResult & { readonly queryClient: QueryClient } {
  const queryClient = createQueryClient();
  const result = render(
    <Providers bridge={fake.bridge} queryClient={queryClient}>
      {ui}
    </Providers>,
  );
  return { ...result, queryClient };
}
