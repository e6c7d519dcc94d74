/** Formatting shared by the views, matching what the docker CLI prints. */

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

/** Bytes as `docker images` shows them: 1000-based, three significant digits ("4.86MB", "117MB"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  let rounded = Number(value.toPrecision(3));
  // 999.95 kB rounds to 1000 kB: say 1MB as a person would.
  if (rounded >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    rounded = Number((rounded / 1000).toPrecision(3));
    unit += 1;
  }
  return `${rounded}${DECIMAL_UNITS[unit]}`;
}

/** A duration in words, as the docker CLI's HumanDuration ("3 days", "About an hour"). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** "3 days ago" for a past instant; a time in the future (clock skew) reads as just now. */
export function formatRelative(thenMs: number, nowMs: number): string {
  return `${humanDuration(Math.max(0, nowMs - thenMs))} ago`;
}

/** The exact time for a tooltip: local time, plus ISO for copying. */
export function formatExact(thenMs: number): string {
  const date = new Date(thenMs);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.toLocaleString()} (${date.toISOString()})`;
}

/** The 12-hex short ID the docker CLI shows. */
export { shortImageId as shortId } from '../../../shared/names';

/** A fraction 0..1 as a whole percentage. */
export function formatPercent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}
