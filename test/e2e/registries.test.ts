/**
 * The Registries view, in browser mode, in Debian's Chromium, on the lab engine: browse the lab registry to
 * lab/remote, see its manifest's layers, pull it in one click; a wrong password for a registry with auth is
 * refused with the 401 message.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAuthRegistry, type AuthRegistry } from '../lab/auth-registry';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let auth: AuthRegistry;

beforeAll(async () => {
  info = labInfo();
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  auth = await startAuthRegistry();
  await labDocker(info, ['image', 'rm', '-f', info.remote.small]).catch(() => undefined);
});

beforeEach(async () => {
  if (page !== undefined) await page.context().close();
  ({ page, errors: pageErrors } = await openApp(browser, app));
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: /Registries/ })
    .click();
});

afterAll(async () => {
  await labDocker(info, ['image', 'rm', '-f', info.remote.small]).catch(() => undefined);
  await browser?.close();
  await app?.stop();
  await auth?.stop();
});

describe('Registries view', () => {
  it('browses the lab registry to lab/remote, shows the manifest layers, and pulls in one click', async () => {
    await page.getByRole('combobox', { name: 'Registry' }).fill(info.registry);
    await page.getByRole('button', { name: 'Browse', exact: true }).click();
    const repos = page.getByRole('list', { name: 'Repositories' });
    await repos.getByRole('button', { name: 'lab/big' }).waitFor();
    await repos.getByRole('button', { name: 'lab/remote' }).click();

    const tags = page.getByRole('list', { name: 'Tags' });
    await tags.getByRole('button', { name: '1.0', exact: true }).click();
    const layers = page.getByRole('table', { name: 'Manifest layers' });
    await layers.waitFor();
    // A header row plus at least one layer, each with a size.
    expect(await layers.getByRole('row').count()).toBeGreaterThan(1);
    expect(await layers.getByRole('row').nth(1).textContent()).toMatch(/\d(\.\d+)?(B|kB|MB)$/);
    expect(await page.getByText(/ in \d+ layers? \(compressed/).count()).toBe(1);

    await page.getByRole('button', { name: 'Pull lab/remote:1.0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pull image' });
    await dialog.getByRole('status').filter({ hasText: 'Pulled' }).waitFor({ timeout: 60_000 });
    expect(await dialog.textContent()).toContain(info.remote.small);
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    // The image is there: in the engine, and in the Images view.
    const id = (await labDocker(info, ['image', 'inspect', '--format', '{{.Id}}', info.remote.small])).trim();
    expect(id).toMatch(/^sha256:/);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: /Images/ })
      .click();
    await page.getByTestId(`image-row:${info.remote.small}`).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('a wrong password shows the 401 message; browsing that registry asks to log in', async () => {
    await page.getByRole('combobox', { name: 'Registry' }).fill(auth.registry);
    await page.getByRole('button', { name: 'Browse', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `log in to ${auth.registry}` })
      .waitFor();

    await page.getByRole('button', { name: 'Log in…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Log in to a registry' });
    expect(await dialog.getByLabel('Registry').inputValue()).toBe(auth.registry);
    await dialog.getByLabel('User name').fill(auth.username);
    await dialog.getByLabel('Password or access token').fill('not-the-password');
    await dialog.getByRole('button', { name: 'Log in', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      `${auth.registry} refused the user name or password (401). Check them and log in again.`,
    );
    expect(pageErrors).toEqual([]);
  });
});
