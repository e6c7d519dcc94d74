/**
 * npm run bench: starts one lab, seeds it with 1,000 extra images once, then runs the images.list bench
 * (test/bench/bench.ts), the layer graph bench (test/bench/graph-bench.ts) and the Layers view frame-rate bench
 * (test/bench/fps.ts) and the disk usage bench (test/bench/df-bench.ts: /system/df against the Disk view's fast parts)
 * on it, and stops the lab. BENCH_ONLY=images,graph,fps,df (a comma list) runs only those parts.
 * The seed is the FOREST shape (test/bench/seed-many.ts: 10 trees of 10 families of 10 images, chains of 11 layers);
 * BENCH_SHAPE=star seeds the earlier shape (base + one layer per image). BENCH_IMAGES, BENCH_RUNS, BENCH_GRAPH_RUNS,
 * BENCH_PURE_RUNS and BENCH_FPS_MS change the sizes.
 */
import { performance } from 'node:perf_hooks';
import { startLab } from '../lab/lab';
import { benchImagesList } from './bench';
import { benchDiskUsage } from './df-bench';
import { benchFps } from './fps';
import { benchGraph } from './graph-bench';
import { FOREST, seedMany, seedShape } from './seed-many';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 1000);
const SHAPE = process.env.BENCH_SHAPE === 'star' ? {} : FOREST;
const PARTS = ['images', 'graph', 'fps', 'df'] as const;
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((part) => part.trim())
  .filter((part) => part !== '');
const runs = (part: (typeof PARTS)[number]): boolean => ONLY.length === 0 || ONLY.includes(part);

async function main(): Promise<void> {
  const unknown = ONLY.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) {
    throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; pick from ${PARTS.join(', ')}`);
  }
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
    if (runs('images')) await benchImagesList(lab.info);
    if (runs('graph')) await benchGraph(lab.info);
    if (runs('fps')) await benchFps(lab.info);
    // Last: it adds containers and volumes (and removes them when it ends).
    if (runs('df')) await benchDiskUsage(lab.info);
  } finally {
    await lab.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
