/** Pure helpers of the Containers view: filter, compose grouping, ports text, the actions a state allows. */
import type { ContainerAction, ContainerSummary, Port } from '../../../../shared/api';

/** One published or exposed port as the docker CLI prints it: `0.0.0.0:8080->80/tcp` (with an arrow), `80/tcp`. */
export function formatPort(port: Port): string {
  const inside = `${port.privatePort}/${port.type}`;
  if (port.publicPort === null) return inside;
  const ip = port.ip === null || port.ip === '' ? '0.0.0.0' : port.ip.includes(':') ? `[${port.ip}]` : port.ip;
  return `${ip}:${port.publicPort}→${inside}`;
}

/** Every port of a container once, published ones first, in a stable order. */
export function formatPorts(ports: readonly Port[]): readonly string[] {
  const sorted = [...ports].sort(
    (a, b) =>
      Number(a.publicPort === null) - Number(b.publicPort === null) ||
      a.privatePort - b.privatePort ||
      a.type.localeCompare(b.type) ||
      (a.ip ?? '').localeCompare(b.ip ?? ''),
  );
  return [...new Set(sorted.map(formatPort))];
}

export interface ContainerFilter {
  readonly text: string;
  readonly runningOnly: boolean;
}

/** Running containers: the engine's `running` state (paused and restarting ones are listed as such). */
export const isRunning = (c: ContainerSummary): boolean => c.state === 'running';

/** Containers matching the filter text (name, image, ID prefix, compose project, command) and the running toggle. */
export function filterContainers(
  containers: readonly ContainerSummary[],
  filter: ContainerFilter,
): readonly ContainerSummary[] {
  const needle = filter.text.trim().toLowerCase();
  return containers.filter((c) => {
    if (filter.runningOnly && !isRunning(c)) return false;
    if (needle === '') return true;
    return (
      c.name.toLowerCase().includes(needle) ||
      c.image.toLowerCase().includes(needle) ||
      c.id.startsWith(needle) ||
      (c.composeProject ?? '').toLowerCase().includes(needle) ||
      c.command.toLowerCase().includes(needle)
    );
  });
}

export interface ProjectGroup {
  readonly project: string;
  readonly containers: readonly ContainerSummary[];
  readonly running: number;
}

export interface GroupedContainers {
  /** Compose projects by name, each with its containers by name. */
  readonly projects: readonly ProjectGroup[];
  /** Containers of no compose project, by name. */
  readonly ungrouped: readonly ContainerSummary[];
}

const byName = (a: ContainerSummary, b: ContainerSummary): number => a.name.localeCompare(b.name);

/** Containers of one compose project together (the `com.docker.compose.project` label), the others below. */
export function groupByProject(containers: readonly ContainerSummary[]): GroupedContainers {
  const groups = new Map<string, ContainerSummary[]>();
  const ungrouped: ContainerSummary[] = [];
  for (const c of containers) {
    if (c.composeProject === null || c.composeProject === '') {
      ungrouped.push(c);
      continue;
    }
    const list = groups.get(c.composeProject) ?? [];
    list.push(c);
    groups.set(c.composeProject, list);
  }
  const projects = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([project, list]) => ({
      project,
      containers: list.sort(byName),
      running: list.filter(isRunning).length,
    }));
  return { projects, ungrouped: ungrouped.sort(byName) };
}

/** The single-container actions that make sense in a state, in the order the row shows them. */
export function actionsFor(state: string): readonly ContainerAction[] {
  switch (state) {
    case 'running':
      return ['stop', 'restart', 'pause', 'kill', 'remove'];
    case 'paused':
      return ['unpause', 'stop', 'kill', 'remove'];
    case 'restarting':
      return ['stop', 'kill', 'remove'];
    case 'removing':
      return [];
    default:
      // created, exited, dead
      return ['start', 'remove'];
  }
}

/** The engine needs `force` to remove a container in this state. */
export const needsForce = (state: string): boolean =>
  state === 'running' || state === 'paused' || state === 'restarting';

export const ACTION_LABELS: Readonly<Record<ContainerAction, string>> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  pause: 'Pause',
  unpause: 'Unpause',
  kill: 'Kill',
  remove: 'Remove',
};

/** The container's name for the UI: its name, or the short ID when it has none. */
export const containerLabel = (c: ContainerSummary): string => (c.name === '' ? c.id.slice(0, 12) : c.name);
