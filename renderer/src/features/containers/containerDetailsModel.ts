/** Pure helpers of the Container view: overview text, stats series, filesystem changes. */
import type { ContainerAction, ContainerDetails, FileChange, Mount, Port, StatsSample } from '../../../../shared/api';

// ------------------------------------------------------------------------------------------------
// Overview

/** A port as `docker ps` prints it: `0.0.0.0:8080->80/tcp`, or `80/tcp` when only exposed. */
export function formatPort(port: Port): string {
  const inner = `${port.privatePort}/${port.type}`;
  if (port.publicPort === null) return inner;
  const ip = port.ip === null || port.ip === '' ? '' : port.ip.includes(':') ? `[${port.ip}]:` : `${port.ip}:`;
  return `${ip}${port.publicPort}->${inner}`;
}

/** A mount in words: `volume data → /var/lib/data (read-only)`. */
export function formatMount(mount: Mount): string {
  const source = mount.type === 'volume' && mount.name !== null ? mount.name : mount.source;
  return `${mount.type} ${source === '' ? '(anonymous)' : source} → ${mount.destination}${mount.readOnly ? ' (read-only)' : ''}`;
}

/** An argv as a shell would read it back: words with spaces or quotes are quoted. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((word) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : JSON.stringify(word))).join(' ');
}

/** Engine times: the zero time `0001-01-01T00:00:00Z` means "never". */
export function isZeroTime(time: string | null): boolean {
  return time === null || time === '' || time.startsWith('0001-01-01');
}

/** The actions that make sense in a state (the engine refuses the others or does nothing). */
export function actionsFor(state: string): ReadonlySet<ContainerAction> {
  switch (state) {
    case 'running':
      return new Set(['stop', 'restart', 'pause', 'kill', 'remove']);
    case 'paused':
      return new Set(['stop', 'restart', 'unpause', 'kill', 'remove']);
    case 'restarting':
      return new Set(['stop', 'kill', 'remove']);
    case 'removing':
      return new Set();
    default: // created, exited, dead
      return new Set(['start', 'restart', 'remove']);
  }
}

/** True when the container has (or may soon have) a process to take stats of. */
export function hasLiveProcess(state: string): boolean {
  return state === 'running' || state === 'paused' || state === 'restarting';
}

export function restartPolicyText(details: Pick<ContainerDetails, 'restartPolicy'>): string {
  return details.restartPolicy === '' ? 'no' : details.restartPolicy;
}

// ------------------------------------------------------------------------------------------------
// Stats

/** How many samples the Stats tab keeps and charts. */
export const STATS_WINDOW = 60;

/** `samples` with `sample` appended, keeping the newest `limit`. */
export function appendSample(
  samples: readonly StatsSample[],
  sample: StatsSample,
  limit: number = STATS_WINDOW,
): StatsSample[] {
  const next = [...samples, sample];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** Bytes per second between consecutive samples of a cumulative counter (null for the first sample or a reset). */
export function ratesOf(samples: readonly StatsSample[], pick: (s: StatsSample) => number): (number | null)[] {
  return samples.map((sample, i) => {
    if (i === 0) return null;
    const previous = samples[i - 1]!;
    const seconds = (sample.time - previous.time) / 1000;
    const delta = pick(sample) - pick(previous);
    if (seconds <= 0 || delta < 0) return null;
    return delta / seconds;
  });
}

/** Memory in use as a share of the limit, 0..100 (null without a limit). */
export function memoryPercent(sample: Pick<StatsSample, 'memoryUsed' | 'memoryLimit'>): number | null {
  return sample.memoryLimit > 0 ? (sample.memoryUsed / sample.memoryLimit) * 100 : null;
}

/** Bytes in binary units as `docker stats` prints memory: `1.5MiB`, `7.6GiB`. */
export function formatBinaryBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)}${units[unit]}`;
}

export function formatPercentValue(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}%`;
}

/**
 * SVG polyline points for `values` in a `width` × `height` box: x by index over `slots` places (the newest at the
 * right edge), y scaled to `max` (at least the largest value). Null values break nothing: they are skipped.
 */
export function sparklinePoints(
  values: readonly (number | null)[],
  width: number,
  height: number,
  slots: number = STATS_WINDOW,
  max?: number,
): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return '';
  const top = Math.max(max ?? 0, ...present);
  const scaleY = (v: number): number => (top <= 0 ? height : height - (Math.max(0, v) / top) * height);
  const step = slots > 1 ? width / (slots - 1) : 0;
  const offset = Math.max(0, slots - values.length);
  const points: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    points.push(`${((offset + i) * step).toFixed(1)},${scaleY(v).toFixed(1)}`);
  });
  return points.join(' ');
}

// ------------------------------------------------------------------------------------------------
// Filesystem changes

export type ChangeKind = FileChange['kind'];
export const CHANGE_KINDS: readonly ChangeKind[] = ['added', 'changed', 'deleted'];
export const CHANGE_MARKERS: Readonly<Record<ChangeKind, string>> = { added: 'A', changed: 'C', deleted: 'D' };

export function countChanges(changes: readonly FileChange[]): Readonly<Record<ChangeKind, number>> {
  const counts = { added: 0, changed: 0, deleted: 0 };
  for (const change of changes) counts[change.kind] += 1;
  return counts;
}

/** The changes of the kinds shown, sorted by path (a parent comes right before its children), with their depth. */
export function visibleChanges(
  changes: readonly FileChange[],
  kinds: ReadonlySet<ChangeKind>,
): (FileChange & { readonly depth: number })[] {
  return changes
    .filter((c) => kinds.has(c.kind))
    .map((c) => ({ ...c, depth: Math.max(0, c.path.split('/').filter((p) => p !== '').length - 1) }))
    .sort((a, b) => comparePaths(a.path, b.path));
}

/** Orders paths segment by segment, so `/a` and everything under it come before `/a-b`. */
export function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}
