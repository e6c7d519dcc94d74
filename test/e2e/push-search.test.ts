/**
 * Push and Docker Hub search in the real UI (browser mode, Chromium) on the lab engine and registry.
 */
import { request } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let target: string;

/** The digest the registry serves for a manifest (v2 Accept header). */
function registryDigest(registry: string, repository: string, tag: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const [host, port] = registry.split(':');
    const req = request(
      {
        host,
        port: Number(port),
        path: `/v2/${repository}/manifests/${tag}`,
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      },
      (res) => {
        res.resume();
        const digest = res.headers['docker-content-digest'];
        resolve(res.statusCode === 200 && typeof digest === 'string' ? digest : undefined);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  info = labInfo();
  target = `${info.registry}/t-e2e-push/app:1`;
  await labDocker(info, ['tag', info.images.app, target]);
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await labDocker(info, ['image', 'rm', target]).catch(() => undefined);
});

describe('Push', () => {
  it('pushes a row to the lab registry: target, per-layer progress, done with the registry’s digest', async () => {
    await page.getByTestId(`image-row:${target}`).waitFor();
    await page.getByRole('button', { name: `Push ${target}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Push image' });
    const where = dialog.getByLabel('Push target');
    expect(await where.textContent()).toContain(info.registry);
    expect(await where.textContent()).toContain('t-e2e-push/app');

    await dialog.getByRole('button', { name: 'Push', exact: true }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'Pushed' });
    await done.waitFor({ timeout: 60_000 });

    const layers = dialog.getByRole('list', { name: 'Layers' });
    expect(await layers.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await layers.textContent()).toMatch(/Pushed|Layer already exists|Mounted from/);

    const digest = await registryDigest(info.registry, 't-e2e-push/app', '1');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await done.textContent()).toBe(`Pushed ${target}. Digest: ${digest ?? ''}`);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    expect(pageErrors).toEqual([]);
  });
});

describe('Search Hub', () => {
  it('shows exactly the no-internet message, and the Images view still lists images', async () => {
    await page.getByRole('button', { name: 'Search Hub…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Search Docker Hub' });
    await dialog.getByLabel('Search term').fill('alpine');
    await dialog.getByRole('button', { name: 'Search', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toBe(
      'Docker Hub search needs the engine to reach index.docker.io, and it could not (no internet connection or DNS). Images already on this engine are unaffected.',
    );
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await expect.poll(() => dialog.count()).toBe(0);

    await page.getByTestId(`image-row:${info.images.base}`).waitFor();
    await page.getByTestId(`image-row:${info.images.tool}`).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
