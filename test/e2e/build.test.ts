/**
 * The Build dialog in browser mode, in Debian's Chromium, on the lab engine: a typed context path, the log
 * streaming steps, the built image selected in the Images list; a failing build highlights its failed step.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const unique = `${process.pid}-${Date.now().toString(36)}`;
const TAG = `t-build/e2e:${unique}`;
const FAIL_TAG = `t-build/e2e-fail:${unique}`;

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let root: string;

function context(name: string, dockerfile: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'hello.txt'), 'hello');
  return dir;
}

async function openBuild(contextPath: string, tag: string): Promise<ReturnType<Page['getByRole']>> {
  await page.getByRole('button', { name: 'Build…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Build image' });
  await dialog.getByLabel('Context folder').fill(contextPath);
  await dialog.getByLabel('Tags').fill(tag);
  await dialog.getByRole('button', { name: 'Start build' }).click();
  return dialog;
}

beforeAll(async () => {
  info = labInfo();
  root = mkdtempSync(join(tmpdir(), 'strata-e2e-build-'));
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
});

beforeEach(async () => {
  if (page !== undefined) await page.context().close();
  ({ page } = await openApp(browser, app));
  await page.getByRole('button', { name: 'Build…' }).and(page.locator(':enabled')).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  for (const tag of [TAG, FAIL_TAG]) await labDocker(info, ['image', 'rm', '-f', tag]).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('Build dialog', () => {
  it('builds from a typed context path, shows the steps, and selects the image in the list', async () => {
    const dir = context(
      'ok',
      `FROM ${info.images.base}\nCOPY hello.txt /hello.txt\nRUN echo e2e-step-output && cat /hello.txt\n`,
    );
    const dialog = await openBuild(dir, TAG);
    await dialog
      .getByRole('status')
      .filter({ hasText: `Built ${TAG}` })
      .waitFor({ timeout: 60_000 });
    const steps = dialog.getByRole('list', { name: 'Build steps' }).getByRole('listitem');
    await expect.poll(() => steps.count()).toBe(3);
    expect(await steps.nth(2).getAttribute('aria-label')).toBe('Step 3 of 3: done');
    expect(await steps.nth(2).textContent()).toContain('RUN echo e2e-step-output && cat /hello.txt');
    await steps.nth(2).getByRole('button').click();
    expect(await steps.nth(2).textContent()).toContain('e2e-step-output');

    await dialog.getByRole('button', { name: 'Close and show image' }).click();
    const row = page.getByRole('row', { name: TAG });
    await row.waitFor();
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
  });

  it('a failing build highlights the failed step with the error', async () => {
    const dir = context('fail', `FROM ${info.images.base}\nRUN echo going-to-fail && exit 7\nRUN echo never\n`);
    const dialog = await openBuild(dir, FAIL_TAG);
    const failed = dialog.getByRole('listitem', { name: 'Step 2 of 3: failed' });
    await failed.waitFor({ timeout: 60_000 });
    expect(await failed.getAttribute('class')).toContain('is-failed');
    expect(await failed.getByRole('button').getAttribute('aria-expanded')).toBe('true');
    const alert = failed.getByRole('alert');
    expect(await alert.textContent()).toMatch(/failed at step 2\/3 .*non-zero code: 7/);
    expect(await failed.textContent()).toContain('going-to-fail');
    expect(await page.getByRole('row', { name: FAIL_TAG }).count()).toBe(0);
  });
});
