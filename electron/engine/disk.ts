/** Disk usage (`docker system df -v`), volumes, and cleanup (`docker system prune` with a true preview). */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

type Methods = 'volumes.list' | 'volumes.remove' | 'disk.usage' | 'disk.cleanupPreview' | 'disk.cleanup';

function notYet(): Promise<never> {
  return Promise.reject(new StrataError('internal', 'Not implemented yet.'));
}

export function diskHandlers(ctx: EngineContext): HandlerSlice<Methods> {
  void ctx;
  return {
    'volumes.list': notYet,
    'volumes.remove': notYet,
    'disk.usage': notYet,
    'disk.cleanupPreview': notYet,
    'disk.cleanup': notYet,
  };
}
