import { describe, expect, it } from 'vitest';
import { computeWindow, scrollToRow } from './virtualWindow';

const base = { rowHeight: 32, viewportHeight: 640, rowCount: 5000, overscan: 8 };

describe('computeWindow', () => {
  it('renders the first screen plus overscan at the top', () => {
    expect(computeWindow({ ...base, scrollTop: 0 })).toEqual({ start: 0, end: 28, totalHeight: 160_000 });
  });

  it('renders only the visible rows plus overscan in the middle of 5,000 rows', () => {
    const win = computeWindow({ ...base, scrollTop: 32 * 2500 + 10 });
    expect(win).toEqual({ start: 2492, end: 2529, totalHeight: 160_000 });
    expect(win.end - win.start).toBeLessThan(40);
  });

  it('stops at the last row when scrolled to (or past) the end', () => {
    expect(computeWindow({ ...base, scrollTop: 10_000_000 })).toEqual({ start: 4972, end: 5000, totalHeight: 160_000 });
  });

  it('handles short and empty lists', () => {
    expect(computeWindow({ ...base, rowCount: 3, scrollTop: 0 })).toEqual({ start: 0, end: 3, totalHeight: 96 });
    expect(computeWindow({ ...base, rowCount: 0, scrollTop: 50 })).toEqual({ start: 0, end: 0, totalHeight: 0 });
  });
});

describe('scrollToRow', () => {
  const at = (scrollTop: number) => ({ ...base, scrollTop });
  it('scrolls up or down just enough, or not at all when the row is visible', () => {
    expect(scrollToRow(5, at(0))).toBeUndefined();
    expect(scrollToRow(100, at(0))).toBe(101 * 32 - 640);
    expect(scrollToRow(10, at(32 * 50))).toBe(320);
  });
});
