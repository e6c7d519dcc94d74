/** Prune with a true preview. TODO: not implemented yet. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

const notYet = (method: string) => (): Promise<never> =>
  Promise.reject(new StrataError('internal', `${method} is not implemented yet.`));

export function pruneHandlers(ctx: EngineContext): HandlerSlice<'images.prunePreview' | 'images.prune'> {
  void ctx;
  return {
    'images.prunePreview': notYet('images.prunePreview'),
    'images.prune': notYet('images.prune'),
  };
}
