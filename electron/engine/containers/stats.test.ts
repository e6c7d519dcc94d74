import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStatsFilter, cpuPercentOf, isIdleStats, memoryUsedOf, toStatsSample } from './stats';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/watches', name), 'utf8')) as unknown;

describe('stats samples like docker stats', () => {
  it('cgroup v1: CPU from precpu, memory without total_inactive_file, networks and blkio summed', () => {
    const sample = toStatsSample(fixture('stats-cgroup-v1.json'), 1);
    expect(sample.time).toBe(Date.parse('2026-11-25T03:40:01.123Z'));
    // (100215355 - 100093996) / (739306590000000 - 739302590000000) * 4 CPUs * 100
    expect(sample.cpuPercent).toBeCloseTo((121359 / 4e9) * 4 * 100, 10);
    expect(sample.memoryUsed).toBe(6537216 - 1048576);
    expect(sample.memoryLimit).toBe(8217579520);
    expect(sample.networkRx).toBe(5338 + 4641);
    expect(sample.networkTx).toBe(648 + 690);
    // "Read"/"Write" of both devices; Sync, Async and Total are not counted twice.
    expect(sample.blockRead).toBe(1048576 + 2048);
    expect(sample.blockWrite).toBe(4096 + 8192);
    expect(sample.pids).toBe(3);
  });

  it('cgroup v2, first sample of a stream: no usable precpu, so CPU is null; memory without inactive_file', () => {
    const sample = toStatsSample(fixture('stats-cgroup-v2-first.json'), 1);
    expect(sample.cpuPercent).toBeNull();
    expect(sample.memoryUsed).toBe(4444160 - 2883584);
    expect(sample.memoryLimit).toBe(4108275712);
    expect(sample.blockRead).toBe(3153920);
    expect(sample.blockWrite).toBe(12288);
    expect(sample.networkRx).toBe(0);
    expect(sample.networkTx).toBe(0);
    expect(sample.pids).toBe(1);
  });

  it('cgroup v2, later sample: 500 ms of CPU in 2 s of system time on 2 CPUs is 50 %', () => {
    const raw = fixture('stats-cgroup-v2-next.json');
    expect(cpuPercentOf(raw)).toBeCloseTo(50, 10);
    // inactive_file larger than usage: the CLI falls back to usage.
    expect(memoryUsedOf(raw)).toBe(4444160);
    const sample = toStatsSample(raw, 1);
    expect(sample.blockRead).toBe(3153920 + 1000);
    expect(sample.blockWrite).toBe(16384);
    expect(sample.pids).toBe(2);
  });

  it('counts CPUs from percpu_usage when online_cpus is missing, and no progress is 0 %', () => {
    const raw = {
      read: '2026-01-01T00:00:01Z',
      cpu_stats: { cpu_usage: { total_usage: 200, percpu_usage: [1, 1, 1] }, system_cpu_usage: 1100 },
      precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 100 },
    };
    expect(cpuPercentOf(raw)).toBeCloseTo((100 / 1000) * 3 * 100, 10);
    expect(cpuPercentOf({ ...raw, cpu_stats: { ...raw.cpu_stats, cpu_usage: { total_usage: 100 } } })).toBe(0);
  });

  it('a container that is not running: one zero sample, then quiet until real samples come again', () => {
    const idle = fixture('stats-not-running.json');
    expect(isIdleStats(idle)).toBe(true);
    expect(isIdleStats(fixture('stats-cgroup-v1.json'))).toBe(false);
    let t = 1000;
    const filter = createStatsFilter(() => t);
    const first = filter(idle);
    expect(first).toEqual({
      time: 1000,
      cpuPercent: null,
      memoryUsed: 0,
      memoryLimit: 0,
      networkRx: 0,
      networkTx: 0,
      blockRead: 0,
      blockWrite: 0,
      pids: null,
    });
    t = 2000;
    expect(filter(idle)).toBeUndefined();
    expect(filter(idle)).toBeUndefined();
    const running = filter(fixture('stats-cgroup-v2-next.json'));
    expect(running?.memoryLimit).toBe(4108275712);
    // Stopped again: one more zero sample.
    expect(filter(idle)?.memoryLimit).toBe(0);
  });
});
