/**
 * The Layers view, in browser mode, in Debian's Chromium, on the lab engine: the seeded images as one forest of
 * layers, "Find image", the layer panel, and the SVG/PNG exports.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const SCREENSHOTS = join(__dirname, '../../docs/screenshots');

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let downloads: string;

beforeAll(async () => {
  info = labInfo();
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  downloads = mkdtempSync(join(tmpdir(), 'strata-graph-'));
});

beforeEach(async () => {
  if (page !== undefined) await page.context().close();
  ({ page, errors: pageErrors } = await openApp(browser, app));
  await page.getByRole('button', { name: 'Layers', exact: true }).click();
  await graph().locator('[data-chain-id]').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (downloads !== undefined) rmSync(downloads, { recursive: true, force: true });
});

function graph() {
  return page.getByRole('group', { name: 'Layer graph' });
}

/** RootFS layer count of a lab image, from the engine. */
async function layerCount(reference: string): Promise<number> {
  return Number((await labDocker(info, ['image', 'inspect', '--format', '{{len .RootFS.Layers}}', reference])).trim());
}

/** The chain ID of an image's first layer is its first diff ID (OCI image spec). */
async function firstLayer(reference: string): Promise<string> {
  return (await labDocker(info, ['image', 'inspect', '--format', '{{index .RootFS.Layers 0}}', reference])).trim();
}

/** The chain IDs of these nodes, in document (layout) order. */
async function chainIds(nodes: Locator): Promise<string[]> {
  const ids: string[] = [];
  for (const node of await nodes.all()) ids.push((await node.getAttribute('data-chain-id')) ?? '');
  return ids;
}

/** Types into "Find image" and returns the chain IDs the view marks as the path, root first. */
async function pathOf(reference: string): Promise<string[]> {
  await page.getByRole('searchbox', { name: 'Find image' }).fill(reference);
  await page.getByRole('status', { name: 'Search result' }).filter({ hasText: 'from the base up' }).waitFor();
  await expect
    .poll(async () => (await page.getByRole('status', { name: 'Search result' }).textContent()) ?? '')
    .toContain(reference);
  return chainIds(graph().locator('[data-on-path="true"]'));
}

