/** Containers (the list the image dialogs need) and commit. */
import type { ContainerSummary, ParsedArgsOf } from '../../shared/api';
import { StrataError } from '../../shared/errors';
import { encodeReferenceForPath, parseReference, pullParameters } from '../../shared/reference';
import type { EngineContext, HandlerSlice } from './context';
import { engineMessageOf } from './errors';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** One /containers/json entry. */
export function toContainerSummary(engineId: string, raw: unknown): ContainerSummary {
  const c = record(raw);
  const names = Array.isArray(c['Names']) ? c['Names'].filter((n): n is string => typeof n === 'string') : [];
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(c['Labels']))) {
    if (typeof value === 'string') labels[key] = value;
  }
  return {
    engineId,
    id: text(c['Id']),
    name: (names[0] ?? '').replace(/^\//, ''),
    image: text(c['Image']),
    imageId: text(c['ImageID']),
    command: text(c['Command']),
    created: typeof c['Created'] === 'number' ? c['Created'] : 0,
    state: text(c['State']),
    status: text(c['Status']),
    health: null,
    ports: [],
    mounts: [],
    labels,
    composeProject: labels['com.docker.compose.project'] ?? null,
    sizeRw: null,
    sizeRootFs: null,
  };
}

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

export function containerHandlers(ctx: EngineContext): HandlerSlice<'containers.list' | 'images.commit'> {
  return {
    'containers.list': async (args) => {
      const raw = await ctx.getJson('/containers/json', { operation: 'list' }, { all: args.all });
      if (!Array.isArray(raw)) {
        throw new StrataError(
          'engine_error',
          'The engine answered /containers/json with something that is not a list.',
        );
      }
      return raw.map((c) => toContainerSummary(ctx.engineId, c));
    },

    'images.commit': async (args) => {
      const query = commitQuery(args);
      const container = String(query['container']);
      const res = await ctx.engine().json({ method: 'POST', path: '/commit', query });
      const message = engineMessageOf(res.body);
      if (res.status === 404) {
        throw new StrataError(
          'not_found',
          `There is no container ${container}; pick one from the list (it may have been removed).`,
          message,
        );
      }
      if (res.status === 400 || res.status === 500) {
        const change = /dockerfile|unknown instruction|parse|change/i.test(message);
        throw new StrataError(
          res.status === 400 || change ? 'invalid_argument' : 'engine_error',
          change
            ? `The engine refused a change for the commit of ${container}: ${message}. Fix that line and commit again.`
            : `The engine could not commit ${container}: ${message}`,
          message,
        );
      }
      if (res.status !== 201 && res.status !== 200) {
        throw new StrataError(
          'engine_error',
          `The engine answered ${res.status} to the commit of ${container}: ${message}`,
          message,
        );
      }
      const id = text(record(res.value)['Id']);
      if (id === '')
        throw new StrataError('engine_error', `The engine committed ${container} but did not name the image.`);
      // A check that the image is there (and its full ID).
      const inspect = await ctx.engine().json({ method: 'GET', path: `/images/${encodeReferenceForPath(id)}/json` });
      const fullId = text(record(inspect.value)['Id']);
      return { imageId: fullId === '' ? id : fullId, reference: args.reference ?? null };
    },
  };
}
