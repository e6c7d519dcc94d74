/** images.inspect: one image's details. */
import { encodeReferenceForPath } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { toImageDetails } from '../host/info';
import { requireReference } from './reference';

export function inspectHandlers(ctx: EngineContext): HandlerSlice<'images.inspect'> {
  return {
    'images.inspect': async (args) => {
      const parsed = requireReference(args.reference);
      const raw = await ctx.getJson(`/images/${encodeReferenceForPath(parsed.raw)}/json`, {
        operation: 'inspect',
        reference: parsed.raw,
      });
      return toImageDetails(ctx.engineId, raw);
    },
  };
}
