/**
 * Tag, remove and batch remove/untag. Every new tag is checked against the reference grammar before any
 * request goes out (Engine 20.10 may answer a bad name with a 500, so nothing keys on the status);
 * a batch remove sends one DELETE per reference, in order, and never stops on a failure.
 */
import type { RemoveManyItem, RemoveResult } from '../../../shared/api';
import { StrataError, toErrorShape } from '../../../shared/errors';
import { encodeReferenceForPath, isImageId, parseReference, type ParsedReference } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { httpError, isMultipleRepositoriesConflict, multipleRepositoriesError } from '../core/errors';
import { toImageDetails, toRemoveResult } from '../host/info';

function requireImage(reference: string): ParsedReference {
  const parsed = parseReference(reference);
  if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
  return parsed.value;
}

/** A new tag as the engine's tag call takes it, or the reason it cannot be one. */
export function tagTarget(
  tag: string,
):
  { readonly ok: true; readonly repo: string; readonly tag: string } | { readonly ok: false; readonly reason: string } {
  const parsed = parseReference(tag);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  if (isImageId(tag) || isImageId(parsed.value.name)) {
    return { ok: false, reason: `"${tag}" is an image ID; a tag is a name, for example "team/app:v1".` };
  }
  if (parsed.value.digest !== undefined) {
    return {
      ok: false,
      reason: `"${tag}" is a digest reference; an image cannot be tagged with a digest, use a tag such as "${parsed.value.name}:v1".`,
    };
  }
  return { ok: true, repo: parsed.value.name, tag: parsed.value.tag ?? 'latest' };
}

function listed(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(', ');
}

export function tagHandlers(ctx: EngineContext): HandlerSlice<'images.tag' | 'images.remove' | 'images.removeMany'> {
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
    const parsed = requireImage(reference);
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

    'images.tag': async (args) => {
      const image = requireImage(args.reference);
      const targets = args.tags.map((tag) => ({ given: tag, target: tagTarget(tag) }));
      const invalid = targets.flatMap(({ target }) => (target.ok ? [] : [target.reason]));
      if (invalid.length > 0) {
        throw new StrataError(
          'invalid_argument',
          `Nothing was tagged: ${invalid.length === 1 ? invalid[0] : invalid.join(' ')}`,
        );
      }
      const tagged: string[] = [];
      const failed: { readonly tag: string; readonly error: StrataError }[] = [];
      for (const { target } of targets) {
        if (!target.ok) continue;
        const full = `${target.repo}:${target.tag}`;
        if (tagged.includes(full)) continue;
        try {
          const res = await ctx.engine().request({
            method: 'POST',
            path: `/images/${encodeReferenceForPath(image.raw)}/tag`,
            query: { repo: target.repo, tag: target.tag },
          });
          if (res.status < 200 || res.status >= 300) {
            const error = httpError(res.status, res.body, { operation: 'inspect', reference: image.raw });
            throw res.status === 404
              ? new StrataError('not_found', `No image "${image.raw}" on this engine to tag.`, error.detail)
              : new StrataError(
                  error.code,
                  `Could not tag "${image.raw}" as "${full}": ${error.detail ?? error.message}`,
                  error.detail,
                );
          }
          tagged.push(full);
        } catch (error) {
          const mapped = error instanceof StrataError ? error : new StrataError('internal', String(error));
          failed.push({ tag: full, error: mapped });
          if (mapped.code === 'not_found' || mapped.code === 'engine_unreachable') break;
        }
      }
      const first = failed[0];
      if (first !== undefined) {
        const notTried = targets
          .flatMap(({ target }) => (target.ok ? [`${target.repo}:${target.tag}`] : []))
          .filter((tag, index, all) => all.indexOf(tag) === index)
          .filter((tag) => !tagged.includes(tag) && !failed.some((f) => f.tag === tag));
        if (tagged.length === 0 && failed.length === 1 && notTried.length === 0) throw first.error;
        const parts = [
          tagged.length > 0 ? `added ${listed(tagged)}` : 'added none',
          `failed ${listed(failed.map((f) => f.tag))} (${first.error.message})`,
          ...(notTried.length > 0 ? [`not tried ${listed(notTried)}`] : []),
        ];
        throw new StrataError(first.error.code, `Tagging "${image.raw}": ${parts.join('; ')}.`, first.error.detail);
      }
      return { reference: args.reference, tagged };
    },

    'images.removeMany': async (args) => {
      const results: RemoveManyItem[] = [];
      for (const reference of args.references) {
        results.push(await removeOne(reference, args.force === true));
      }
      return results;
    },
  };
}
