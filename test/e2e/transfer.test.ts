/**
 * Save, load and corrupt uploads in browser mode, in Debian's Chromium, on the lab engine: a save ends
 * in a browser download holding a valid image archive; a load goes up as an upload and lists what it
 * loaded; a corrupt upload is refused with a readable error. Only t-e2e-transfer/* tags are made here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkTarFile } from '../../electron/engine/transfer/tarfile';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let dir: string;
const LOAD_TAG = 't-e2e-transfer/load:1';

beforeAll(async () => {
  info = labInfo();
  dir = mkdtempSync(join(tmpdir(), 'strata-e2e-transfer-'));
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
});

beforeEach(async () => {
  if (page !== undefined) await page.context().close();
  ({ page, errors: pageErrors } = await openApp(browser, app));
});

afterAll(async () => {
  await labDocker(info, ['rmi', LOAD_TAG]).catch(() => undefined);
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('transfer in browser mode', () => {
  it('saves an image: the browser downloads a valid image archive', async () => {
    await page.getByRole('button', { name: `Save ${info.images.tool}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Save images' });
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Save and download' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('lab-tool-1.0.tar');
    const target = join(dir, 'saved.tar');
    await download.saveAs(target);
    const check = await checkTarFile(target, { image: true });
    expect(check.manifest?.flatMap((entry) => entry.repoTags)).toEqual([info.images.tool]);
    await expect
      .poll(async () => dialog.getByRole('status').textContent())
      .toMatch(/^Saved lab\/tool:1\.0 to lab-tool-1\.0\.tar/);
    expect(pageErrors).toEqual([]);
  });

  it('loads an uploaded archive and lists the loaded image', async () => {
    await labDocker(info, ['tag', info.images.base, LOAD_TAG]);
    const archive = join(dir, 'load.tar');
    await labDocker(info, ['save', '-o', archive, LOAD_TAG]);
    await labDocker(info, ['rmi', LOAD_TAG]);

    await page.getByRole('button', { name: 'Load…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Load images' });
    await dialog.getByLabel('Image archive (.tar or .tar.gz)').setInputFiles(archive);
    await dialog.getByRole('button', { name: 'Load' }).click();
    const loaded = dialog.getByRole('list', { name: 'Loaded images' });
    await expect.poll(async () => loaded.textContent(), { timeout: 60_000 }).toBe(LOAD_TAG);
    const inspected = await labDocker(info, ['image', 'inspect', '--format', '{{.Id}}', LOAD_TAG]);
    expect(inspected.trim()).toMatch(/^sha256:/);
    expect(pageErrors).toEqual([]);
  });

  it('refuses a corrupt upload with a readable error', async () => {
    await page.getByRole('button', { name: 'Load…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Load images' });
    await dialog.getByLabel('Image archive (.tar or .tar.gz)').setInputFiles({
      name: 'broken.tar',
      mimeType: 'application/x-tar',
      buffer: Buffer.from('this is not a tar archive at all '.repeat(64)),
    });
    await dialog.getByRole('button', { name: 'Load' }).click();
    const alert = dialog.getByRole('alert');
    await expect
      .poll(async () => alert.textContent(), { timeout: 30_000 })
      .toBe(
        'The load failed: broken.tar is not a complete image archive (it is not a tar archive); nothing was changed.',
      );
    expect(pageErrors).toEqual([]);
  });
});
