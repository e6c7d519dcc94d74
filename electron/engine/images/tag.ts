/**
 * images.tag: every new tag is checked against the reference grammar before any request goes out (Engine 20.10
 * may answer a bad name with a 500, so nothing keys on the status).
 */
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath, isImageId, parseReference } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { httpError } from '../core/errors';
import { requireReference } from './reference';

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

export function tagHandlers(ctx: EngineContext): HandlerSlice<'images.tag'> {
  return {
    'images.tag': async (args) => {
      const image = requireReference(args.reference);
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
  };
}
