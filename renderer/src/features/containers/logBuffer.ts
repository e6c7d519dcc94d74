/** The Logs tab's memory: a ring of the newest log lines (pure, no React), and finding text in it. */
import type { LogLine } from '../../../../shared/api';

/** How many lines the Logs tab keeps; older ones fall out so a noisy container cannot grow the page without bound. */
export const LOG_BUFFER_CAPACITY = 5000;

export interface LogEntry extends LogLine {
  /** Position in everything appended since the last clear (0 = first line); stable while a line is kept. */
  readonly seq: number;
}

/** A fixed-capacity ring of log lines, oldest first. */
export class LogBuffer {
  private readonly ring: (LogEntry | undefined)[];
  private head = 0; // index of the oldest entry
  private count = 0;
  private nextSeq = 0;
  private evictedCount = 0;

  constructor(readonly capacity: number = LOG_BUFFER_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('A log buffer holds at least one line.');
    this.ring = new Array<LogEntry | undefined>(capacity).fill(undefined);
  }

  /** Lines kept now. */
  get length(): number {
    return this.count;
  }

  /** Lines that fell out of the ring (older than the newest `capacity`) since the last clear. */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Lines appended since the last clear, kept or not. */
  get total(): number {
    return this.nextSeq;
  }

  append(lines: readonly LogLine[]): void {
    // Only the last `capacity` of a huge batch can survive: skip the rest without touching the ring.
    const skip = Math.max(0, lines.length - this.capacity);
    this.nextSeq += skip;
    this.evictedCount += skip;
    for (let i = skip; i < lines.length; i++) {
      const line = lines[i]!;
      const entry: LogEntry = { stream: line.stream, text: line.text, time: line.time, seq: this.nextSeq++ };
      if (this.count < this.capacity) {
        this.ring[(this.head + this.count) % this.capacity] = entry;
        this.count += 1;
      } else {
        this.ring[this.head] = entry;
        this.head = (this.head + 1) % this.capacity;
        this.evictedCount += 1;
      }
    }
  }

  /** The `index`-th kept line, oldest first. */
  at(index: number): LogEntry | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.ring[(this.head + index) % this.capacity];
  }

  /** Kept lines `start` (inclusive) to `end` (exclusive), oldest first. */
  slice(start: number, end: number = this.count): LogEntry[] {
    const from = Math.max(0, start);
    const to = Math.min(this.count, end);
    const out: LogEntry[] = [];
    for (let i = from; i < to; i++) out.push(this.ring[(this.head + i) % this.capacity]!);
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.nextSeq = 0;
    this.evictedCount = 0;
  }
}

/** Indexes (in the buffer, oldest first) of the kept lines whose text holds `query`, case-insensitively. */
export function findMatchingLines(buffer: LogBuffer, query: string): number[] {
  if (query === '') return [];
  const needle = query.toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < buffer.length; i++) {
    if (buffer.at(i)!.text.toLowerCase().includes(needle)) out.push(i);
  }
  return out;
}

/** The match to go to after `current` (wrapping), or -1 when there are none. */
export function stepMatch(current: number, count: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0 || current >= count) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}

/**
 * An engine timestamp as the Logs tab shows it: `2026-01-02T03:04:05.123456789Z` → `2026-01-02 03:04:05.123`.
 * Anything it does not recognise is shown as it came.
 */
export function shortTimestamp(time: string | null): string {
  if (time === null) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?/.exec(time);
  if (m === null) return time;
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
}
