/**
 * The History view, in browser mode, in Debian's Chromium, on the lab engine: an image's build steps,
 * where its base image ends, and its layers with the images that share them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const SCREENSHOTS = join(__dirname, '../../docs/screenshots');

/** From test/lab/lab.ts: lab/app-debug:1.0 is `FROM lab/app:1.0` + `RUN echo 'debug build' > /app/debug.txt`. */
const DEBUG_RUN = "RUN echo 'debug build' > /app/debug.txt";
const DEBUG_RUN_COMMAND = "/bin/sh -c echo 'debug build' > /app/debug.txt";

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  info = labInfo();
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
});

// Each test starts from a freshly loaded app that may use the clipboard.
beforeEach(async () => {
  if (page !== undefined) await page.context().close();
  ({ page, errors: pageErrors } = await openApp(browser, app));
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * The name Strata gives lab/base:latest's image: its first tag in sort order. Another e2e file may have left
 * an extra tag on it (test/e2e/app.test.ts tags it e2e/remove-me:two), so ask the engine instead of assuming.
 */
async function baseImageName(): Promise<string> {
  const tags = await labDocker(info, ['image', 'inspect', '--format', '{{join .RepoTags "\\n"}}', info.images.base]);
  const sorted = tags
    .split('\n')
    .map((t) => t.trim())
    .filter(Boolean)
    .sort();
  expect(sorted).toContain(info.images.base);
  return sorted[0]!;
}

/** Each body row of the steps table as its accessible name (`Step N: …`) or, for the boundary, its text. */
async function rowNames(): Promise<string[]> {
  const names: string[] = [];
  for (const row of await stepsTable().getByRole('row').all()) {
    names.push((await row.getAttribute('aria-label')) ?? (await row.textContent()) ?? '');
  }
  return names;
}

function stepsTable() {
  return page.getByRole('table', { name: 'History' });
}

function layersTable() {
  return page.getByRole('table', { name: 'Layers' });
}

async function openHistoryOf(name: string): Promise<void> {
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
  await page.getByRole('combobox', { name: 'Image' }).selectOption({ label: name });
  await stepsTable().waitFor();
}

describe('History view', () => {
  it('shows the steps of lab/app-debug:1.0, where lab/app ends, and the layers it shares', async () => {
    await openHistoryOf(info.images.appDebug);

    // The RUN step from its Dockerfile, as the Dockerfile instruction, marked as having made a layer.
    const run = stepsTable().getByRole('row', { name: new RegExp(`^Step \\d+: ${escape(DEBUG_RUN)}$`) });
    await run.waitFor();
    // Columns: Created, Step, Size, Layer, Comment.
    expect(await run.getByRole('cell').nth(3).textContent()).toBe('yes');
    // Classic-builder metadata steps read as their instruction and made no layer.
    const env = stepsTable().getByRole('row', { name: /^Step \d+: ENV LAB_DEBUG=1$/ });
    expect(await env.getByRole('cell').nth(3).textContent()).toBe('no');

    // The base image boundary names a lab/app tag and its two layers.
    const boundary = stepsTable().getByTestId('base-boundary');
    expect(await boundary.textContent()).toMatch(/^Base image lab\/app:(1\.0|latest|stable) ends here \(2 layers\)$/);
    const stepNames = await rowNames();
    // Oldest first: the boundary follows lab/app's own last step (its CMD) and precedes lab/app-debug's ENV.
    const boundaryAt = stepNames.findIndex((n) => n.startsWith('Base image'));
    const appRunAt = stepNames.findIndex((n) => n.includes("RUN mkdir -p /app && echo 'lab app 1.0'"));
    expect(appRunAt).toBeGreaterThan(0);
    expect(boundaryAt).toBeGreaterThan(appRunAt);
    expect(stepNames[boundaryAt - 1]).toMatch(/^Step \d+: CMD \["cat",? ?"\/app\/version.txt"\]$/);
    expect(stepNames[boundaryAt + 1]).toMatch(/^Step \d+: ENV LAB_DEBUG=1$/);
    expect(stepNames.findIndex((n) => n.includes(DEBUG_RUN))).toBeGreaterThan(boundaryAt);

    // Newest first mirrors the order.
    await page.getByRole('button', { name: 'Newest first' }).click();
    const reversed = await rowNames();
    expect(reversed.slice(1)).toEqual(stepNames.slice(1).reverse());
    await page.getByRole('button', { name: 'Oldest first' }).click();

    // Layers: three, the bottom one (the imported base) shared with lab/base:latest; the top one only here.
    const layers = layersTable();
    await layers.waitFor();
    // Columns: #, Diff ID, Chain ID, Step, Size, Shared with.
    const bottom = layers.getByRole('row', { name: 'Layer 1' });
    expect(await bottom.getByRole('cell').nth(5).textContent()).toContain(await baseImageName());
    const top = layers.getByRole('row', { name: 'Layer 3' });
    expect(await top.getByRole('cell').nth(3).textContent()).toBe(DEBUG_RUN);
    expect(await top.getByRole('cell').nth(5).textContent()).toBe('only this image');
    // Bottom layer: its chain ID is its diff ID (OCI), shown short with the full ID on hover.
    const diff = await bottom.getByRole('cell').nth(1).locator('[title]').getAttribute('title');
    const chain = await bottom.getByRole('cell').nth(2).locator('[title]').getAttribute('title');
    expect(diff).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(chain).toBe(diff);
    expect(await layers.getByRole('row', { name: 'Layer 2' }).getByRole('cell').nth(2).textContent()).toMatch(
      /^[0-9a-f]{12}Copy$/,
    );

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'history.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('expands a step to its full command and copies it to the clipboard', async () => {
    await openHistoryOf(info.images.appDebug);
    const run = stepsTable().getByRole('row', { name: new RegExp(`^Step \\d+: ${escape(DEBUG_RUN)}$`) });
    await run.getByRole('button', { name: /^Expand step \d+$/ }).click();
    const full = run.getByLabel(/^Step \d+ command$/);
    expect(await full.textContent()).toBe(DEBUG_RUN_COMMAND);
    expect(await run.getByRole('button', { name: /^Collapse step \d+$/ }).getAttribute('aria-expanded')).toBe('true');

    const copy = run.getByRole('button', { name: /^Copy step \d+ command$/ });
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(DEBUG_RUN_COMMAND);
    expect(pageErrors).toEqual([]);
  });

  it('opens from an image row in the Images view', async () => {
    await page.getByRole('button', { name: `History of ${info.images.tool}` }).click();
    await stepsTable().waitFor();
    // The picker shows the image the row named.
    expect(await page.getByRole('combobox', { name: 'Image' }).locator('option:checked').textContent()).toBe(
      info.images.tool,
    );
    expect(await stepsTable().getByTestId('base-boundary').textContent()).toBe(
      `Base image ${await baseImageName()} ends here (1 layer)`,
    );
    await stepsTable()
      .getByRole('row', {
        name: /^Step \d+: RUN mkdir -p \/opt\/tool && echo 'lab tool 1.0' > \/opt\/tool\/version.txt$/,
      })
      .waitFor();
    expect(pageErrors).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
