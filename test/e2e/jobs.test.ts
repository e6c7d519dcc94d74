/**
 * The Jobs drawer, in browser mode, on the lab engine: a slow pull keeps running and reporting after its dialog is
 * closed, the view changes and the page is reloaded; it is cancelled from the drawer and stays listed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDocker, labInfo, startThrottleProxy, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];

async function removeBig(): Promise<void> {
  const pulled = await labDocker(info, ['images', '-q', '--filter', 'reference=*/lab/big']);
  for (const id of new Set(pulled.split(/\s+/).filter(Boolean))) await labDocker(info, ['rmi', '-f', id]);
}

beforeAll(async () => {
  info = labInfo();
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (info !== undefined) await removeBig();
});

describe('Jobs drawer', () => {
  it('follows a pull across dialog close, view change and reload, cancels it, and keeps it listed', async () => {
    const proxy = await startThrottleProxy(info.registry, { bytesPerSecond: 150_000 });
    try {
      await removeBig();
      const slow = `${proxy.address}/lab/big:1.0`;
      await page.getByRole('button', { name: 'Pull', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Pull image' });
      await dialog.getByLabel('Image reference').fill(slow);
      await dialog.getByRole('button', { name: 'Start pull' }).click();
      await dialog.getByRole('progressbar', { name: 'Overall progress' }).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await dialog.waitFor({ state: 'detached' });

      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Engine' }).click();
      const jobsButton = page.getByRole('button', { name: /^Jobs/ });
      await page.getByRole('button', { name: 'Jobs · 1 running' }).waitFor({ timeout: 10_000 });
      await jobsButton.click();

      const drawer = page.getByRole('complementary', { name: 'Jobs' });
      const item = drawer.getByRole('listitem', { name: `Pull ${slow}` });
      await item.waitFor();
      expect(await item.textContent()).toContain('Running');
      // Live progress: the bar gets a value above 0 while bytes move.
      const moving = '[role="progressbar"][aria-valuenow]:not([aria-valuenow="0"])';
      await item.locator(moving).waitFor({ timeout: 30_000 });

      // A reload lists it again from jobs.list, still running.
      await page.reload();
      await page.getByRole('button', { name: 'Jobs · 1 running' }).waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: /^Jobs/ }).click();
      const again = page.getByRole('complementary', { name: 'Jobs' }).getByRole('listitem', { name: `Pull ${slow}` });
      await again.waitFor();
      expect(await again.textContent()).toContain('Running');
      await again.getByRole('progressbar').waitFor();

      await again.getByRole('button', { name: `Cancel Pull ${slow}` }).click();
      await again.getByText('Cancelled', { exact: true }).waitFor({ timeout: 20_000 });
      expect(await again.getByRole('button', { name: /^Cancel/ }).count()).toBe(0);
      await page.getByRole('button', { name: 'Jobs', exact: true }).waitFor();

      // Finished jobs stay listed for the session (another reload).
      await page.reload();
      await page.getByRole('button', { name: 'Jobs', exact: true }).click();
      const kept = page.getByRole('complementary', { name: 'Jobs' }).getByRole('listitem', { name: `Pull ${slow}` });
      await kept.getByText('Cancelled', { exact: true }).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
