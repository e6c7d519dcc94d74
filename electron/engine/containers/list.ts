/** Containers: the list the image dialogs need. */
import type { ContainerSummary, Mount, Port } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import type { EngineContext, HandlerSlice } from '../host/context';
import { httpError } from '../core/errors';
import { containerListEntrySchema, portEntrySchema, type MountEntry, type PortEntry } from '../core/answers';

export type Health = NonNullable<ContainerSummary['health']>;

/** The health in the engine's status words: "Up 3 minutes (healthy)", "Up 1 second (health: starting)". */
export function healthFromStatus(status: string): Health | null {
  if (/\(health: starting\)/.test(status)) return 'starting';
  if (/\(unhealthy\)/.test(status)) return 'unhealthy';
  if (/\(healthy\)/.test(status)) return 'healthy';
  return null;
}

/** One `Ports` entry of /containers/json: a port without PublicPort is only exposed (ip and publicPort null). */
export function portOf(p: PortEntry): Port {
  return {
    ip: p.PublicPort === null || p.IP === '' ? null : p.IP,
    privatePort: p.PrivatePort ?? 0,
    publicPort: p.PublicPort,
    type: p.Type || 'tcp',
  };
}

/** toPort of an entry as the engine sent it. */
export function toPort(raw: unknown): Port {
  return portOf(portEntrySchema.parse(raw));
}

/** One `Mounts` entry (list and inspect share the shape). */
export function mountOf(m: MountEntry): Mount {
  return {
    type: m.Type,
    name: m.Name === '' ? null : m.Name,
    source: m.Source,
    destination: m.Destination,
    readOnly: m.RW === false,
  };
}

/** One /containers/json entry. */
export function toContainerSummary(engineId: string, raw: unknown): ContainerSummary {
  const c = containerListEntrySchema.parse(raw);
  return {
    engineId,
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    command: c.Command,
    created: c.Created,
    state: c.State,
    status: c.Status,
    health: healthFromStatus(c.Status),
    ports: c.Ports.map(portOf),
    mounts: c.Mounts.map(mountOf),
    labels: c.Labels,
    composeProject: c.Labels['com.docker.compose.project'] ?? null,
    sizeRw: c.SizeRw,
    sizeRootFs: c.SizeRootFs,
  };
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

export function containerHandlers(ctx: EngineContext): HandlerSlice<'containers.list'> {
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
  };
}
