/** Registry credentials and browsing a registry v2. TODO: not implemented yet. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

const notYet = (method: string) => (): Promise<never> =>
  Promise.reject(new StrataError('internal', `${method} is not implemented yet.`));

export function registryHandlers(
  ctx: EngineContext,
): HandlerSlice<
  | 'registries.list'
  | 'registries.login'
  | 'registries.logout'
  | 'registries.catalog'
  | 'registries.tags'
  | 'registries.manifest'
> {
  void ctx;
  return {
    'registries.list': notYet('registries.list'),
    'registries.login': notYet('registries.login'),
    'registries.logout': notYet('registries.logout'),
    'registries.catalog': notYet('registries.catalog'),
    'registries.tags': notYet('registries.tags'),
    'registries.manifest': notYet('registries.manifest'),
  };
}
