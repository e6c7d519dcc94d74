/** Docker Hub search through the engine. TODO: not implemented yet. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

const notYet = (method: string) => (): Promise<never> =>
  Promise.reject(new StrataError('internal', `${method} is not implemented yet.`));

export function searchHandlers(ctx: EngineContext): HandlerSlice<'images.search'> {
  void ctx;
  return {
    'images.search': notYet('images.search'),
  };
}
