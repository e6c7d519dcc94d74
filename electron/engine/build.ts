/** Build from a context folder, as a job. TODO: not implemented yet. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

const notYet = (method: string) => (): Promise<never> =>
  Promise.reject(new StrataError('internal', `${method} is not implemented yet.`));

export function buildHandlers(ctx: EngineContext): HandlerSlice<'images.build'> {
  void ctx;
  return {
    'images.build': notYet('images.build'),
  };
}
