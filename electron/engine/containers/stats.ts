/**
 * Live stats as `watch.stats` samples: GET /containers/{id}/stats?stream=1 sends one JSON a line about every
 * second; each becomes a StatsSample computed as `docker stats` computes it (docker/cli
 * cli/command/container/stats_helpers.go): CPU % from the delta to precpu_stats, memory without the inactive page
 * cache (cgroup v1 total_inactive_file, cgroup v2 inactive_file), network summed over interfaces, block I/O from
 * io_service_bytes_recursive.
 *
 * A container that is not running: the engine sends samples with zeros (no `read` time). The watch stays open and
 * reports one zero sample (cpuPercent null, memoryLimit 0: "not running"), then nothing until the container runs
 * again, when real samples resume. The stream ends when the container is removed.
 */
import type { ParsedArgsOf, StatsSample } from '../../../shared/api';
import type { EngineContext } from '../host/context';
import { httpError } from '../core/errors';
import { forEachJsonLine } from '../events/events';
import { statsSampleSchema, type StatsAnswer } from '../core/answers';
import {
  closingOnAbort,
  containerPathOf,
  inspectContainer,
  noSuchContainer,
  readErrorBody,
  type OpenedWatch,
} from './logs';

/** The engine's `read` time, or undefined for the zero time of a container that is not running. */
function readTime(stats: StatsAnswer): number | undefined {
  if (stats.read === undefined) return undefined;
  const time = Date.parse(stats.read);
  return Number.isFinite(time) && time > 0 ? time : undefined;
}

/** True for the empty sample the engine sends while a container is not running. */
export function isIdleStats(raw: unknown): boolean {
  return readTime(statsSampleSchema.parse(raw)) === undefined;
}

/** CPU % like calculateCPUPercentUnix; null when precpu_stats is not usable (the first sample of a stream). */
export function cpuPercentOf(raw: unknown): number | null {
  return cpuPercent(statsSampleSchema.parse(raw));
}

function cpuPercent({ cpu_stats: cpu, precpu_stats: pre }: StatsAnswer): number | null {
  const preSystem = pre.system_cpu_usage;
  if (preSystem === 0) return null;
  const cpuDelta = cpu.cpu_usage.total_usage - pre.cpu_usage.total_usage;
  const systemDelta = cpu.system_cpu_usage - preSystem;
  const online = cpu.online_cpus !== 0 ? cpu.online_cpus : cpu.cpu_usage.percpu_usage;
  if (systemDelta > 0 && cpuDelta > 0) return (cpuDelta / systemDelta) * online * 100;
  return 0;
}

/** Memory like calculateMemUsageUnixNoCache: usage minus the inactive file cache (cgroup v1 or v2). */
export function memoryUsedOf(raw: unknown): number {
  return memoryUsed(statsSampleSchema.parse(raw));
}

function memoryUsed({ memory_stats: memory }: StatsAnswer): number {
  const { usage, stats } = memory;
  const v1 = stats.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = stats.inactive_file;
  if (v2 < usage) return usage - v2;
  return usage;
}

/** One engine stats JSON to a sample; `fallbackTime` stands in when the engine sent no read time. */
export function toStatsSample(raw: unknown, fallbackTime: number): StatsSample {
  const s = statsSampleSchema.parse(raw);
  let networkRx = 0;
  let networkTx = 0;
  for (const iface of s.networks) {
    networkRx += iface.rx_bytes;
    networkTx += iface.tx_bytes;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const { op, value } of s.blkio_stats.io_service_bytes_recursive) {
    const first = op === undefined ? '' : op.charAt(0).toLowerCase();
    if (first === 'r') blockRead += value;
    else if (first === 'w') blockWrite += value;
  }
  return {
    time: readTime(s) ?? fallbackTime,
    cpuPercent: cpuPercent(s),
    memoryUsed: memoryUsed(s),
    memoryLimit: s.memory_stats.limit,
    networkRx,
    networkTx,
    blockRead,
    blockWrite,
    pids: s.pids_stats.current,
  };
}

/** The zero sample shown once while a container is not running. */
export function idleSample(time: number): StatsSample {
  return {
    time,
    cpuPercent: null,
    memoryUsed: 0,
    memoryLimit: 0,
    networkRx: 0,
    networkTx: 0,
    blockRead: 0,
    blockWrite: 0,
    pids: null,
  };
}

/**
 * Turns the engine's samples into the ones to emit: real samples pass, a run of idle (not running) samples
 * becomes a single zero sample.
 */
export function createStatsFilter(now: () => number): (raw: unknown) => StatsSample | undefined {
  let idle = false;
  return (raw) => {
    if (isIdleStats(raw)) {
      if (idle) return undefined;
      idle = true;
      return idleSample(now());
    }
    idle = false;
    return toStatsSample(raw, now());
  };
}

type StatsArgs = ParsedArgsOf<'containers.statsWatch'>;

export async function openStats(
  ctx: Pick<EngineContext, 'engine'>,
  args: StatsArgs,
  onSample: (sample: StatsSample) => void,
  now: () => number = Date.now,
): Promise<OpenedWatch> {
  const inspected = await inspectContainer(ctx, args.container);
  const id = inspected.Id !== '' ? inspected.Id : args.container;
  const res = await ctx.engine().stream({
    method: 'GET',
    path: `/containers/${containerPathOf(id)}/stats`,
    query: { stream: 1 },
  });
  if (res.status !== 200) {
    const body = await readErrorBody(res.stream);
    if (res.status === 404) throw noSuchContainer(args.container);
    throw httpError(res.status, body, { operation: 'inspect' });
  }
  return {
    containerId: id,
    pump: (signal) => {
      const filter = createStatsFilter(now);
      return closingOnAbort(res.stream, signal, () =>
        forEachJsonLine(res.stream, (value) => {
          if (signal.aborted) return;
          const sample = filter(value);
          if (sample !== undefined) onSample(sample);
        }),
      );
    },
  };
}
