/**
 * Live container streams: logs and stats. Each watch streams `watch.*` events until it is stopped, its stream ends,
 * or it is not renewed for 30 s (so a closed window or a reloaded page leaks no engine stream).
 */
import { StrataError } from '../../shared/errors';
import type { EngineContext, HandlerSlice } from './context';

type Methods = 'containers.logsWatch' | 'containers.statsWatch' | 'watches.renew' | 'watches.stop';

export interface Watches {
  readonly handlers: HandlerSlice<Methods>;
  /** Ends every watch (service close). */
  close(): Promise<void>;
}

function notYet(): Promise<never> {
  return Promise.reject(new StrataError('internal', 'Not implemented yet.'));
}

export function createWatches(ctx: EngineContext): Watches {
  void ctx;
  return {
    handlers: {
      'containers.logsWatch': notYet,
      'containers.statsWatch': notYet,
      'watches.renew': notYet,
      'watches.stop': notYet,
    },
    close: () => Promise.resolve(),
  };
}
