import { describe, expect, it } from 'vitest';
import type { StatsSample } from '../../../../shared/api';
import {
  actionsFor,
  appendSample,
  comparePaths,
  countChanges,
  formatArgv,
  formatBinaryBytes,
  formatMount,
  formatPort,
  isZeroTime,
  memoryPercent,
  ratesOf,
  sparklinePoints,
  visibleChanges,
} from './containerDetailsModel';

const sample = (time: number, partial: Partial<StatsSample> = {}): StatsSample => ({
  time,
  cpuPercent: 1,
  memoryUsed: 1000,
  memoryLimit: 4000,
  networkRx: 0,
  networkTx: 0,
  blockRead: 0,
  blockWrite: 0,
  pids: 1,
  ...partial,
});

describe('overview text', () => {
  it('prints ports as docker ps does', () => {
    expect(formatPort({ ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' })).toBe('0.0.0.0:8080->80/tcp');
    expect(formatPort({ ip: '::', privatePort: 53, publicPort: 5353, type: 'udp' })).toBe('[::]:5353->53/udp');
    expect(formatPort({ ip: null, privatePort: 80, publicPort: null, type: 'tcp' })).toBe('80/tcp');
  });
  it('describes mounts', () => {
    expect(
      formatMount({ type: 'volume', name: 'data', source: '/var/lib/x', destination: '/data', readOnly: true }),
    ).toBe('volume data → /data (read-only)');
    expect(formatMount({ type: 'bind', name: null, source: '/srv', destination: '/srv', readOnly: false })).toBe(
      'bind /srv → /srv',
    );
  });
  it('quotes argv words that need it', () => {
    expect(formatArgv(['sh', '-c', 'echo hi; sleep 1'])).toBe('sh -c "echo hi; sleep 1"');
  });
  it('reads the zero time as never', () => {
    expect(isZeroTime('0001-01-01T00:00:00Z')).toBe(true);
    expect(isZeroTime(null)).toBe(true);
    expect(isZeroTime('2026-01-01T00:00:00Z')).toBe(false);
  });
  it('offers the actions a state allows', () => {
    expect([...actionsFor('running')].sort()).toEqual(['kill', 'pause', 'remove', 'restart', 'stop']);
    expect([...actionsFor('paused')]).toContain('unpause');
    expect([...actionsFor('paused')]).not.toContain('pause');
    expect([...actionsFor('exited')].sort()).toEqual(['remove', 'restart', 'start']);
  });
});

describe('stats', () => {
  it('keeps the newest samples only', () => {
    let samples: StatsSample[] = [];
    for (let i = 0; i < 70; i++) samples = appendSample(samples, sample(i * 1000));
    expect(samples).toHaveLength(60);
    expect(samples[0]!.time).toBe(10_000);
  });
  it('turns cumulative counters into rates, skipping resets', () => {
    const samples = [
      sample(0, { networkRx: 0 }),
      sample(1000, { networkRx: 500 }),
      sample(3000, { networkRx: 1500 }),
      sample(4000, { networkRx: 10 }),
    ];
    expect(ratesOf(samples, (s) => s.networkRx)).toEqual([null, 500, 500, null]);
  });
  it('computes the memory share', () => {
    expect(memoryPercent({ memoryUsed: 1000, memoryLimit: 4000 })).toBe(25);
    expect(memoryPercent({ memoryUsed: 1000, memoryLimit: 0 })).toBeNull();
  });
  it('prints memory in binary units', () => {
    expect(formatBinaryBytes(512)).toBe('512B');
    expect(formatBinaryBytes(1536 * 1024)).toBe('1.50MiB');
    expect(formatBinaryBytes(8 * 1024 ** 3)).toBe('8.00GiB');
  });
  it('draws a sparkline with the newest sample at the right edge', () => {
    expect(sparklinePoints([], 100, 10, 5)).toBe('');
    expect(sparklinePoints([0, 5, 10], 100, 10, 5)).toBe('50.0,10.0 75.0,5.0 100.0,0.0');
    expect(sparklinePoints([null, 4], 100, 10, 5, 8)).toBe('100.0,5.0');
  });
});

describe('changes', () => {
  const changes = [
    { path: '/tmp/b', kind: 'added' as const },
    { path: '/tmp', kind: 'changed' as const },
    { path: '/etc/hosts', kind: 'deleted' as const },
    { path: '/tmp-x', kind: 'added' as const },
    { path: '/etc', kind: 'changed' as const },
  ];
  it('counts each kind', () => {
    expect(countChanges(changes)).toEqual({ added: 2, changed: 2, deleted: 1 });
  });
  it('sorts a parent right before its children and filters by kind', () => {
    expect(visibleChanges(changes, new Set(['added', 'changed', 'deleted'])).map((c) => [c.path, c.depth])).toEqual([
      ['/etc', 0],
      ['/etc/hosts', 1],
      ['/tmp', 0],
      ['/tmp/b', 1],
      ['/tmp-x', 0],
    ]);
    expect(visibleChanges(changes, new Set(['added'])).map((c) => c.path)).toEqual(['/tmp/b', '/tmp-x']);
    expect(comparePaths('/a', '/a/b')).toBeLessThan(0);
  });
});
