/** Containers (the list the image dialogs need) and commit. */
import type { ContainerSummary, Mount, ParsedArgsOf, Port } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath, parseReference, pullParameters } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { httpError } from '../core/errors';
import { commitError } from '../core/operation-errors';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export type Health = NonNullable<ContainerSummary['health']>;

/** The health in the engine's status words: "Up 3 minutes (healthy)", "Up 1 second (health: starting)". */
export function healthFromStatus(status: string): Health | null {
  if (/\(health: starting\)/.test(status)) return 'starting';
  if (/\(unhealthy\)/.test(status)) return 'unhealthy';
  if (/\(healthy\)/.test(status)) return 'healthy';
  return null;
}

/** One `Ports` entry of /containers/json: a port without PublicPort is only exposed (ip and publicPort null). */
export function toPort(raw: unknown): Port {
  const p = record(raw);
  const publicPort = num(p['PublicPort']);
  const ip = text(p['IP']);
  return {
    ip: publicPort === null || ip === '' ? null : ip,
    privatePort: num(p['PrivatePort']) ?? 0,
    publicPort,
    type: text(p['Type']) || 'tcp',
  };
}

/** One `Mounts` entry (list and inspect share the shape). */
export function toMount(raw: unknown): Mount {
  const m = record(raw);
  const name = text(m['Name']);
  return {
    type: text(m['Type']),
    name: name === '' ? null : name,
    source: text(m['Source']),
    destination: text(m['Destination']),
    readOnly: m['RW'] === false,
  };
}

/** String values of a labels object (anything else the engine might send is dropped). */
export function labelsOf(raw: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(raw))) {
    if (typeof value === 'string') labels[key] = value;
  }
  return labels;
}

/** One /containers/json entry. */
export function toContainerSummary(engineId: string, raw: unknown): ContainerSummary {
  const c = record(raw);
  const names = Array.isArray(c['Names']) ? c['Names'].filter((n): n is string => typeof n === 'string') : [];
  const labels = labelsOf(c['Labels']);
  const status = text(c['Status']);
  return {
    engineId,
    id: text(c['Id']),
    name: (names[0] ?? '').replace(/^\//, ''),
    image: text(c['Image']),
    imageId: text(c['ImageID']),
    command: text(c['Command']),
    created: typeof c['Created'] === 'number' ? c['Created'] : 0,
    state: text(c['State']),
    status,
    health: healthFromStatus(status),
    ports: Array.isArray(c['Ports']) ? c['Ports'].map(toPort) : [],
    mounts: Array.isArray(c['Mounts']) ? c['Mounts'].map(toMount) : [],
    labels,
    composeProject: labels['com.docker.compose.project'] ?? null,
    sizeRw: num(c['SizeRw']),
    sizeRootFs: num(c['SizeRootFs']),
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

/** /containers/json?size=1 with a longer timeout (sizes of many containers can take a while). */
async function listWithSizes(ctx: EngineContext, query: Record<string, boolean>): Promise<unknown> {
  const res = await ctx.engine().json({
    method: 'GET',
    path: '/containers/json',
    query,
    timeoutMs: Math.max(ctx.requestTimeoutMs, 120_000),
  });
  if (res.status !== 200) throw httpError(res.status, res.body, { operation: 'list' });
  return res.value;
}

export function containerHandlers(ctx: EngineContext): HandlerSlice<'containers.list' | 'images.commit'> {
  return {
    'containers.list': async (args) => {
      const query: Record<string, boolean> = args.size ? { all: args.all, size: true } : { all: args.all };
      // The engine computes sizes by walking every writable layer: give it longer than a plain list.
      const raw = args.size
        ? await listWithSizes(ctx, query)
        : await ctx.getJson('/containers/json', { operation: 'list' }, query);
      if (!Array.isArray(raw)) {
        throw new StrataError(
          'engine_error',
          'The engine answered /containers/json with something that is not a list.',
        );
      }
      const summaries = raw.map((c) => toContainerSummary(ctx.engineId, c));
      // The engine leaves SizeRw / SizeRootFs out when they are 0 (omitempty): asked for, absent means 0.
      return args.size
        ? summaries.map((c) => ({ ...c, sizeRw: c.sizeRw ?? 0, sizeRootFs: c.sizeRootFs ?? 0 }))
        : summaries;
    },

    'images.commit': async (args) => {
      const query = commitQuery(args);
      const container = String(query['container']);
      const res = await ctx.engine().json({ method: 'POST', path: '/commit', query });
      if (res.status !== 201 && res.status !== 200) throw commitError(res.status, res.body, container);
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
