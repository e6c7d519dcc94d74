/** layers.graph: every local image with its layer chain, for the layer graph (read through the history reader). */
import type { EngineContext, HandlerSlice } from '../host/context';

export function graphHandlers(ctx: EngineContext): HandlerSlice<'layers.graph'> {
  return {
    'layers.graph': async () => ctx.history.graph(),
  };
}
