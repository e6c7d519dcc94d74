/** Containers (the list the image dialogs need) and commit. TODO: not implemented yet. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

const notYet = (method: string) => (): Promise<never> =>
  Promise.reject(new StrataError('internal', `${method} is not implemented yet.`));

export function containerHandlers(ctx: EngineContext): HandlerSlice<'containers.list' | 'images.commit'> {
  void ctx;
  return {
    'containers.list': notYet('containers.list'),
    'images.commit': notYet('images.commit'),
  };
}
