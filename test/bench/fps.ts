/**
 * The Layers view's frame rate (run by test/bench/run.ts, `npm run bench`, after the graph bench): the built app in
 * browser mode (out/server.cjs) on the seeded lab, in Debian's headless Chromium with --disable-gpu (software
 * rendering, so a floor rather than what a desktop GPU gives).
 *
 *   time to first graph: click "Layers" → the layer graph's SVG holds its first layer (the layers.graph call included)
 *   pan/zoom: for ~3 s, mouse drags over the SVG and wheel zooms in and out, driven by playwright's page.mouse, while a
 *   requestAnimationFrame loop inside the page records frame timestamps
 *
 * and reports median fps, p10 fps (from the p90 frame time) and the share of dropped frames (vsyncs that produced no
 * frame), once for the default view and once after "Expand all". Prints a Markdown table for BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { launchBrowser, openApp, serveApp } from '../e2e/harness';
import type { LabInfo } from '../lab/lab';
import { quantile } from './bench';

const DRIVE_MS = Number(process.env.BENCH_FPS_MS ?? 3000);
/** The nominal frame interval (60 Hz), for counting dropped frames. */
const VSYNC_MS = 1000 / 60;

/**
 * Runs in the page (a string: the node typecheck has no DOM library): records every animation frame's timestamp and
 * counts the frames in which the graph's zoom transform had changed (so the figures are of a moving view).
 */
