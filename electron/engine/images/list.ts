/** images.list: every image with the number of containers that use it. */
import { StrataError } from '../../../shared/errors';
import type { EngineContext, HandlerSlice } from '../host/context';
import { countContainersByImage, toImageSummary } from '../host/info';

export function listHandlers(ctx: EngineContext): HandlerSlice<'images.list'> {
  return {
    'images.list': async () => {
      const [images, containers] = await Promise.all([
        ctx.getJson('/images/json', { operation: 'list' }),
        ctx.getJson('/containers/json', { operation: 'list' }, { all: 1 }),
      ]);
      const counts = countContainersByImage(containers);
      if (!Array.isArray(images))
        throw new StrataError('engine_error', 'The engine answered /images/json with something that is not a list.');
      return images.map((image) => toImageSummary(ctx.engineId, image, counts));
    },
  };
}
