/** Container lifecycle: inspect, start/stop/restart/pause/unpause/kill/remove (one or many), rename, run, changes. */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

type Methods =
  | 'containers.inspect'
  | 'containers.action'
  | 'containers.actionMany'
  | 'containers.rename'
  | 'containers.run'
  | 'containers.changes';

function notYet(): Promise<never> {
  return Promise.reject(new StrataError('internal', 'Not implemented yet.'));
}

export function containerActionHandlers(ctx: EngineContext): HandlerSlice<Methods> {
  void ctx;
  return {
    'containers.inspect': notYet,
    'containers.action': notYet,
    'containers.actionMany': notYet,
    'containers.rename': notYet,
    'containers.run': notYet,
    'containers.changes': notYet,
  };
}
