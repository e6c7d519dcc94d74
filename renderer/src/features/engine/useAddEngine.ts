import type { ArgsOf, EngineEntry } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useEngineScopes } from '../../api/engineScope';

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Adds an engine and refreshes the lists that show engines; answers the new entry or throws the engine's error. */
export function useAddEngine(): (args: ArgsOf<'engines.add'>) => Promise<EngineEntry> {
  const scopes = useEngineScopes();
  return async (args) => {
    const entry = unwrap(await scopes.raw.engines.add(args));
    await scopes.global.invalidateQueries({ queryKey: ['engines'] });
    return entry;
  };
}
