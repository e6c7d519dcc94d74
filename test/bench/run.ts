/**
 * npm run bench: starts one lab, seeds it with 1,000 extra images once, then runs the images.list bench
 * (test/bench/bench.ts) and the layer graph bench (test/bench/graph-bench.ts) on it, and stops the lab.
 * BENCH_IMAGES, BENCH_RUNS, BENCH_GRAPH_RUNS and BENCH_PURE_RUNS change the sizes.
 */
import { performance } from 'node:perf_hooks';
import { startLab } from '../lab/lab';
import { benchImagesList } from './bench';
import { benchGraph } from './graph-bench';
import { seedMany } from './seed-many';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 1000);

async function main(): Promise<void> {
  console.log(`Starting the lab and seeding ${IMAGES} images…`);
  const lab = await startLab({ seed: true });
  try {
    const seedStart = performance.now();
    await seedMany(lab.info, IMAGES);
    console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    await benchImagesList(lab.info);
    await benchGraph(lab.info);
  } finally {
    await lab.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
