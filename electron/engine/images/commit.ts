/** images.commit: a new image from a container's filesystem (POST /commit), checked by inspecting it. */
import type { ParsedArgsOf } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath, parseReference, pullParameters } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { commitError } from '../core/operation-errors';

type CommitArgs = ParsedArgsOf<'images.commit'>;

/** The query of POST /commit. Changes go as one newline-joined value, which the engine parses as a Dockerfile. */
export function commitQuery(args: CommitArgs): Record<string, string | boolean> {
  const container = args.container.replace(/^\//, '');
  const query: Record<string, string | boolean> = { container, pause: args.pause };
  if (args.reference !== undefined) {
    const parsed = parseReference(args.reference);
    if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
    if (parsed.value.digest !== undefined || /^sha256:/.test(args.reference)) {
      throw new StrataError('invalid_argument', `"${args.reference}" cannot name a new image; use "repo:tag".`);
    }
    const { fromImage, tag } = pullParameters(parsed.value);
    query['repo'] = fromImage;
    query['tag'] = tag;
  }
  if (args.author !== undefined && args.author !== '') query['author'] = args.author;
  if (args.message !== undefined && args.message !== '') query['comment'] = args.message;
  if (args.changes.length > 0) query['changes'] = args.changes.join('\n');
  return query;
}

/** The `Id` of an engine answer, or '' when it has none. */
function idOf(value: unknown): string {
  const id = (value as { Id?: unknown } | null | undefined)?.Id;
  return typeof id === 'string' ? id : '';
}

export function commitHandlers(ctx: EngineContext): HandlerSlice<'images.commit'> {
  return {
    'images.commit': async (args) => {
      const query = commitQuery(args);
      const container = String(query['container']);
      const res = await ctx.engine().json({ method: 'POST', path: '/commit', query });
      if (res.status !== 201 && res.status !== 200) throw commitError(res.status, res.body, container);
      const id = idOf(res.value);
      if (id === '')
        throw new StrataError('engine_error', `The engine committed ${container} but did not name the image.`);
      // A check that the image is there (and its full ID).
      const inspect = await ctx.engine().json({ method: 'GET', path: `/images/${encodeReferenceForPath(id)}/json` });
      const fullId = idOf(inspect.value);
      return { imageId: fullId === '' ? id : fullId, reference: args.reference ?? null };
    },
  };
}