describe('Layers view', () => {
  it('shows the seeded branching: base → app → app-debug, base → tool → tool-extra', async () => {
    const images = info.images;
    for (const name of [images.appDebug, images.tool, images.toolExtra]) {
      await graph()
        .getByRole('button', { name: `Image ${name}`, exact: true })
        .waitFor();
    }
    // lab/app:1.0 has three tags: one marker, named by one of them.
    await graph()
      .getByRole('button', { name: /^Image lab\/app:(1\.0|latest|stable)$/ })
      .waitFor();

    const base = await pathOf(images.base);
    const appPath = await pathOf(images.app);
    const debug = await pathOf(images.appDebug);
    const tool = await pathOf(images.tool);
    const extra = await pathOf(images.toolExtra);

    expect(base).toEqual([await firstLayer(images.base)]);
    expect(appPath).toHaveLength(await layerCount(images.app));
    expect(debug).toHaveLength(await layerCount(images.appDebug));
    expect(tool).toHaveLength(await layerCount(images.tool));
    expect(extra).toHaveLength(await layerCount(images.toolExtra));
    // Each child image's chain extends its parent's; app and tool branch right after the base.
    expect(appPath.slice(0, 1)).toEqual(base);
    expect(tool.slice(0, 1)).toEqual(base);
    expect(debug.slice(0, appPath.length)).toEqual(appPath);
    expect(debug.length).toBeGreaterThan(appPath.length);
    expect(extra.slice(0, tool.length)).toEqual(tool);
    expect(extra.length).toBeGreaterThan(tool.length);
    expect(appPath[1]).not.toBe(tool[1]);
    // Shared layers are drawn once.
    const drawn = await chainIds(graph().locator('[data-chain-id]'));
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(pageErrors).toEqual([]);
  });

  it('"Find image" highlights the path of lab/app-debug and dims the rest; clicking its marker opens History', async () => {
    const path = await pathOf(info.images.appDebug);
    expect(path).toHaveLength(await layerCount(info.images.appDebug));
    for (const chainId of path) {
      expect(await graph().locator(`[data-chain-id="${chainId}"]`).getAttribute('aria-current')).toBe('true');
    }
    const toolTip = (await pathOf(info.images.tool)).at(-1)!;
    await pathOf(info.images.appDebug);
    expect(await graph().locator(`[data-chain-id="${toolTip}"]`).getAttribute('aria-current')).toBeNull();
    expect(await graph().locator(`[data-chain-id="${toolTip}"]`).locator('xpath=..').getAttribute('class')).toContain(
      'is-dimmed',
    );

    mkdirSync(SCREENSHOTS, { recursive: true });
    await graph().locator(`[data-chain-id="${path[0]}"]`).click();
    await page.getByRole('complementary', { name: 'Layer details' }).waitFor();
    await page.getByRole('button', { name: 'Fit to view' }).click();
    await page.screenshot({ path: join(SCREENSHOTS, 'layers.png') });

    await graph()
      .getByRole('button', { name: `Image ${info.images.appDebug}`, exact: true })
      .click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'History' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('clicking the shared base layer lists every lab image in "Layer details"', async () => {
    const baseLayer = await firstLayer(info.images.base);
    await graph().locator(`[data-chain-id="${baseLayer}"]`).click();
    const panel = page.getByRole('complementary', { name: 'Layer details' });
    const users = panel.getByRole('list', { name: 'Images using this layer' });
    await users.waitFor();
    const text = (await users.textContent()) ?? '';
    for (const name of [
      info.images.app,
      info.images.appDebug,
      info.images.tool,
      info.images.toolExtra,
      'lab/scratchpad:1',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain(info.images.danglingId.replace(/^sha256:/, '').slice(0, 12));
    expect(await panel.textContent()).toContain(baseLayer);
    expect(pageErrors).toEqual([]);
  });

  it('"Export SVG" downloads a standalone SVG that holds the nodes and renders; "Export PNG" a PNG', async () => {
    const shown = await graph().locator('[data-chain-id]').count();
    const [svgDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export SVG' }).click(),
    ]);
    expect(svgDownload.suggestedFilename()).toBe('strata-layers.svg');
    const svgFile = join(downloads, 'strata-layers.svg');
    await svgDownload.saveAs(svgFile);
    expect(readFileSync(svgFile, 'utf8')).toMatch(/^<\?xml[^>]*>\s*<svg /);

    const viewer = await page.context().newPage();
    await viewer.goto(pathToFileURL(svgFile).href);
    const parsed = {
      root: await viewer.evaluate<string>('document.documentElement.localName'),
      errors: await viewer.locator('parsererror').count(),
      nodes: await viewer.locator('[data-chain-id]').count(),
      markers: await viewer.locator('[data-image-id]').allTextContents(),
      circleFill: (await viewer.locator('circle').first().getAttribute('style')) ?? '',
      width: (await viewer.locator('svg').first().boundingBox())?.width ?? 0,
    };
    expect(parsed.root).toBe('svg');
    expect(parsed.errors).toBe(0);
    expect(parsed.nodes).toBe(shown);
    expect(parsed.markers.some((m) => m.includes(info.images.appDebug))).toBe(true);
    expect(parsed.circleFill).toMatch(/fill:\s*rgb/);
    expect(parsed.width).toBeGreaterThan(100);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await viewer.screenshot({ path: join(SCREENSHOTS, 'layers-export.png') });
    await viewer.close();

    const [pngDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    expect(pngDownload.suggestedFilename()).toBe('strata-layers.png');
    const pngFile = join(downloads, 'strata-layers.png');
    await pngDownload.saveAs(pngFile);
    const png = readFileSync(pngFile);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(1000);
    expect(pageErrors).toEqual([]);
  });
});