const START_FRAMES = `(() => {
  const state = { stamps: [], moved: 0, last: null, stop: false };
  window.__strataFrames = state;
  const tick = (t) => {
    state.stamps.push(t);
    const layer = document.querySelector('[data-zoom-layer]');
    const now = layer === null ? null : layer.getAttribute('transform');
    if (state.last !== null && now !== state.last) state.moved += 1;
    state.last = now;
    if (!state.stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
const STOP_FRAMES = `(() => {
  window.__strataFrames.stop = true;
  return { stamps: window.__strataFrames.stamps, moved: window.__strataFrames.moved };
})()`;

interface FrameStats {
  readonly frames: number;
  readonly seconds: number;
  readonly medianFps: number;
  readonly p10Fps: number;
  readonly dropped: number;
  /** Frames in which the zoom transform had changed. */
  readonly moved?: number;
}

function frameStats(stamps: readonly number[]): FrameStats {
  const deltas: number[] = [];
  for (let i = 1; i < stamps.length; i += 1) deltas.push(stamps[i]! - stamps[i - 1]!);
  const span = (stamps.at(-1) ?? 0) - (stamps[0] ?? 0);
  // A frame that took n vsyncs dropped n - 1 of them.
  const missed = deltas.reduce((sum, d) => sum + Math.max(0, Math.round(d / VSYNC_MS) - 1), 0);
  const expected = Math.max(1, Math.round(span / VSYNC_MS));
  return {
    frames: deltas.length,
    seconds: span / 1000,
    medianFps: 1000 / quantile(deltas, 0.5),
    p10Fps: 1000 / quantile(deltas, 0.9),
    dropped: Math.min(1, missed / expected),
  };
}

/** Drags and wheels over the graph for DRIVE_MS while the page records its animation frames. */
async function driveAndMeasure(page: Page): Promise<FrameStats> {
  const box = await page.getByRole('group', { name: 'Layer graph' }).boundingBox();
  if (box === null) throw new Error('the layer graph has no box');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.evaluate(START_FRAMES);
  const end = performance.now() + DRIVE_MS;
  let round = 0;
  while (performance.now() < end) {
    // Pan: a drag along a small circle-ish path, 12 moves.
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let step = 1; step <= 12; step += 1) {
      const angle = (step / 12) * Math.PI * 2 + round;
      await page.mouse.move(cx + 120 * Math.cos(angle), cy + 80 * Math.sin(angle));
    }
    await page.mouse.up();
    // Zoom: 6 wheel notches in, then 6 out, at the pointer.
    for (let step = 0; step < 12; step += 1) {
      await page.mouse.wheel(0, step < 6 ? -100 : 100);
    }
    round += 1;
  }
  const { stamps, moved } = await page.evaluate<{ stamps: unknown; moved: unknown }>(STOP_FRAMES);
  if (!Array.isArray(stamps) || !stamps.every((t): t is number => typeof t === 'number') || typeof moved !== 'number') {
    throw new Error('the page recorded no frame timestamps');
  }
  // The view must actually have moved: an idle page runs at full rate and would measure nothing.
  if (moved < stamps.length / 4) {
    throw new Error(`the graph moved in only ${moved} of ${stamps.length} frames: pan/zoom did not reach it`);
  }
  return { ...frameStats(stamps), moved };
}

const fps = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '–');
const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;

/** Measures the Layers view in Chromium on a lab engine that is already seeded. */
export async function benchFps(info: LabInfo): Promise<void> {
  const app = await serveApp(info.dockerHost);
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('button', { name: 'Layers', exact: true }).waitFor();
    const graph = page.getByRole('group', { name: 'Layer graph' });

    const clicked = performance.now();
    await page.getByRole('button', { name: 'Layers', exact: true }).click();
    await graph.locator('[data-chain-id]').first().waitFor({ timeout: 120_000 });
    const firstGraph = performance.now() - clicked;
    const summary =
      (await page
        .getByText(/^\d+ layers · \d+ images$/)
        .first()
        .textContent()) ?? '';
    const rows: { readonly name: string; readonly drawn: number; readonly stats: FrameStats }[] = [];
    // Zoomed far out over thousands of layers, the view draws an overview on a canvas instead of SVG nodes.
    const overview = page.getByRole('img', { name: /^Overview of \d+ layers/ });
    const measure = async (name: string): Promise<void> => {
      const drawn = await graph.locator('[data-chain-id]').count();
      const label = (await overview.count()) > 0 ? `${name} (canvas overview)` : name;
      rows.push({ name: label, drawn, stats: await driveAndMeasure(page) });
    };
    const fitToView = async (): Promise<void> => {
      await page.getByRole('button', { name: 'Fit to view' }).click();
      // Attached, not visible: fitted to a big graph, a layer's circle can be smaller than a pixel.
      await graph.locator('[data-chain-id]').or(overview).first().waitFor({ state: 'attached', timeout: 120_000 });
    };
    const expandAll = page.getByRole('button', { name: 'Expand all' });
    const collapsedAtStart = (await expandAll.count()) > 0;

    await measure(`as opened (${collapsedAtStart ? 'deep layers collapsed' : 'all layers'})`);
    await fitToView();
    await measure('Fit to view: the whole graph');
    let expandMs: number | undefined;
    let expandFailure: string | undefined;
    if (collapsedAtStart) {
      const start = performance.now();
      try {
        await expandAll.click();
        await expandAll.waitFor({ state: 'detached', timeout: 60_000 });
        await fitToView();
        expandMs = performance.now() - start;
        await measure('Expand all, Fit to view: every layer');
      } catch (error) {
        // Recorded, not thrown: the rows above still stand, and the table says what did not work.
        expandFailure = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      }
    }
    if (errors.length > 0) throw new Error(`page errors during the fps bench: ${errors.join('; ')}`);

    const row = (name: string, s: FrameStats, drawn: number): string =>
      `| ${name} | ${drawn} | ${s.frames} in ${s.seconds.toFixed(1)} s (view moved in ${s.moved ?? 0}) | ${fps(s.medianFps)} | ${fps(s.p10Fps)} | ${pct(s.dropped)} | ≥ 30 |`;
    console.log('');
    console.log(
      `Layers view in Chromium (headless, --disable-gpu: software rendering), 1280×800, ${DRIVE_MS / 1000} s of ` +
        `pan (mouse drags) and zoom (wheel) per row; ${summary}`,
    );
    console.log('');
    console.log(`| figure | value |`);
    console.log(`| --- | --- |`);
    console.log(
      `| time to first graph (click Layers → first layer drawn, layers.graph included) | ${firstGraph.toFixed(0)} ms |`,
    );
    if (expandMs !== undefined) console.log(`| Expand all + Fit to view → redrawn | ${expandMs.toFixed(0)} ms |`);
    if (expandFailure !== undefined) console.log(`| Expand all + Fit to view | **failed**: ${expandFailure} |`);
    console.log('');
    console.log(
      '| view | layers drawn when it starts | frames | median fps | p10 fps (p90 frame time) | dropped frames | target |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(row(r.name, r.stats, r.drawn));
  } finally {
    await browser.close();
    await app.stop();
  }
}
