/** Save, load, import and export tars, as jobs. TODO: not implemented yet. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

const notYet = (method: string) => (): Promise<never> =>
  Promise.reject(new StrataError('internal', `${method} is not implemented yet.`));

export function transferHandlers(
  ctx: EngineContext,
): HandlerSlice<'images.save' | 'images.load' | 'images.import' | 'containers.export'> {
  void ctx;
  return {
    'images.save': notYet('images.save'),
    'images.load': notYet('images.load'),
    'images.import': notYet('images.import'),
    'containers.export': notYet('containers.export'),
  };
}
