import { describe, expect, it } from 'vitest';
import { formatBytes, formatRelative, humanDuration, shortId } from './format';

describe('formatBytes (like the docker CLI, 1000-based, 3 significant digits)', () => {
  it.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [1234, '1.23kB'],
    [4_860_000, '4.86MB'],
    [4_864_512, '4.86MB'],
    [77_900_000, '77.9MB'],
    [117_300_000, '117MB'],
    [1_234_567_890, '1.23GB'],
    [999_950, '1MB'],
    [2e12, '2TB'],
  ])('%d -> %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });

  it('marks impossible sizes', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('relative time', () => {
  const now = Date.UTC(2026, 0, 31, 12);
  const ago = (ms: number): string => formatRelative(now - ms, now);
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;

  it.each([
    [500, 'Less than a second ago'],
    [1000, '1 second ago'],
    [45_000, '45 seconds ago'],
    [minute, 'About a minute ago'],
    [5 * minute, '5 minutes ago'],
    [hour, 'About an hour ago'],
    [5 * hour, '5 hours ago'],
    [3 * day, '3 days ago'],
    [20 * day, '2 weeks ago'],
    [90 * day, '3 months ago'],
    [800 * day, '2 years ago'],
  ])('%d ms -> %s', (ms, expected) => {
    expect(ago(ms)).toBe(expected);
  });

  it('treats future times (clock skew) as just now', () => {
    expect(formatRelative(now + 10_000, now)).toBe('Less than a second ago');
  });

  it('uses hours up to two days', () => {
    expect(humanDuration(47 * hour)).toBe('47 hours');
    expect(humanDuration(48 * hour)).toBe('2 days');
  });
});

describe('shortId', () => {
  it('takes 12 hex digits after sha256:', () => {
    expect(shortId('sha256:0123456789abcdef0123')).toBe('0123456789ab');
    expect(shortId('0123456789abcdef')).toBe('0123456789ab');
  });
});
