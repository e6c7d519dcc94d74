/**
 * The real UI, in browser mode, in Debian's Chromium, on the lab engine: what a user sees and does.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labDocker, labInfo, startEngine, startThrottleProxy, stopEngine, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const SCREENSHOTS = join(__dirname, '../../docs/screenshots');

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];

function row(name: string) {
  return page.getByTestId(`image-row:${name}`);
}

/** Resolves once the pull dialog's overall progress bar shows a value above 0 (bytes are moving). */
async function progressShown(): Promise<void> {
  const bar = '[role="progressbar"][aria-label="Overall progress"][aria-valuenow]:not([aria-valuenow="0"])';
  await page.getByRole('dialog', { name: 'Pull image' }).locator(bar).waitFor({ timeout: 30_000 });
}

async function reopen(): Promise<void> {
  await page.context().close();
  ({ page, errors: pageErrors } = await openApp(browser, app));
}

beforeAll(async () => {
  info = labInfo();
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
});

// Each test starts from a freshly loaded app, so one failure cannot leave a dialog open for the next.
beforeEach(async () => {
  await reopen();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('Images view', () => {
  it('shows the seeded images, one row per repo:tag, and the connected engine', async () => {
    const banner = page.getByRole('region', { name: 'Engine status' });
    await expect.poll(() => banner.textContent()).toMatch(/Docker Engine 20\.10/);
    expect(await banner.textContent()).toContain(info.socketPath);

    for (const tag of [
      ...info.images.appTags,
      info.images.base,
      info.images.appDebug,
      info.images.tool,
      info.images.toolExtra,
    ]) {
      await row(tag).waitFor();
    }
    // The dangling image is one <none>:<none> row with its short ID.
    const shortId = info.images.danglingId.replace(/^sha256:/, '').slice(0, 12);
    await page.getByRole('row', { name: `<none>:<none> ${shortId}` }).waitFor();
    // lab/tool:1.0 is used by the running container.
    // Columns: Repository, Tag, Image ID, Created, Size, Containers.
    expect(await row(info.images.tool).getByRole('cell').nth(5).textContent()).toBe('1');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'images.png') });
    expect(pageErrors).toEqual([]);
  });

  it('filters by text and by dangling only', async () => {
    const filter = page.getByRole('searchbox', { name: 'Filter images' });
    await filter.fill('app-debug');
    await row(info.images.appDebug).waitFor();
    await expect.poll(() => row(info.images.base).count()).toBe(0);
    await filter.fill('');
    await page.getByRole('checkbox', { name: 'Dangling only' }).check();
    await expect.poll(() => page.getByRole('row', { name: /^<none>:<none>/ }).count()).toBeGreaterThan(0);
    await expect.poll(() => row(info.images.base).count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Dangling only' }).uncheck();
    await row(info.images.base).waitFor();
  });
});

