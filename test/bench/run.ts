/**
 * npm run bench: starts one lab, seeds it with 1,000 extra images once, then runs the images.list bench
 * (test/bench/bench.ts), the layer graph bench (test/bench/graph-bench.ts) and the Layers view frame-rate bench
 * (test/bench/fps.ts) on it, and stops the lab.
 * The seed is the FOREST shape (test/bench/seed-many.ts: 10 trees of 10 families of 10 images, chains of 11 layers);
 * BENCH_SHAPE=star seeds the earlier shape (base + one layer per image). BENCH_IMAGES, BENCH_RUNS, BENCH_GRAPH_RUNS,
 * BENCH_PURE_RUNS and BENCH_FPS_MS change the sizes.
 */
import { performance } from 'node:perf_hooks';
import { startLab } from '../lab/lab';
import { benchImagesList } from './bench';
import { benchFps } from './fps';
import { benchGraph } from './graph-bench';
import { FOREST, seedMany, seedShape } from './seed-many';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 1000);
const SHAPE = process.env.BENCH_SHAPE === 'star' ? {} : FOREST;

async function main(): Promise<void> {
  const shape = seedShape(IMAGES, SHAPE);
  console.log(
    `Starting the lab and seeding ${IMAGES} images (${process.env.BENCH_SHAPE === 'star' ? 'star' : 'forest'}: ` +
      `chains of ${shape.chainLength} layers, ${shape.chainLayers} in all, ${shape.distinctLayers} distinct)…`,
  );
  const lab = await startLab({ seed: true });
  try {
    const seedStart = performance.now();
    await seedMany(lab.info, IMAGES, SHAPE);
    console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    await benchImagesList(lab.info);
    await benchGraph(lab.info);
    await benchFps(lab.info);
  } finally {
    await lab.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
