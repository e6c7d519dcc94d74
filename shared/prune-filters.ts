/**
 * The engine's rules the prune preview follows (moby daemon/images/image_prune.go and
 * image_delete.go): the `until` and label filters, and how references are ordered and grouped.
 */
import type { PruneArgs } from './api';

// ---------------------------------------------------------------------------------------------
// Filters

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * The `until` instant in milliseconds, as the engine computes it (api/types/time GetTimestamp): a Go
 * duration counts back from now and is cut to whole seconds; a date without a zone is local time; a
 * number is a Unix timestamp in seconds. Undefined when the text is none of these.
 */
export function untilInstant(until: string, now: number): number | undefined {
  const text = until.trim();
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) {
    let ms = 0;
    for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
      ms += Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? 0);
    }
    return Math.floor((now - ms) / 1000) * 1000;
  }
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(
    text,
  );
  if (date === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = date;
  const fraction = frac === '' ? 0 : Number(frac) * 1000;
  if (zone === undefined) {
    return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)).getTime() + fraction;
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + fraction;
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [zh, zm] = zone.slice(1).split(':').map(Number);
  return utc - sign * ((zh ?? 0) * 60 + (zm ?? 0)) * 60_000;
}

/** `filters` for POST /images/prune (a JSON map of lists, as the engine takes it). */
export function pruneFilters(args: PruneArgs): Record<string, string[]> {
  const filters: Record<string, string[]> = { dangling: [args.mode === 'dangling' ? 'true' : 'false'] };
  if (args.until !== undefined) filters['until'] = [args.until];
  const include = (args.labels ?? []).filter((label) => !label.startsWith('!'));
  const exclude = (args.labels ?? []).filter((label) => label.startsWith('!')).map((label) => label.slice(1));
  if (include.length > 0) filters['label'] = include;
  if (exclude.length > 0) filters['label!'] = exclude;
  return filters;
}

/** moby's filters.Args.MatchKVList: every `key` / `key=value` must match the labels. */
function matchesAll(filters: readonly string[], labels: Readonly<Record<string, string>>): boolean {
  if (filters.length === 0) return true;
  if (Object.keys(labels).length === 0) return false;
  return filters.every((filter) => {
    const at = filter.indexOf('=');
    const key = at < 0 ? filter : filter.slice(0, at);
    if (!Object.prototype.hasOwnProperty.call(labels, key)) return false;
    return at < 0 || labels[key] === filter.slice(at + 1);
  });
}

/** moby's matchLabels: `label` must all match; `label!` excludes when all of them match. */
export function labelsMatch(args: PruneArgs, labels: Readonly<Record<string, string>> | null): boolean {
  if (labels === null) return true;
  const include = (args.labels ?? []).filter((label) => !label.startsWith('!'));
  const exclude = (args.labels ?? []).filter((label) => label.startsWith('!')).map((label) => label.slice(1));
  if (!matchesAll(include, labels)) return false;
  if (exclude.length > 0 && matchesAll(exclude, labels)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// References

/** The full name the engine sorts references by: `lab/app:1.0` → `docker.io/lab/app:1.0`. */
export function fullReference(familiar: string): string {
  const slash = familiar.indexOf('/');
  const first = slash < 0 ? '' : familiar.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain) return familiar;
  return slash < 0 ? `docker.io/library/${familiar}` : `docker.io/${familiar}`;
}

/** False for the engine's `<none>@<none>` placeholder of untagged images. */
export function isRealDigest(ref: string): boolean {
  return ref.includes('@') && !ref.startsWith('<none>');
}

export function isDigestRef(ref: string): boolean {
  return ref.includes('@');
}

/** The repository name of a reference (without tag or digest). */
export function nameOf(ref: string): string {
  const at = ref.indexOf('@');
  if (at >= 0) return ref.slice(0, at);
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
}

/** moby's isSingleReference: at most one tag, and every reference in one repository. */
export function isSingleReference(refs: readonly string[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  let single: string | undefined;
  const names = new Set<string>();
  for (const ref of refs) {
    if (isDigestRef(ref)) names.add(nameOf(ref));
    else if (single === undefined) {
      names.add(nameOf(ref));
      single = ref;
    } else return false;
  }
  const chosen = single ?? refs[0] ?? '';
  return names.size === 1 && names.has(nameOf(chosen));
}
