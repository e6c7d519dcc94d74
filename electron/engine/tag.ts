/** Tag and batch remove/untag. TODO: not implemented yet. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

const notYet = (method: string) => (): Promise<never> =>
  Promise.reject(new StrataError('internal', `${method} is not implemented yet.`));

export function tagHandlers(ctx: EngineContext): HandlerSlice<'images.tag' | 'images.removeMany'> {
  void ctx;
  return {
    'images.tag': notYet('images.tag'),
    'images.removeMany': notYet('images.removeMany'),
  };
}
