import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../shared/api';
import { findMatchingLines, LogBuffer, shortTimestamp, stepMatch } from './logBuffer';

const out = (text: string): LogLine => ({ stream: 'stdout', text, time: null });
const lines = (from: number, to: number): LogLine[] =>
  Array.from({ length: to - from }, (_, i) => out(`line ${from + i}`));

describe('LogBuffer', () => {
  it('keeps lines in order until full', () => {
    const buffer = new LogBuffer(5);
    buffer.append([out('a'), { stream: 'stderr', text: 'b', time: '2026-01-01T00:00:00Z' }]);
    buffer.append([out('c')]);
    expect(buffer.length).toBe(3);
    expect(buffer.slice(0).map((e) => [e.seq, e.stream, e.text])).toEqual([
      [0, 'stdout', 'a'],
      [1, 'stderr', 'b'],
      [2, 'stdout', 'c'],
    ]);
    expect(buffer.at(1)?.time).toBe('2026-01-01T00:00:00Z');
    expect(buffer.evicted).toBe(0);
  });

  it('keeps only the newest `capacity` lines and counts the ones that fell out', () => {
    const buffer = new LogBuffer(5);
    buffer.append(lines(0, 3));
    buffer.append(lines(3, 8));
    expect(buffer.length).toBe(5);
    expect(buffer.slice(0).map((e) => e.text)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    expect(buffer.at(0)?.seq).toBe(3);
    expect(buffer.evicted).toBe(3);
    expect(buffer.total).toBe(8);
    expect(buffer.slice(3, 99).map((e) => e.text)).toEqual(['line 6', 'line 7']);
    expect(buffer.at(5)).toBeUndefined();
  });

  it('takes a batch far larger than its capacity without holding it', () => {
    const buffer = new LogBuffer(5000);
    buffer.append(lines(0, 120_000));
    expect(buffer.length).toBe(5000);
    expect(buffer.at(0)?.text).toBe('line 115000');
    expect(buffer.at(4999)?.text).toBe('line 119999');
    expect(buffer.evicted).toBe(115_000);
  });

  it('clears everything', () => {
    const buffer = new LogBuffer(3);
    buffer.append(lines(0, 10));
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.evicted).toBe(0);
    buffer.append([out('fresh')]);
    expect(buffer.slice(0).map((e) => [e.seq, e.text])).toEqual([[0, 'fresh']]);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LogBuffer(0)).toThrow(RangeError);
  });
});

describe('search helpers', () => {
  it('finds lines case-insensitively, by index in the buffer', () => {
    const buffer = new LogBuffer(4);
    buffer.append([out('Error one'), out('fine'), out('another ERROR'), out('ok'), out('error three')]);
    // "Error one" fell out; indexes are of the kept lines.
    expect(findMatchingLines(buffer, 'error')).toEqual([1, 3]);
    expect(findMatchingLines(buffer, '')).toEqual([]);
    expect(findMatchingLines(buffer, 'nothing')).toEqual([]);
  });

  it('steps through matches, wrapping', () => {
    expect(stepMatch(-1, 3, 1)).toBe(0);
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });

  it('shortens engine timestamps to milliseconds', () => {
    expect(shortTimestamp('2026-01-02T03:04:05.123456789Z')).toBe('2026-01-02 03:04:05.123');
    expect(shortTimestamp('2026-01-02T03:04:05Z')).toBe('2026-01-02 03:04:05.000');
    expect(shortTimestamp('garbage')).toBe('garbage');
    expect(shortTimestamp(null)).toBe('');
  });
});
