/**
 * Commit, Import and Export dialogs in browser mode, in Debian's Chromium, on the lab engine: a commit of
 * lab-stopped (with a bad change line caught first) lists and selects the new image; an uploaded rootfs tar
 * is imported with a CMD; a non-tar upload is refused; an export ends in a download holding the rootfs.
 * Only t-e2e-commit/* and t-e2e-import/* tags are made here, and removed in afterAll.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { tarArchive } from '../lab/tar';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const COMMIT_TAG = 't-e2e-commit/snap:1';
const IMPORT_TAG = 't-e2e-import/x:1';
const AUTHOR = 'Strata E2E <e2e@strata.test>';

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let dir: string;

interface Inspected {
  readonly Id: string;
  readonly Author: string;
  readonly Comment: string;
  readonly Config: { readonly Cmd: readonly string[] | null };
}

async function inspect(reference: string): Promise<Inspected> {
  const parsed = JSON.parse(await labDocker(info, ['image', 'inspect', reference])) as readonly Inspected[];
  const first = parsed[0];
  if (first === undefined) throw new Error(`no image ${reference}`);
  return first;
}

async function tarNames(bytes: Buffer): Promise<string[]> {
  const names: string[] = [];
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      names.push(entry.header.name);
      entry.resume();
    }
  })();
  ex.end(bytes);
  await done;
  return names;
}

async function showOnly(text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Filter images' }).fill(text);
}

beforeAll(async () => {
  info = labInfo();
  dir = mkdtempSync(join(tmpdir(), 'strata-e2e-dialogs-'));
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
}, 120_000);

beforeEach(async () => {
  if (page !== undefined) await page.context().close();
  ({ page, errors: pageErrors } = await openApp(browser, app));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  for (const tag of [COMMIT_TAG, IMPORT_TAG]) await labDocker(info, ['rmi', '-f', tag]).catch(() => '');
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('Commit', () => {
  it('points at the wrong change line, then commits lab-stopped and selects the new image', async () => {
    await page.getByRole('button', { name: 'Commit…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Commit container' });
    await dialog.getByLabel('Container', { exact: true }).selectOption(info.containers.stopped);
    await dialog.getByLabel('Image name').fill(COMMIT_TAG);
    await dialog.getByLabel('Author', { exact: true }).fill(AUTHOR);
    await dialog.getByLabel('Message', { exact: true }).fill('snapshot from the e2e test');
    const changes = dialog.getByLabel('Dockerfile changes');
    await changes.fill('CMD ["echo","committed"]\nRUN echo nope');

    const commit = dialog.getByRole('button', { name: 'Commit', exact: true });
    const lineErrors = dialog.getByRole('listitem');
    await expect
      .poll(async () => lineErrors.allTextContents())
      .toEqual([
        'Line 2 (RUN echo nope): A change is one Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR, HEALTHCHECK or SHELL.',
      ]);
    expect(await changes.getAttribute('aria-invalid')).toBe('true');
    expect(await commit.isDisabled()).toBe(true);
    // Enter submits the form: with a wrong line it must not commit either.
    await dialog.getByLabel('Image name').press('Enter');
    expect(await commit.textContent()).toBe('Commit');
    await labDocker(info, ['image', 'inspect', COMMIT_TAG]).then(
      () => expect.fail(`${COMMIT_TAG} exists before the commit`),
      () => undefined,
    );

    await changes.fill('CMD ["echo","committed"]');
    expect(await lineErrors.count()).toBe(0);
    await commit.click();

    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    const row = page.getByTestId(`image-row:${COMMIT_TAG}`);
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(async () => row.getAttribute('aria-selected')).toBe('true');

    const image = await inspect(COMMIT_TAG);
    expect(image.Config.Cmd).toEqual(['echo', 'committed']);
    expect(image.Author).toBe(AUTHOR);
    expect(image.Comment).toBe('snapshot from the e2e test');
    expect(pageErrors).toEqual([]);
  });
});

describe('Import', () => {
  it('imports an uploaded rootfs tar with a CMD change, and the row appears', async () => {
    const rootfs = tarArchive([{ type: 'file', path: 'hello', data: '#!/bin/sh\necho hello\n', mode: 0o755 }]);
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import image' });
    await dialog.getByLabel('Root filesystem tarball (.tar or .tar.gz)').setInputFiles({
      name: 'rootfs.tar',
      mimeType: 'application/x-tar',
      buffer: rootfs,
    });
    await dialog.getByLabel('Repository and tag (optional)').fill(IMPORT_TAG);
    await dialog.getByLabel('Dockerfile changes (one a line, optional)').fill('CMD ["/hello"]');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    const status = dialog.getByRole('status');
    await expect
      .poll(async () => status.textContent(), { timeout: 60_000 })
      .toMatch(/^Imported as t-e2e-import\/x:1 \([0-9a-f]{12}\)\.$/);

    const image = await inspect(IMPORT_TAG);
    expect(image.Config.Cmd).toEqual(['/hello']);
    expect(await status.textContent()).toContain(image.Id.replace(/^sha256:/, '').slice(0, 12));

    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await showOnly('t-e2e-import/');
    await page.getByTestId(`image-row:${IMPORT_TAG}`).waitFor({ timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  });

  it('refuses an upload that is not a tar with a readable error', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import image' });
    await dialog.getByLabel('Root filesystem tarball (.tar or .tar.gz)').setInputFiles({
      name: 'junk.tar',
      mimeType: 'application/x-tar',
      buffer: Buffer.from('this is not a tar'.repeat(100)),
    });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await expect
      .poll(async () => alert.textContent(), { timeout: 30_000 })
      .toBe(
        'The import failed: junk.tar is not a complete tar archive (it is not a tar archive); nothing was changed.',
      );
    expect(pageErrors).toEqual([]);
  });
});

describe('Export', () => {
  it('exports lab-stopped: the browser downloads a tar holding its root filesystem', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export container' });
    await dialog.getByLabel('Container', { exact: true }).selectOption(info.containers.stopped);
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Export and download' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('lab-stopped.tar');
    const target = join(dir, 'exported.tar');
    await download.saveAs(target);
    const names = await tarNames(readFileSync(target));
    expect(names).toContain('bin/busybox');
    expect(names).toContain('etc/hostname');
    await expect
      .poll(async () => dialog.getByRole('status').textContent(), { timeout: 30_000 })
      .toMatch(/^Exported lab-stopped to lab-stopped\.tar \(.+\)\./);
    expect(pageErrors).toEqual([]);
  });
});
