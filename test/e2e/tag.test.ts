/**
 * Tag, multi-select remove and the Details page, in browser mode, in Debian's Chromium, on the lab engine.
 * Works on images it builds itself (t-tag-e2e/…) and removes them in afterAll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const unique = `${process.pid}-${Date.now()}`;
const SRC = 't-tag-e2e/src:1';
const USED = 't-tag-e2e/used:1';
const CONTAINER = `t-tag-e2e-c-${unique}`;
const LABEL = `strata.test.e2e-tag`;

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let dir: string;

const row = (name: string) => page.getByTestId(`image-row:${name}`);

async function build(tag: string, value: string): Promise<void> {
  const context = mkdtempSync(join(dir, 'ctx-'));
  writeFileSync(join(context, 'Dockerfile'), `FROM ${info.images.base}\nLABEL ${LABEL}="${value}"\n`);
  await labDocker(info, ['build', '-q', '-t', tag, context]);
}

async function showOnly(text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Filter images' }).fill(text);
}

beforeAll(async () => {
  info = labInfo();
  dir = mkdtempSync(join(tmpdir(), 't-tag-e2e-'));
  await build(SRC, `src-${unique}`);
  await build(USED, `used-${unique}`);
  await labDocker(info, ['create', '--name', CONTAINER, USED]);
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
  await labDocker(info, ['rm', '-f', CONTAINER]).catch(() => '');
  for (const tag of [SRC, USED, 't-tag-e2e/a:1', 't-tag-e2e/b:2']) {
    await labDocker(info, ['rmi', '-f', tag]).catch(() => '');
  }
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('Tag', () => {
  it('adds two tags from the dialog, and they show as rows', async () => {
    await showOnly('t-tag-e2e/');
    await row(SRC)
      .getByRole('button', { name: `Tag ${SRC}` })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Tag image' });
    await dialog.getByRole('textbox', { name: 'New tag 1' }).fill('t-tag-e2e/A:1');
    expect(await dialog.textContent()).toContain('must be lowercase');
    expect(await dialog.getByRole('button', { name: 'Add tag' }).isDisabled()).toBe(true);
    await dialog.getByRole('textbox', { name: 'New tag 1' }).fill('t-tag-e2e/a:1');
    await dialog.getByRole('button', { name: 'Add another tag' }).click();
    await dialog.getByRole('textbox', { name: 'New tag 2' }).fill('t-tag-e2e/b:2');
    await dialog.getByRole('button', { name: 'Add 2 tags' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Added t-tag-e2e/a:1, t-tag-e2e/b:2.' }).waitFor();
    await dialog.getByRole('button', { name: 'Untag t-tag-e2e/b:2' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await row('t-tag-e2e/a:1').waitFor();
    await row('t-tag-e2e/b:2').waitFor();
    expect(pageErrors).toEqual([]);
  });
});

describe('Multi-select remove', () => {
  it('removes the checked rows with one confirm and reports the one in use', async () => {
    await labDocker(info, ['tag', SRC, 't-tag-e2e/b:2']);
    await page.reload();
    await showOnly('t-tag-e2e/');
    await row('t-tag-e2e/b:2').waitFor();
    await page.getByRole('checkbox', { name: 'Select t-tag-e2e/b:2' }).check();
    await page.getByRole('checkbox', { name: `Select ${USED}` }).check();
    const bar = page.getByRole('toolbar', { name: 'Checked images' });
    await bar.getByRole('button', { name: 'Remove 2…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove images' });
    expect(await dialog.getByRole('list', { name: 'To remove' }).textContent()).toContain(USED);
    await dialog.getByRole('button', { name: 'Remove 2' }).click();
    const results = dialog.getByRole('list', { name: 'Results' });
    await results.waitFor();
    await results.getByRole('listitem', { name: 't-tag-e2e/b:2: untagged' }).waitFor();
    const failed = results.getByRole('listitem', { name: `${USED}: failed` });
    expect(await failed.textContent()).toMatch(/container .* is using/);
    expect(await dialog.getByRole('status').textContent()).toBe('1 of 2 done; 1 failed.');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await expect.poll(() => row('t-tag-e2e/b:2').count()).toBe(0);
    await row(USED).waitFor();
    expect(await page.getByRole('toolbar', { name: 'Checked images' }).textContent()).toContain('1 checked');
    expect(pageErrors).toEqual([]);
  });
});

describe('Details', () => {
  it('shows the key fields, and the JSON search finds a label', async () => {
    await showOnly(SRC);
    await row(SRC)
      .getByRole('button', { name: `Details of ${SRC}` })
      .click();
    const fields = page.getByLabel('Key fields');
    await fields.waitFor();
    const id = (await labDocker(info, ['image', 'inspect', '--format', '{{.Id}}', SRC])).trim();
    expect(await fields.textContent()).toContain(id);
    expect(await fields.textContent()).toContain(SRC);
    const labels = page.getByRole('table', { name: 'Labels' });
    expect(await labels.getByRole('row', { name: new RegExp(LABEL) }).textContent()).toContain(`src-${unique}`);
    await page.getByRole('searchbox', { name: 'Search the raw JSON' }).fill(`src-${unique}`);
    // The label value is in Config.Labels and ContainerConfig.Labels (classic builder): count what is marked.
    const marks = page.getByTestId('raw-json').locator('mark');
    await expect.poll(() => marks.count()).toBeGreaterThan(0);
    const count = await marks.count();
    expect(await page.getByRole('status').filter({ hasText: /match/ }).textContent()).toBe(
      `${count} ${count === 1 ? 'match' : 'matches'}`,
    );
    expect(await marks.first().textContent()).toBe(`src-${unique}`);
    await page.getByRole('button', { name: `History of ${SRC}` }).click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
