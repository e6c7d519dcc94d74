import { describe, expect, it } from 'vitest';
import { dockerHumanSize, reclaimableText } from './disk';

describe('docker CLI sizes', () => {
  it('prints bytes like go-units HumanSize', () => {
    expect(dockerHumanSize(0)).toBe('0B');
    expect(dockerHumanSize(999)).toBe('999B');
    expect(dockerHumanSize(1000)).toBe('1kB');
    expect(dockerHumanSize(1234)).toBe('1.234kB');
    expect(dockerHumanSize(1_234_567)).toBe('1.235MB');
    expect(dockerHumanSize(5_600_000)).toBe('5.6MB');
    expect(dockerHumanSize(123_456_789_012)).toBe('123.5GB');
  });

  it('adds the whole percent to the reclaimable size, except for build cache', () => {
    expect(reclaimableText({ category: 'images', size: 3_000_000, reclaimable: 1_000_000 })).toBe('1MB (33%)');
    expect(reclaimableText({ category: 'volumes', size: 0, reclaimable: 0 })).toBe('0B');
    expect(reclaimableText({ category: 'buildCache', size: 10, reclaimable: 5 })).toBe('5B');
  });
});
