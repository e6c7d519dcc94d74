/**
 * The layer graph bench (run by test/bench/run.ts, `npm run bench`), on a lab engine seeded with 1,000 extra images,
 * measured in the same run:
 *
 *   (a) the engine's own inspect time: GET /images/{id}/json for every listed image, 8 at a time, raw over the socket
 *   (b) layers.graph through the engine service: cold (a fresh service: list + inspect + history per image), then warm
 *   (c) toLayerGraph over that answer
 *   (d) layoutLayerGraph (renderer/src/features/graph/layout.ts) over that graph
 *
 * and the ratio (model + layout) / engine inspect time, target <= 0.5. Prints a Markdown table for BENCHMARKS.md.
 */
import { request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { GraphImageData } from '../../shared/api';
import { toLayerGraph, type LayerGraph } from '../../shared/graph';
import { mapBounded } from '../../electron/engine/images/history';
import { createEngineService } from '../../electron/engine/host/service';
import type { LabInfo } from '../lab/lab';
import { quantile, time } from './bench';

const CONCURRENCY = 8;
/** Cold layers.graph and the raw inspects read ~1,000 images each run: a few runs are enough. */
const ENGINE_RUNS = Number(process.env.BENCH_GRAPH_RUNS ?? 5);
/** The pure steps are fast: more runs steady the median. */
const PURE_RUNS = Number(process.env.BENCH_PURE_RUNS ?? 30);

const LAYOUT_MODULE = join(__dirname, '../../renderer/src/features/graph/layout.ts');

type Layout = (graph: LayerGraph, options: { readonly collapsed: ReadonlySet<string> }) => unknown;

function rawGetJson(socketPath: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`GET ${path} answered ${res.statusCode}: ${text}`));
        else resolve(JSON.parse(text) as unknown);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function listedIds(socketPath: string): Promise<string[]> {
  const list = (await rawGetJson(socketPath, '/images/json')) as { Id: string }[];
  return list.map((image) => image.Id);
}

/** (a): every listed image's inspect, `CONCURRENCY` at a time, straight from the engine socket. */
async function rawInspectAll(socketPath: string, ids: readonly string[]): Promise<void> {
  await mapBounded(ids, CONCURRENCY, (id) => rawGetJson(socketPath, `/images/${id}/json`));
}

/** (b): layers.graph on a fresh service (nothing cached), then again on the same one (list only). */
async function graphColdWarm(info: LabInfo): Promise<{ cold: number; warm: number; answer: GraphImageData[] }> {
  const service = createEngineService({ host: info.dockerHost, env: {} });
  try {
    let answer: GraphImageData[] = [];
    const cold = await time(async () => {
      answer = await service.handlers['layers.graph']({});
    });
    const warm = await time(() => service.handlers['layers.graph']({}));
    return { cold, warm, answer };
  } finally {
    await service.close();
  }
}

async function loadLayout(): Promise<Layout | undefined> {
  if (!existsSync(LAYOUT_MODULE)) return undefined;
  // Loaded by path: the node typecheck does not see the renderer (its d3 types need the DOM library).
  const module = (await import(pathToFileURL(LAYOUT_MODULE).href)) as { layoutLayerGraph?: unknown };
  return typeof module.layoutLayerGraph === 'function' ? (module.layoutLayerGraph as Layout) : undefined;
}

function timeSync(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** Measures the layer graph on a lab engine that is already seeded. */
export async function benchGraph(info: LabInfo): Promise<void> {
  const ids = await listedIds(info.socketPath);
  const layout = await loadLayout();

  // Warm-up: the engine's own caches, the JIT.
  await rawInspectAll(info.socketPath, ids);
  const first = await graphColdWarm(info);
  if (first.answer.length !== ids.length) {
    throw new Error(`layers.graph returned ${first.answer.length} images, the engine lists ${ids.length}`);
  }

  const inspect: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  let answer = first.answer;
  for (let i = 0; i < ENGINE_RUNS; i += 1) {
    // Alternate the order so drift in the machine's speed hits both sides alike.
    const measureRaw = async (): Promise<void> => {
      inspect.push(await time(() => rawInspectAll(info.socketPath, ids)));
    };
    const measureGraph = async (): Promise<void> => {
      const run = await graphColdWarm(info);
      cold.push(run.cold);
      warm.push(run.warm);
      answer = run.answer;
    };
    if (i % 2 === 0) {
      await measureRaw();
      await measureGraph();
    } else {
      await measureGraph();
      await measureRaw();
    }
  }

  const model: number[] = [];
  const layoutTimes: number[] = [];
  let graph = toLayerGraph(answer);
  for (let i = 0; i < 3; i += 1) layout?.(toLayerGraph(answer), { collapsed: new Set() });
  for (let i = 0; i < PURE_RUNS; i += 1) {
    model.push(
      timeSync(() => {
        graph = toLayerGraph(answer);
      }),
    );
    if (layout) layoutTimes.push(timeSync(() => layout(graph, { collapsed: new Set() })));
  }

  const inspectMedian = quantile(inspect, 0.5);
  const modelMedian = quantile(model, 0.5);
  const layoutMedian = layout ? quantile(layoutTimes, 0.5) : 0;
  const row = (figure: string, values: readonly number[], target = ''): string =>
    `| ${figure} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.9))} | ${target} |`;

  console.log('');
  console.log(
    `Layer graph: ${ids.length} images, ${graph.nodes.size} layers, ${graph.roots.length} root(s); ` +
      `${ENGINE_RUNS} engine runs (alternating), ${PURE_RUNS} runs of the pure steps`,
  );
  console.log('');
  console.log('| figure | median | p90 | target |');
  console.log('| --- | --- | --- | --- |');
  console.log(row(`raw GET /images/{id}/json × ${ids.length}, ${CONCURRENCY} at a time (engine socket)`, inspect));
  console.log(row('layers.graph, cold (list + inspect + history per image)', cold));
  console.log(row('layers.graph, warm (list only)', warm));
  console.log(row('toLayerGraph', model));
  if (layout) console.log(row('layoutLayerGraph (nothing collapsed)', layoutTimes));
  else console.log('| layout: not measured | | | |');
  console.log(
    `| ratio (toLayerGraph + layout) / raw inspects (medians) | ${((modelMedian + layoutMedian) / inspectMedian).toFixed(3)} | | ≤ 0.5 |`,
  );
  console.log(
    `| ratio layers.graph cold / raw inspects (medians) | ${(quantile(cold, 0.5) / inspectMedian).toFixed(2)} | | |`,
  );
  console.log(
    `| ratio layers.graph warm / raw inspects (medians) | ${(quantile(warm, 0.5) / inspectMedian).toFixed(2)} | | |`,
  );
}
