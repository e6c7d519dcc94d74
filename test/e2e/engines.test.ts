/**
 * Several engines in browser mode, in Debian's Chromium: the lab engine (the default) and a second sandboxed engine
 * added through the UI. Switching in the title bar, All engines with an Engine column, an action on one engine only,
 * and the added engine still there after a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { startSecondEngine, type SecondEngine } from '../lab/second-engine';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

let info: LabInfo;
let second: SecondEngine;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];

const switcher = () => page.getByRole('combobox', { name: 'Active engine' });

beforeAll(async () => {
  info = labInfo();
  second = await startSecondEngine();
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await second?.stop();
});

describe('several engines', () => {
  it('adds a second engine through the form, switches to it, lists all engines, and keeps it after a reload', async () => {
    // The default engine (the lab) is shown first.
    await page.getByTestId(`image-row:${info.images.app}`).waitFor();

    // Add the second engine through the Engines section.
    await page.getByRole('button', { name: 'Manage engines…' }).click();
    const form = page.getByRole('form', { name: 'Add engine' });
    await form.getByLabel('Name').fill('Lab two');
    await form.getByLabel('Address').fill(second.dockerHost);
    await form.getByRole('button', { name: 'Add engine' }).click();
    const engines = page.getByRole('table', { name: 'Engines' });
    const lab2Row = engines.getByRole('row', { name: 'Lab two' });
    await expect.poll(() => lab2Row.textContent(), { timeout: 15_000 }).toContain('connected');
    expect(await lab2Row.textContent()).toContain(second.dockerHost);

    // Switch to it in the title bar: the Images view lists its images and not the lab's.
    const option = switcher().locator('option', { hasText: 'Lab two' });
    const lab2Id = await option.getAttribute('value');
    expect(lab2Id).toBeTruthy();
    await switcher().selectOption(lab2Id ?? '');
    await page.getByRole('button', { name: 'Images', exact: true }).click();
    await page.getByTestId(`image-row:${second.images.onlyHere}`).waitFor();
    expect(await page.getByTestId(`image-row:${info.images.app}`).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Engine status' }).textContent()).toContain(second.dockerHost);

    // All engines: both engines' images, with the Engine column naming each.
    await page.getByRole('checkbox', { name: 'All engines' }).check();
    const all = page.getByRole('table', { name: 'Images on all engines' });
    await all.getByRole('columnheader', { name: 'Engine' }).waitFor();
    const theirs = all.getByRole('row', { name: `${second.images.onlyHere} on Lab two` });
    await theirs.waitFor();
    expect(await theirs.getByRole('cell').first().textContent()).toBe('Lab two');
    const mine = all.getByRole('row', { name: new RegExp(`^${info.images.app.replace('.', '\\.')} on unix://`) });
    await mine.waitFor();
    expect(await mine.getByRole('cell').first().textContent()).toContain(info.socketPath);

    // An action on one engine leaves the other untouched: remove lab2/base:latest on the second engine only.
    await all.getByRole('button', { name: `Remove ${second.images.base} on Lab two` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await all.getByRole('row', { name: `${second.images.base} on Lab two` }).waitFor({ state: 'detached' });
    expect(await second.docker(['images', '-q', second.images.base])).toBe('');
    expect((await labDocker(info, ['images', '-q', info.images.base])).trim()).not.toBe('');

    // Reload: the added engine is still listed (kept by the server) and still the one shown (kept by the page).
    await page.getByRole('checkbox', { name: 'All engines' }).uncheck();
    await page.reload();
    await expect.poll(() => switcher().locator('option').allTextContents(), { timeout: 15_000 }).toContain('● Lab two');
    expect(await switcher().inputValue()).toBe(lab2Id);
    await page.getByTestId(`image-row:${second.images.onlyHere}`).waitFor();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('copies diagnostics from the Engine view: versions and both engines, never the server token', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Engine' }).click();
    await page.getByRole('button', { name: 'Copy diagnostics' }).click();
    const manual = page.getByRole('textbox', { name: 'Diagnostics' });
    const copied = page.getByRole('status').filter({ hasText: 'Copied' });
    await copied.or(manual).first().waitFor({ timeout: 30_000 });
    // Chromium gives the clipboard to a focused page; a headless one may refuse it, and the text is shown instead.
    const text =
      (await manual.count()) > 0
        ? await manual.inputValue()
        : await page.evaluate<string>('navigator.clipboard.readText()');
    const serverVersion = (await labDocker(info, ['version', '--format', '{{.Server.Version}}'])).trim();
    expect(text).toContain('Engine default');
    expect(text).toContain(`Endpoint: unix ${info.dockerHost}, TLS off`);
    expect(text).toContain(`Engine version: ${serverVersion} (API `);
    expect(text).toContain(`Endpoint: unix ${second.dockerHost}`);
    expect(text).not.toContain(app.token);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
