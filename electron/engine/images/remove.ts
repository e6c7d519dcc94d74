/**
 * images.remove and images.removeMany (remove or untag). A batch sends one DELETE per reference, in order, and
 * never stops on a failure; a several-tags conflict names the tags.
 */
import type { RemoveManyItem, RemoveResult } from '../../../shared/api';
import { toErrorShape } from '../../../shared/errors';
import { encodeReferenceForPath } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { httpError, isMultipleRepositoriesConflict, multipleRepositoriesError } from '../core/errors';
import { toImageDetails, toRemoveResult } from '../host/info';
import { requireReference } from './reference';

export function removeHandlers(ctx: EngineContext): HandlerSlice<'images.remove' | 'images.removeMany'> {
  /** The tags of an image, to explain a "referenced in multiple repositories" conflict; [] if unknown. */
  const tagsOf = async (reference: string): Promise<readonly string[]> => {
    try {
      const raw = await ctx.getJson(`/images/${encodeReferenceForPath(reference)}/json`, {
        operation: 'inspect',
        reference,
      });
      return toImageDetails(ctx.engineId, raw).repoTags;
    } catch {
      return [];
    }
  };

  /** Removes (or untags) one image; a several-tags conflict names the tags. */
  const removeImage = async (reference: string, force: boolean): Promise<RemoveResult> => {
    const parsed = requireReference(reference);
    const res = await ctx.engine().json({
      method: 'DELETE',
      path: `/images/${encodeReferenceForPath(parsed.raw)}`,
      query: { force, noprune: false },
    });
    if (res.status !== 200) {
      const error = httpError(res.status, res.body, { operation: 'remove', reference: parsed.raw });
      if (res.status === 409 && isMultipleRepositoriesConflict(res.body)) {
        throw multipleRepositoriesError(parsed.raw, error.detail ?? error.message, await tagsOf(parsed.raw));
      }
      throw error;
    }
    return toRemoveResult(parsed.raw, res.value);
  };

  const removeOne = async (reference: string, force: boolean): Promise<RemoveManyItem> => {
    try {
      return { reference, ok: true, result: await removeImage(reference, force) };
    } catch (error) {
      return { reference, ok: false, error: toErrorShape(error) };
    }
  };

  return {
    'images.remove': async (args) => removeImage(args.reference, args.force === true),

    'images.removeMany': async (args) => {
      const results: RemoveManyItem[] = [];
      for (const reference of args.references) {
        results.push(await removeOne(reference, args.force === true));
      }
      return results;
    },
  };
}
