/**
 * Engine events, in browser mode, in Debian's Chromium, on the lab engine: a tag or rmi done with the docker CLI shows
 * up in the Images view without a reload, and the Events view lists it. Tags t-ev-e2e/… and removes them in afterAll.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const TAG = 't-ev-e2e/x:1';

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  info = labInfo();
  await labDocker(info, ['rmi', TAG]).catch(() => '');
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await labDocker(info, ['rmi', TAG]).catch(() => '');
}, 60_000);

describe('Engine events', () => {
  it('shows a tag made in a terminal without a reload, and drops the row on rmi', async () => {
    await page.getByTestId(`image-row:${info.images.base}`).waitFor();
    await page.getByRole('searchbox', { name: 'Filter images' }).fill('t-ev-e2e/');
    const row = page.getByTestId(`image-row:${TAG}`);
    expect(await row.count()).toBe(0);

    await labDocker(info, ['tag', info.images.base, TAG]);
    await row.waitFor({ timeout: 3000 });

    await labDocker(info, ['rmi', TAG]);
    await row.waitFor({ state: 'detached', timeout: 3000 });
    expect(pageErrors).toEqual([]);
  });

  it('lists the tag event in the Events view, and the type filter keeps only that type', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Events' }).click();
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    await page.getByRole('searchbox', { name: 'Filter events by object' }).fill(TAG);
    const tagRow = page.getByTestId('event-row').filter({ hasText: 'tag' }).first();
    await tagRow.waitFor({ timeout: 3000 });
    expect(await tagRow.textContent()).toContain(TAG);

    // Only image events carry this tag; the container filter leaves none.
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('container');
    await page.getByRole('heading', { name: 'No matching events' }).waitFor();
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('image');
    await tagRow.waitFor();
    const types = await page.getByTestId('event-row').locator('td:nth-child(2)').allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['image']));
    expect(pageErrors).toEqual([]);
  });
});