describe('Pull', () => {
  it('refuses an invalid reference before any call', async () => {
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Pull image' });
    await dialog.getByLabel('Image reference').fill('Lab/Big:1.0');
    expect(await dialog.getByRole('button', { name: 'Start pull' }).isDisabled()).toBe(true);
    expect(await dialog.textContent()).toContain('must be lowercase');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
  });

  it('pulls from the lab registry with progress, and the image appears in the list', async () => {
    // A throttled path to the registry, so the progress is there to be seen.
    const proxy = await startThrottleProxy(info.registry, { bytesPerSecond: 3_000_000 });
    try {
      const reference = `${proxy.address}/lab/big:1.0`;
      await page.getByRole('button', { name: 'Pull', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Pull image' });
      await dialog.getByLabel('Image reference').fill(reference);
      await dialog.getByRole('button', { name: 'Start pull' }).click();

      const overall = dialog.getByRole('progressbar', { name: 'Overall progress' });
      await overall.waitFor();
      // Some intermediate value between the start and the end is shown.
      await progressShown();
      expect(await dialog.getByRole('progressbar', { name: /^Layer / }).count()).toBeGreaterThan(0);

      await dialog.getByRole('status').filter({ hasText: 'Pulled' }).waitFor({ timeout: 60_000 });
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await row(reference).waitFor();
    } finally {
      await proxy.close();
    }
  });

  it('cancels a pull, and the app keeps working', async () => {
    const proxy = await startThrottleProxy(info.registry, { bytesPerSecond: 200_000 });
    try {
      // Forget the layers the previous test pulled, so this pull has bytes to download.
      const pulled = await labDocker(info, ['images', '-q', '--filter', 'reference=*/lab/big']);
      for (const id of new Set(pulled.split(/\s+/).filter(Boolean))) await labDocker(info, ['rmi', '-f', id]);
      const slow = `${proxy.address}/lab/big:1.0`;
      await page.getByRole('button', { name: 'Pull', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Pull image' });
      await dialog.getByLabel('Image reference').fill(slow);
      await dialog.getByRole('button', { name: 'Start pull' }).click();
      // Wait until bytes are moving, then cancel mid-download.
      await progressShown();
      await dialog.getByRole('button', { name: 'Cancel pull' }).click();
      await dialog.getByText('The pull was cancelled.').waitFor({ timeout: 20_000 });
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      expect(await row(slow).count()).toBe(0);
      await row(info.images.base).waitFor();
    } finally {
      await proxy.close();
    }
  });
});

describe('Remove', () => {
  it('removes one tag of a multi-tag image and keeps the others', async () => {
    await labDocker(info, ['tag', info.images.base, 'e2e/remove-me:one']);
    await labDocker(info, ['tag', info.images.base, 'e2e/remove-me:two']);
    await reopen();
    await row('e2e/remove-me:one').waitFor();

    await page.getByRole('button', { name: 'Remove e2e/remove-me:one' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove image' });
    await dialog.getByRole('heading', { name: 'Remove e2e/remove-me:one?' }).waitFor();
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();

    await expect.poll(() => row('e2e/remove-me:one').count()).toBe(0);
    await row('e2e/remove-me:two').waitFor();
    await row(info.images.base).waitFor();
    expect(await labDocker(info, ['images', '-q', 'e2e/remove-me:one'])).toBe('');
    await labDocker(info, ['rmi', 'e2e/remove-me:two']);
  });

  it('refuses an image used by a container with the engine reason and offers force', async () => {
    // lab/tool:1.0 has one tag and the running container uses it.
    await page.getByRole('button', { name: `Remove ${info.images.tool}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove image' });
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/container/i);
    expect(await alert.textContent()).toContain(info.images.tool);
    await dialog.getByRole('button', { name: 'Force remove' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await row(info.images.tool).waitFor();
    expect(await labDocker(info, ['images', '-q', info.images.tool])).not.toBe('');
  });
});

describe('Browser server', () => {
  let foreign: Server | undefined;
  afterAll(() => {
    foreign?.close();
  });

  it('refuses a missing token and a page from a foreign origin', async () => {
    const noToken = await page.request.post(`${app.origin}/api/images.list`, { data: {} });
    expect(noToken.status()).toBe(401);
    const auth = { authorization: `Bearer ${app.token}` };
    const good = await page.request.post(`${app.origin}/api/images.list`, { data: {}, headers: auth });
    expect(good.status()).toBe(200);
    const foreignOrigin = await page.request.post(`${app.origin}/api/images.list`, {
      data: {},
      headers: { ...auth, origin: 'http://evil.example' },
    });
    expect(foreignOrigin.status()).toBe(403);
    const rebound = await page.request.post(`${app.origin}/api/images.list`, {
      data: {},
      headers: { ...auth, host: `evil.example:${app.port}` },
    });
    expect(rebound.status()).toBe(403);

    // A page on another loopback port that knows the token still cannot call the API (CSRF).
    foreign = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>evil</title>');
    });
    await new Promise<void>((resolve) => foreign!.listen(0, '127.0.0.1', resolve));
    const address = foreign.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const evil = await page.context().newPage();
    await evil.goto(`http://127.0.0.1:${port}/`);
    const failed: string[] = [];
    evil.on('requestfailed', (request) => failed.push(request.url()));
    // A cross-site call that knows the token is still refused: the browser never gets an answer it may read, and
    // the image is still there afterwards.
    await evil.evaluate(
      async ([origin, token]) => {
        await fetch(`${origin}/api/events?token=${token}`).catch(() => undefined);
        await fetch(`${origin}/api/images.remove`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ reference: 'lab/base:latest', force: true }),
        }).catch(() => undefined);
      },
      [app.origin, app.token] as const,
    );
    await expect.poll(() => failed.length).toBe(2);
    await evil.close();
    expect(await labDocker(info, ['images', '-q', info.images.base])).not.toBe('');
  });
});

describe('Engine banner', () => {
  it('explains a stopped engine, offers Retry, and reconnects by itself once the engine is back', async () => {
    await row(info.images.base).waitFor();
    await stopEngine(info);
    try {
      await page.reload();
      const banner = page.getByRole('region', { name: 'Engine status' });
      await expect
        .poll(() => banner.textContent(), { timeout: 20_000 })
        .toContain(`No Docker engine at ${info.dockerHost}`);
      const retry = page.getByRole('button', { name: 'Retry' });
      await retry.waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'no-engine.png') });

      await startEngine(info);
      // The service's event stream reconnects with back-off: the banner turns connected without a click.
      await expect.poll(() => banner.textContent(), { timeout: 20_000 }).toMatch(/Docker Engine 20\.10/);
      await row(info.images.base).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await startEngine(info).catch(() => undefined);
      await labDocker(info, ['start', info.containers.running]).catch(() => '');
    }
  });
});
