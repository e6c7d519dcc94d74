/**
 * The images.list bench (run by test/bench/run.ts, `npm run bench`): a ratio against the raw engine call, measured in
 * the same run on the lab engine,
 *
 *   images.list through the browser API  /  GET /images/json straight from the engine socket
 *
 * with the lab seeded with 1,000 extra images. Prints a Markdown table for BENCHMARKS.md.
 */
import { request } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { LabInfo } from '../lab/lab';
import { serveApp } from '../e2e/harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function rawImagesJson(socketPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/images/json', method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
        resolve(parsed.length);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function apiImagesList(origin: string, token: string): Promise<number> {
  const res = await fetch(`${origin}/api/images.list`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`images.list answered ${res.status}: ${await res.text()}`);
  const parsed = (await res.json()) as unknown[];
  return parsed.length;
}

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[index] ?? Number.NaN;
}

/** Measures images.list against GET /images/json on a lab engine that is already seeded. */
export async function benchImagesList(info: LabInfo): Promise<void> {
  let stopApp: (() => Promise<void>) | undefined;
  try {
    const app = await serveApp(info.dockerHost);
    stopApp = app.stop;

    const rawCount = await rawImagesJson(info.socketPath);
    const apiCount = await apiImagesList(app.origin, app.token);
    if (rawCount !== apiCount) throw new Error(`images.list returned ${apiCount} images, the engine ${rawCount}`);

    for (let i = 0; i < 5; i += 1) {
      await rawImagesJson(info.socketPath);
      await apiImagesList(app.origin, app.token);
    }
    const raw: number[] = [];
    const api: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      // Alternate the order so drift in the machine's speed hits both sides alike.
      const measureRaw = () => time(() => rawImagesJson(info.socketPath));
      const measureApi = () => time(() => apiImagesList(app.origin, app.token));
      let a: number;
      let b: number;
      if (i % 2 === 0) {
        a = await measureRaw();
        b = await measureApi();
      } else {
        b = await measureApi();
        a = await measureRaw();
      }
      raw.push(a);
      api.push(b);
      ratios.push(b / a);
    }

    const rawMedian = quantile(raw, 0.5);
    const apiMedian = quantile(api, 0.5);
    const ratio = quantile(ratios, 0.5);
    console.log('');
    console.log(
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    );
    console.log(`Engine: lab dockerd (${info.socketPath}), ${rawCount} images, ${RUNS} runs each, alternating`);
    console.log('');
    console.log('| figure | median | p90 | target |');
    console.log('| --- | --- | --- | --- |');
    console.log(
      `| raw GET /images/json (engine socket) | ${rawMedian.toFixed(1)} ms | ${quantile(raw, 0.9).toFixed(1)} ms | |`,
    );
    console.log(`| images.list via browser API | ${apiMedian.toFixed(1)} ms | ${quantile(api, 0.9).toFixed(1)} ms | |`);
    console.log(
      `| ratio images.list / raw (pairwise median) | ${ratio.toFixed(2)} | ${quantile(ratios, 0.9).toFixed(2)} | ≤ 1.2 |`,
    );
  } finally {
    await stopApp?.();
  }
}
