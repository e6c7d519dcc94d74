/**
 * A dockerd SIGKILLed in the middle of a pull: the job fails with a readable error, the service
 * reports the engine down, keeps serving, and sees it come back. Restarts the engine before it ends.
 */
import { describe, expect, it } from 'vitest';
import { killEngine, labInfo, startEngine, startThrottleProxy } from '../lab/context';
import { serviceOn } from './engine-helpers';

describe('a dockerd killed during a pull', () => {
  it('fails the job with a readable error, reports the engine down, and the service keeps serving', async () => {
    const lab = labInfo();
    const proxy = await startThrottleProxy(lab.registry, { bytesPerSecond: 500_000 });
    const reference = `${proxy.address}/lab/big:1.0`;
    const sut = serviceOn(lab.dockerHost, { requestTimeoutMs: 5_000 });
    try {
      await killDuringPull();
      // Back: the next call works and the status flips to connected.
      await expect(sut.service.handlers['images.list']({})).resolves.toBeDefined();
      const last = sut.events.filter((e) => e.type === 'engine.status').at(-1);
      expect(last).toMatchObject({ status: { state: 'connected' } });
    } finally {
      await sut.close();
    }

    async function killDuringPull(): Promise<void> {
      try {
        await sut.service.handlers['engine.ping']({});
        const { jobId } = await sut.service.handlers['images.pull']({ reference });
        await sut.waitFor(
          (e) => e.type === 'job.progress' && e.jobId === jobId && e.progress.layers.some((l) => l.current > 0),
          60_000,
        );
        await killEngine(lab);
        const job = await sut.waitForEnd(jobId, 30_000);
        expect(job.state).toBe('failed');
        expect(job.error?.code).toBe('engine_unreachable');
        expect(job.error?.message).toContain(lab.dockerHost);
        expect(job.error?.message).toMatch(/during the pull of .*lab\/big:1\.0/);
        expect(sut.events.some((e) => e.type === 'engine.status' && e.status.state === 'unreachable')).toBe(true);
        // The service still answers, quickly and clearly.
        const jobs = await sut.service.handlers['jobs.list']({});
        expect(jobs.find((j) => j.id === jobId)?.state).toBe('failed');
        await expect(sut.service.handlers['images.list']({})).rejects.toMatchObject({ code: 'engine_unreachable' });
      } finally {
        await proxy.close();
        await startEngine(lab);
      }
    }
  });
});
