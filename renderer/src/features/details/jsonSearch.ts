/** Finding text in the raw inspect JSON: pure helpers for the Details view (rendered as text, never HTML). */

export interface Segment {
  readonly text: string;
  readonly match: boolean;
}

/** Splits `text` into runs, marking every case-insensitive occurrence of `query` (none for an empty query). */
export function splitMatches(text: string, query: string): readonly Segment[] {
  if (query === '') return [{ text, match: false }];
  const haystack = text.toLowerCase();
  const needle = query.toLowerCase();
  const segments: Segment[] = [];
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at === -1) break;
    if (at > from) segments.push({ text: text.slice(from, at), match: false });
    segments.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) segments.push({ text: text.slice(from), match: false });
  return segments;
}

/** A duration in nanoseconds as a person reads it: "30s", "1m30s", "500ms"; 0 is the engine default. */
export function formatNanoseconds(ns: number, fallback: string): string {
  if (!Number.isFinite(ns) || ns <= 0) return fallback;
  const ms = ns / 1e6;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 || total === 0 ? `${s}s` : ''}`;
}

/** Splits `KEY=value` (the value may hold more `=`). */
export function splitEnv(entry: string): readonly [string, string] {
  const eq = entry.indexOf('=');
  return eq === -1 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
}
