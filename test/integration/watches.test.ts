/**
 * containers.logsWatch / containers.statsWatch / watches.renew / watches.stop on the lab engine: non-TTY logs keep
 * stdout and stderr apart with timestamps, TTY logs are stdout, a followed log delivers new lines as they are
 * written and ends with no error when the container exits; stats samples carry a memory limit; a stopped watch
 * goes quiet; an unrenewed watch expires; a removed container ends its watch with not_found.
 * Containers: `t-watch-*`, network none, label strata.test=watches, removed in afterAll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, StatsSample, StrataEvent } from '../../shared/api';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

const RAND = Math.random().toString(36).slice(2, 8);
const IMAGE = 'lab/tool:1.0';
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/;

let lab: LabInfo;
let sut: ServiceUnderTest;
const made: string[] = [];

async function run(name: string, args: readonly string[], opts: readonly string[] = []): Promise<string> {
  const full = `t-watch-${name}-${RAND}`;
  made.push(full);
  await labDocker(lab, [
    'run',
    '-d',
    '--name',
    full,
    '--network',
    'none',
    '--label',
    'strata.test=watches',
    ...opts,
    IMAGE,
    ...args,
  ]);
  return full;
}

function logsOf(events: readonly StrataEvent[], watchId: string): LogLine[] {
  return events.flatMap((e) => (e.type === 'watch.logs' && e.watchId === watchId ? e.lines : []));
}

function samplesOf(events: readonly StrataEvent[], watchId: string): StatsSample[] {
  return events.flatMap((e) => (e.type === 'watch.stats' && e.watchId === watchId ? [e.sample] : []));
}

const endOf = (watchId: string) => (e: StrataEvent) => e.type === 'watch.end' && e.watchId === watchId;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost, { watchEvents: false });
});

afterAll(async () => {
  await sut.close();
  if (made.length > 0) await labDocker(lab, ['rm', '-f', '-v', ...made]).catch(() => undefined);
});

describe('logs', () => {
  it('non-TTY: stdout and stderr lines apart, with timestamps; the ended log ends the watch with no error', async () => {
    const name = await run('out', ['sh', '-c', 'echo out one; echo err one >&2; echo out two; printf "no newline"']);
    await labDocker(lab, ['wait', name]);
    const { watchId } = await sut.service.handlers['containers.logsWatch']({
      container: name,
      follow: true,
      timestamps: true,
      tail: 1000,
    });
    const end = await sut.waitFor(endOf(watchId), 20_000);
    expect(end).toEqual({ type: 'watch.end', watchId, error: null });
    const lines = logsOf(sut.events, watchId);
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(['out one', 'out two', 'no newline']);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['err one']);
    for (const line of lines) expect(line.time).toMatch(TIME);
  });

  it("TTY: one stream, reported as stdout, without the terminal's carriage returns", async () => {
    const name = await run('tty', ['sh', '-c', 'echo tty one; echo tty two >&2; echo tty three'], ['-t']);
    await labDocker(lab, ['wait', name]);
    const { watchId } = await sut.service.handlers['containers.logsWatch']({
      container: name,
      follow: false,
      timestamps: false,
      tail: 1000,
    });
    await sut.waitFor(endOf(watchId), 20_000);
    const lines = logsOf(sut.events, watchId);
    expect(lines).toEqual([
      { stream: 'stdout', text: 'tty one', time: null },
      { stream: 'stdout', text: 'tty two', time: null },
      { stream: 'stdout', text: 'tty three', time: null },
    ]);
  });

  it('follow: new lines arrive while the container writes them, then watch.end with error null on exit', async () => {
    const ticks = Array.from({ length: 12 }, (_, i) => i + 1).join(' ');
    const name = await run('follow', ['sh', '-c', `for i in ${ticks}; do echo tick $i; sleep 0.2; done`]);
    const { watchId } = await sut.service.handlers['containers.logsWatch']({
      container: name,
      follow: true,
      timestamps: true,
      tail: 0,
    });
    const started = Date.now();
    const end = await sut.waitFor(endOf(watchId), 30_000);
    expect(end).toEqual({ type: 'watch.end', watchId, error: null });
    const batches = sut.events.filter(
      (e): e is Extract<StrataEvent, { type: 'watch.logs' }> => e.type === 'watch.logs' && e.watchId === watchId,
    );
    // Written over ~2.4 s, so they came in several batches, not all at the end.
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeGreaterThan(1000);
    const texts = logsOf(sut.events, watchId).map((l) => l.text);
    // tail 0 may miss the first ticks written before the watch opened; the rest are in order, up to the last.
    expect(texts.at(-1)).toBe('tick 12');
    const numbers = texts.map((t) => Number(t.replace('tick ', '')));
    for (let i = 1; i < numbers.length; i += 1) expect(numbers[i]).toBe((numbers[i - 1] ?? 0) + 1);
    expect(numbers.length).toBeGreaterThanOrEqual(8);
  });

  it('a flooding container: batches stay within 1,000 lines, the rest is counted as dropped', async () => {
    const name = await run('flood', ['sh', '-c', 'i=0; while [ $i -lt 60000 ]; do echo "noise $i"; i=$((i+1)); done']);
    await labDocker(lab, ['wait', name]);
    const { watchId } = await sut.service.handlers['containers.logsWatch']({
      container: name,
      follow: true,
      timestamps: false,
      tail: 100_000,
    });
    await sut.waitFor(endOf(watchId), 60_000);
    const batches = sut.events.filter(
      (e): e is Extract<StrataEvent, { type: 'watch.logs' }> => e.type === 'watch.logs' && e.watchId === watchId,
    );
    for (const batch of batches) expect(batch.lines.length).toBeLessThanOrEqual(1000);
    const shown = batches.reduce((n, b) => n + b.lines.length, 0);
    const dropped = batches.reduce((n, b) => n + b.dropped, 0);
    expect(shown + dropped).toBe(60_000);
    expect(dropped).toBeGreaterThan(0);
    expect(batches.at(-1)?.lines.at(-1)?.text).toBe('noise 59999');
  });

  it('a 40 kB line arrives cut at 16 KiB and marked, the next line intact', async () => {
    const name = await run('long', ['sh', '-c', 'dd if=/dev/zero bs=40000 count=1 2>/dev/null; echo; echo after']);
    await labDocker(lab, ['wait', name]);
    const { watchId } = await sut.service.handlers['containers.logsWatch']({
      container: name,
      follow: false,
      timestamps: false,
      tail: 100,
    });
    await sut.waitFor(endOf(watchId), 20_000);
    const lines = logsOf(sut.events, watchId);
    expect(lines.map((l) => l.text)).toEqual([`${'\0'.repeat(16 * 1024)}…`, 'after']);
  });

  it('an unknown container is refused plainly', async () => {
    await expect(
      sut.service.handlers['containers.logsWatch']({
        container: `t-watch-nope-${RAND}`,
        follow: true,
        timestamps: true,
        tail: 10,
      }),
    ).rejects.toMatchObject({ code: 'not_found', message: `No container named "t-watch-nope-${RAND}".` });
  });
});

describe('stats', () => {
  let sleeper: string;
  beforeAll(async () => {
    sleeper = await run('stats', ['sleep', '100000']);
  });

  it('samples carry memory use and limit; watches.stop ends the watch and no more samples come', async () => {
    const { watchId } = await sut.service.handlers['containers.statsWatch']({ container: sleeper });
    await sut.waitFor(() => samplesOf(sut.events, watchId).length >= 2, 20_000);
    const samples = samplesOf(sut.events, watchId);
    const [first, second] = samples;
    expect(first?.memoryLimit).toBeGreaterThan(0);
    expect(first?.memoryUsed).toBeGreaterThan(0);
    expect(second?.cpuPercent).toEqual(expect.any(Number));
    expect(second?.time).toBeGreaterThan(first?.time ?? Infinity);
    expect(second?.pids).toBeGreaterThanOrEqual(1);

    expect(await sut.service.handlers['watches.renew']({ watchIds: [watchId, 'wnothing'] })).toEqual({
      alive: [watchId],
    });
    expect(await sut.service.handlers['watches.stop']({ watchId })).toEqual({ stopped: true });
    const count = samplesOf(sut.events, watchId).length;
    await sleep(2500);
    expect(samplesOf(sut.events, watchId).length).toBe(count);
    expect(sut.events.filter(endOf(watchId))).toEqual([{ type: 'watch.end', watchId, error: null }]);
    expect(await sut.service.handlers['watches.stop']({ watchId })).toEqual({ stopped: false });
    expect(await sut.service.handlers['watches.renew']({ watchIds: [watchId] })).toEqual({ alive: [] });
  });

  it('a watch nobody renews expires by itself', async () => {
    const short = serviceOn(lab.dockerHost, { watchEvents: false, watchExpiryMs: 1500 });
    try {
      const { watchId } = await short.service.handlers['containers.statsWatch']({ container: sleeper });
      const end = await short.waitFor(endOf(watchId), 10_000);
      expect(end).toMatchObject({ error: { code: 'cancelled' } });
      expect(await short.service.handlers['watches.renew']({ watchIds: [watchId] })).toEqual({ alive: [] });
      const count = samplesOf(short.events, watchId).length;
      await sleep(2000);
      expect(samplesOf(short.events, watchId).length).toBe(count);
    } finally {
      await short.close();
    }
  });

  it('a removed container ends its watch with not_found', async () => {
    const doomed = await run('doomed', ['sleep', '100000']);
    const { watchId } = await sut.service.handlers['containers.statsWatch']({ container: doomed });
    await sut.waitFor(() => samplesOf(sut.events, watchId).length >= 1, 20_000);
    await labDocker(lab, ['rm', '-f', doomed]);
    const end = await sut.waitFor(endOf(watchId), 20_000);
    expect(end).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining(doomed) as string } });
  });

  it('a container that is not running: one zero sample, the watch stays open', async () => {
    const stopped = await run('stopped', ['true']);
    await labDocker(lab, ['wait', stopped]);
    const { watchId } = await sut.service.handlers['containers.statsWatch']({ container: stopped });
    await sut.waitFor(() => samplesOf(sut.events, watchId).length >= 1, 20_000);
    await sleep(2500);
    const samples = samplesOf(sut.events, watchId);
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ cpuPercent: null, memoryUsed: 0, memoryLimit: 0 });
    expect(sut.events.filter(endOf(watchId))).toEqual([]);
    expect(await sut.service.handlers['watches.stop']({ watchId })).toEqual({ stopped: true });
  });
});
