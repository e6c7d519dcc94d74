import { describe, expect, it } from 'vitest';
import { LABELS_MIN, MARKERS_MIN, sameMembers, zoomBand } from './levelOfDetail';

describe('zoomBand', () => {
  it('puts labels, markers only and neither in three bands at the thresholds', () => {
    expect(zoomBand(1)).toBe(2);
    expect(zoomBand(LABELS_MIN)).toBe(2);
    expect(zoomBand(LABELS_MIN - 0.01)).toBe(1);
    expect(zoomBand(MARKERS_MIN)).toBe(1);
    expect(zoomBand(MARKERS_MIN - 0.01)).toBe(0);
  });
});

describe('sameMembers', () => {
  it('compares sets by members, null only with null', () => {
    expect(sameMembers(new Set(['a', 'b']), new Set(['b', 'a']))).toBe(true);
    expect(sameMembers(new Set(['a']), new Set(['a', 'b']))).toBe(false);
    expect(sameMembers(new Set(['a', 'c']), new Set(['a', 'b']))).toBe(false);
    expect(sameMembers(null, null)).toBe(true);
    expect(sameMembers(null, new Set())).toBe(false);
    expect(sameMembers(new Set(), null)).toBe(false);
  });
});
