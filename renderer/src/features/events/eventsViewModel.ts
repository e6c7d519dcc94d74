/** The event log's rows: filter by type, object text and time; newest first; bounded. Pure. */
import type { EngineEvent, ImageSummary } from '../../../../shared/api';
import { shortImageId } from '../../../../shared/names';

export type TimeWindow = 'session' | '1h' | '5m';

export const TIME_WINDOWS: readonly { readonly id: TimeWindow; readonly label: string }[] = [
  { id: 'session', label: 'This session' },
  { id: '1h', label: 'Last hour' },
  { id: '5m', label: 'Last 5 minutes' },
];

const WINDOW_MS: Readonly<Record<TimeWindow, number>> = { session: Infinity, '1h': 3_600_000, '5m': 300_000 };

/** The types offered even before any event of that type was seen. */
export const KNOWN_TYPES: readonly string[] = ['image', 'container', 'volume', 'network', 'daemon', 'builder'];

/** Rows rendered at most; older matches are counted, not drawn. */
export const MAX_ROWS = 500;

export interface EventFilter {
  /** An object type, or 'all'. */
  readonly type: string;
  readonly text: string;
  readonly window: TimeWindow;
}

export const DEFAULT_FILTER: EventFilter = { type: 'all', text: '', window: 'session' };

export interface EventRow {
  /** Stable React key. */
  readonly key: string;
  readonly time: number;
  readonly type: string;
  readonly action: string;
  /** The object's name, else its short ID (or reference for images pulled by name). */
  readonly object: string;
  /** The full ID or reference, for a tooltip. */
  readonly objectId: string;
  /** `key=value` pairs, sorted by key; untrusted text. */
  readonly attributes: string;
  readonly event: EngineEvent;
}

export interface EventsViewModel {
  readonly rows: readonly EventRow[];
  /** How many events match the filter (rows may hold fewer). */
  readonly matching: number;
  readonly total: number;
  readonly types: readonly string[];
}

/** The type select's options: the known types plus any other type seen. */
export function typeOptions(events: readonly EngineEvent[]): readonly string[] {
  const extra = new Set<string>();
  for (const event of events) if (!KNOWN_TYPES.includes(event.type)) extra.add(event.type);
  return [...KNOWN_TYPES, ...[...extra].sort()];
}

const shortIfId = (value: string): string => (/^(sha256:)?[a-f0-9]{64}$/.test(value) ? shortImageId(value) : value);

function objectLabel(event: EngineEvent): string {
  // The engine names an untagged image (untag, delete) by its full ID: show the short one, as the CLI does.
  return shortIfId(event.name !== '' ? event.name : event.id);
}

function formatAttributes(attributes: Readonly<Record<string, string>>): string {
  return Object.keys(attributes)
    .sort()
    .map((key) => `${key}=${attributes[key]}`)
    .join(', ');
}

/** Whether the object text matches the event's id, name, or any attribute value (case-insensitive). */
export function matchesText(event: EngineEvent, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  if (event.id.toLowerCase().includes(needle) || event.name.toLowerCase().includes(needle)) return true;
  return Object.values(event.attributes).some((value) => value.toLowerCase().includes(needle));
}

/** `events` as the service keeps them (oldest first) → the rows to show, newest first. */
export function eventsViewModel(
  events: readonly EngineEvent[],
  filter: EventFilter,
  nowMs: number,
  maxRows: number = MAX_ROWS,
): EventsViewModel {
  const since = nowMs - WINDOW_MS[filter.window];
  const rows: EventRow[] = [];
  let matching = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.time < since) continue;
    if (filter.type !== 'all' && event.type !== filter.type) continue;
    if (!matchesText(event, filter.text)) continue;
    matching += 1;
    if (rows.length >= maxRows) continue;
    rows.push({
      key: `${i}:${event.time}:${event.type}:${event.action}:${event.id}`,
      time: event.time,
      type: event.type,
      action: event.action,
      object: objectLabel(event),
      objectId: event.id,
      attributes: formatAttributes(event.attributes),
      event,
    });
  }
  // Events arrive in engine order, but a batch may interleave: newest first by time, stable otherwise.
  rows.sort((a, b) => b.time - a.time);
  return { rows, matching, total: events.length, types: typeOptions(events) };
}

const withLatest = (reference: string): string =>
  /:[\w][\w.-]*$/.test(reference.slice(reference.lastIndexOf('/') + 1)) || reference.includes('@')
    ? reference
    : `${reference}:latest`;

/**
 * The image an image event is about, if it still exists: by ID, by the reference the engine names, or by the
 * `name` attribute (the tag, for tag events).
 */
export function imageOfEvent(
  event: EngineEvent,
  images: readonly ImageSummary[],
): { readonly imageId: string; readonly label: string } | undefined {
  if (event.type !== 'image') return undefined;
  const candidates = [event.id, event.name, event.attributes['name'] ?? ''].filter((c) => c !== '');
  for (const candidate of candidates) {
    const byId = images.find((image) => image.id === candidate || image.id === `sha256:${candidate}`);
    if (byId !== undefined) {
      return { imageId: byId.id, label: byId.repoTags.find((t) => t !== '<none>:<none>') ?? shortImageId(byId.id) };
    }
    const reference = withLatest(candidate);
    const byTag = images.find((image) => image.repoTags.includes(reference));
    if (byTag !== undefined) return { imageId: byTag.id, label: reference };
  }
  return undefined;
}
