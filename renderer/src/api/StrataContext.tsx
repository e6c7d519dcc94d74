import { createContext, useContext, type ReactNode } from 'react';
import type { StrataBridge } from '../../../shared/bridge';

const StrataContext = createContext<StrataBridge | undefined>(undefined);

export function StrataProvider({ bridge, children }: { readonly bridge: StrataBridge; readonly children: ReactNode }) {
  return <StrataContext.Provider value={bridge}>{children}</StrataContext.Provider>;
}

/** The bridge handed down by StrataProvider (the real one in the app, a fake in tests). */
export function useStrata(): StrataBridge {
  const bridge = useContext(StrataContext);
  if (bridge === undefined) throw new Error('useStrata() needs a <StrataProvider> above it');
  return bridge;
}
