/**
 * The Disk view in browser mode, in Debian's Chromium, on the lab engine: the totals table reads exactly what
 * `docker system df` prints on the same engine, the treemap has a tile per image, and a label-filtered cleanup
 * previews exactly what this test made, removes exactly that, and shows what the engine reclaimed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortImageId } from '../../shared/names';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const RAND = Math.random().toString(36).slice(2, 10);
const LABEL = `strata.test.e2edisk=${RAND}`;
const TAG = `t-disk-e2e-${RAND}/kept:1`;
const CONTAINER = `disk-e2e-${RAND}`;
const VOLUME = `disk-e2e-${RAND}`;

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let work: string;
let danglingId: string;
let taggedId: string;

async function build(lines: readonly string[], tags: readonly string[]): Promise<string> {
  writeFileSync(join(work, 'Dockerfile'), lines.join('\n'));
  const out = await labDocker(info, ['build', '-q', '--rm', ...tags.flatMap((t) => ['-t', t]), work]);
  return out.trim().split('\n').at(-1) ?? '';
}

async function exists(kind: 'image' | 'container' | 'volume', ref: string): Promise<boolean> {
  return labDocker(info, [kind, 'inspect', ref]).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  info = labInfo();
  work = mkdtempSync(join(tmpdir(), 'strata-disk-e2e-'));
  const from = [`FROM ${info.images.base}`, `LABEL ${LABEL}`];
  danglingId = await build([...from, 'RUN head -c 40000 /dev/urandom > /d.bin'], []);
  taggedId = await build([...from, `RUN echo kept-${RAND} > /k.txt`], [TAG]);
  await labDocker(info, ['create', '--name', CONTAINER, '--network', 'none', '--label', LABEL, TAG, 'true']);
  await labDocker(info, ['volume', 'create', '--label', LABEL, VOLUME]);
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Disk' }).click();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await labDocker(info, ['rm', '-f', CONTAINER]).catch(() => undefined);
  await labDocker(info, ['volume', 'rm', '-f', VOLUME]).catch(() => undefined);
  for (const id of [taggedId, danglingId]) {
    if (id) await labDocker(info, ['rmi', '-f', id]).catch(() => undefined);
  }
  rmSync(work, { recursive: true, force: true });
}, 60_000);

interface DfRow {
  readonly Type: string;
  readonly TotalCount: string | number;
  readonly Active: string | number;
  readonly Size: string;
  readonly Reclaimable: string;
}

/** The totals table as the page shows it, once /system/df has answered. */
async function totalsShown(): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Disk usage totals' });
  await table.waitFor();
  await expect.poll(async () => (await table.textContent()) ?? '', { timeout: 60_000 }).not.toContain('Measuring');
  const rows = table.locator('tbody tr');
  const shown: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    shown.push((await rows.nth(i).locator('th, td').allTextContents()).map((text) => text.trim()));
  }
  return shown;
}

describe('Disk view', () => {
  it('shows the totals exactly as `docker system df` prints them, and a treemap tile per image', async () => {
    // Fresh numbers: everything above was made before the page measured, but refresh to be sure.
    await page.getByRole('button', { name: 'Refresh' }).click();
    // The button says "Measuring…" while /system/df is out, and "Refresh" again once the answer is in.
    await page.getByRole('button', { name: 'Refresh' }).waitFor({ timeout: 60_000 });
    const shown = await totalsShown();
    const df = (await labDocker(info, ['system', 'df', '--format', '{{json .}}']))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as DfRow);
    expect(shown).toEqual(
      df.map((row) => [row.Type, String(row.TotalCount), String(row.Active), row.Size, row.Reclaimable]),
    );
    const imagesRow = df.find((row) => row.Type === 'Images');
    expect(await page.locator('.disk-tile').count()).toBe(Number(imagesRow?.TotalCount));
    expect(await page.locator('.disk-tile-unique').count()).toBe(Number(imagesRow?.TotalCount));
    await expect.poll(async () => page.getByRole('table', { name: 'Volumes' }).textContent()).toContain(VOLUME);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('previews exactly what this test made, cleans it up, and shows what the engine reclaimed', async () => {
    await page.getByRole('button', { name: 'Clean up…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clean up disk' });
    // Defaults: stopped containers, dangling images, build cache. Add volumes, leave the build cache alone.
    await dialog.getByLabel(/Unused volumes/).check();
    await dialog.getByLabel('Build cache').uncheck();
    await dialog.getByLabel('Label filters').fill(LABEL);
    await dialog.getByRole('button', { name: 'Preview' }).click();

    const containers = dialog.getByRole('table', { name: 'Containers that go' });
    await containers.waitFor();
    expect(await containers.locator('tbody tr').count()).toBe(1);
    expect(await containers.locator('tbody tr').first().textContent()).toContain(CONTAINER);

    const volumes = dialog.getByRole('table', { name: 'Volumes that go' });
    expect(await volumes.locator('tbody tr').count()).toBe(1);
    expect(await volumes.textContent()).toContain(VOLUME);

    // The images part: the dangling image (and the classic builder's intermediates under it, which carry the
    // label too), never the tagged one nor anything without the label.
    const labelled = new Set(
      (await labDocker(info, ['images', '-a', '-q', '--no-trunc', '--filter', `label=${LABEL}`]))
        .trim()
        .split('\n')
        .filter((id) => id !== '')
        .map(shortImageId),
    );
    const imageIds = await dialog
      .getByRole('table', { name: 'Images that go' })
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(imageIds).toContain(shortImageId(danglingId));
    expect(imageIds).not.toContain(shortImageId(taggedId));
    for (const id of imageIds) expect(labelled.has(id)).toBe(true);

    await dialog.getByRole('button', { name: 'Clean up', exact: true }).click();
    const status = dialog.getByRole('status').filter({ hasText: 'The engine reclaimed' });
    await status.waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/reclaimed \d+(\.\d+)?[kMG]?B in all/);
    await dialog.getByText('It did exactly what the preview said.').waitFor();
    expect(await dialog.getByRole('alert').count()).toBe(0);

    // Exactly those are gone; the tagged image (the container's image) stays.
    expect(await exists('container', CONTAINER)).toBe(false);
    expect(await exists('volume', VOLUME)).toBe(false);
    expect(await exists('image', danglingId)).toBe(false);
    for (const id of imageIds) {
      expect(await labDocker(info, ['images', '-a', '-q', '--filter', `label=${LABEL}`])).not.toContain(id);
    }
    expect(await exists('image', taggedId)).toBe(true);
    expect(await exists('container', info.containers.stopped)).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
