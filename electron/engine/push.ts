/** Push a tag to its registry, as a job. TODO: not implemented yet. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

const notYet = (method: string) => (): Promise<never> =>
  Promise.reject(new StrataError('internal', `${method} is not implemented yet.`));

export function pushHandlers(ctx: EngineContext): HandlerSlice<'images.push'> {
  void ctx;
  return {
    'images.push': notYet('images.push'),
  };
}
