import { describe, expect, it } from 'vitest';
import { humanBytes, layerJobProgress, num, str, withShownFraction } from './layer-progress';

describe('layer progress helpers', () => {
  it('never moves the shown fraction backwards, and keeps it when the new fraction is unknown', () => {
    const start = { shownFraction: null, other: 'kept' };
    const half = withShownFraction(start, 0.5);
    expect(half).toEqual({ shownFraction: 0.5, other: 'kept' });
    expect(withShownFraction(half, 0.3).shownFraction).toBe(0.5);
    expect(withShownFraction(half, 0.8).shownFraction).toBe(0.8);
    expect(withShownFraction(half, null)).toBe(half);
    expect(withShownFraction(start, null).shownFraction).toBeNull();
  });

  it('shows layers as the contract wants them, without the reducer-only fields', () => {
    const layers = new Map([
      ['a', { id: 'a', status: 'Pushing', current: 10, total: 20, done: false, uploaded: true }],
      ['b', { id: 'b', status: 'Layer already exists', current: 0, total: 0, done: true, uploaded: false }],
    ]);
    expect(layerJobProgress({ layers, lastMessage: 'Pushing 1 of 2 layers', shownFraction: 0.5 })).toEqual({
      fraction: 0.5,
      message: 'Pushing 1 of 2 layers',
      layers: [
        { id: 'a', status: 'Pushing', current: 10, total: 20, done: false },
        { id: 'b', status: 'Layer already exists', current: 0, total: 0, done: true },
      ],
    });
  });

  it('reads only finite non-negative numbers and strings from stream fields', () => {
    expect(num(5)).toBe(5);
    expect(num(-1)).toBeUndefined();
    expect(num(Number.NaN)).toBeUndefined();
    expect(num('5')).toBeUndefined();
    expect(str('x')).toBe('x');
    expect(str(1)).toBeUndefined();
  });
});

describe('humanBytes', () => {
  it('prints decimal units like the docker CLI, switching at 1000', () => {
    expect(humanBytes(812)).toBe('812 B');
    expect(humanBytes(1000)).toBe('1.0 kB');
    expect(humanBytes(4_864_512)).toBe('4.9 MB');
    expect(humanBytes(2_000_000_000_000_000)).toBe('2000.0 TB');
  });
});
