/**
 * The Container view in browser mode, in Debian's Chromium, on the lab engine: a container this test starts (writing
 * to stdout and stderr, touching a file, then ticking every second) is opened from the Containers view; its log shows
 * both streams (stderr marked), a new tick arrives while following, the Stats tab shows a memory figure and the
 * Changes tab lists the file it added.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const RAND = Math.random().toString(36).slice(2, 10);
const NAME = `t-e2e-logs-${RAND}`;
const SCRIPT = 'echo hello-out; echo hello-err >&2; touch /added-file; while true; do echo tick; sleep 1; done';

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  info = labInfo();
  await labDocker(info, [
    'run',
    '-d',
    '--network',
    'none',
    '--label',
    `strata-e2e=${RAND}`,
    '--name',
    NAME,
    info.images.base,
    'sh',
    '-c',
    SCRIPT,
  ]);
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await labDocker(info, ['rm', '-f', NAME]).catch(() => undefined);
}, 60_000);

/** The text of every rendered log row. */
const logRows = (p: Page): Promise<string[]> =>
  p.getByRole('log', { name: 'Container log' }).locator('.log-line').allTextContents();

describe('Container view', () => {
  it('opens from the Containers view and streams the log, both streams told apart', async () => {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Containers', exact: true })
      .click();
    const row = page.getByRole('row', { name: NAME });
    await row.getByRole('button', { name: NAME, exact: true }).click();

    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    await expect.poll(async () => page.getByLabel(/^State: /).textContent()).toBe('running');

    await page.getByRole('tab', { name: 'Logs' }).click();
    const log = page.getByRole('log', { name: 'Container log' });
    await log.getByText('hello-out').waitFor();
    const errRow = log.locator('.log-line', { hasText: 'hello-err' });
    await errRow.waitFor();
    expect(await errRow.getAttribute('data-stream')).toBe('stderr');
    expect(await errRow.locator('.log-marker').textContent()).toBe('ERR');
    expect(await log.locator('.log-line', { hasText: 'hello-out' }).getAttribute('data-stream')).toBe('stdout');

    // Following: a new tick arrives without doing anything.
    const ticks = async (): Promise<number> => (await logRows(page)).filter((t) => t.endsWith('tick')).length;
    const before = await ticks();
    await expect.poll(ticks, { timeout: 15_000 }).toBeGreaterThan(before);

    // Search counts the matching lines.
    await page.getByLabel('Search the log').fill('hello-');
    expect(await page.getByRole('status', { name: 'Matches' }).textContent()).toBe('2 lines match');
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows live stats with a memory figure', async () => {
    await page.getByRole('tab', { name: 'Stats' }).click();
    const memory = page.getByTestId('stat-memory');
    await expect.poll(async () => memory.textContent(), { timeout: 20_000 }).toMatch(/^[\d.]+\w*B \/ [\d.]+\w*B$/);
    expect(await page.getByRole('img', { name: /^Memory: [\d.]+\w*B \/ / }).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('lists /added-file as added in the Changes tab', async () => {
    await page.getByRole('tab', { name: 'Changes' }).click();
    const list = page.getByRole('list', { name: 'Changed paths' });
    const added = list.locator('li.change-added', { hasText: '/added-file' });
    await added.waitFor();
    expect(await added.locator('.change-marker').textContent()).toBe('A');
    expect(await page.getByLabel(/^Added \(\d+\)$/).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('stops the container from its header, and the log says it ended', async () => {
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByRole('log', { name: 'Container log' }).getByText('hello-out').waitFor();
    await page
      .getByRole('toolbar', { name: 'Container actions' })
      .getByRole('button', { name: 'Stop', exact: true })
      .click();
    await page.getByText('Container exited — log ended.').waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.getByLabel(/^State: /).textContent(), { timeout: 15_000 }).toBe('exited');
    expect((await labDocker(info, ['inspect', '--format', '{{.State.Status}}', NAME])).trim()).toBe('exited');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('starts it again from its header, and the log follows the new run by itself', async () => {
    const rowsBefore = (await logRows(page)).length;
    await page
      .getByRole('toolbar', { name: 'Container actions' })
      .getByRole('button', { name: 'Start', exact: true })
      .click();
    await expect.poll(async () => page.getByLabel(/^State: /).textContent(), { timeout: 15_000 }).toBe('running');
    await page.getByText('Container exited — log ended.').waitFor({ state: 'detached', timeout: 15_000 });
    // The new run prints hello-out again, then ticks.
    await expect
      .poll(async () => (await logRows(page)).filter((t) => t.endsWith('hello-out')).length, { timeout: 15_000 })
      .toBe(2);
    expect((await logRows(page)).length).toBeGreaterThan(rowsBefore);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
