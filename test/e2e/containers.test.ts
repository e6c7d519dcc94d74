/**
 * The Containers view in browser mode, in Debian's Chromium, on the lab engine: the seeded containers are listed with
 * their images and states; a container of a compose project (made here) is grouped under its project; it is stopped
 * and started from its row (checked with the docker CLI); and a container run from the Run dialog shows up.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const RAND = Math.random().toString(36).slice(2, 10);
const NAME = `t-e2e-ctr-${RAND}`;
const RUN_NAME = `t-e2e-ctr-run-${RAND}`;
// The batch containers share a prefix no other container here has, so the filter shows exactly these two.
const BATCH_PREFIX = `t-e2e-batch-${RAND}-`;
const BATCH_RUNNING = `${BATCH_PREFIX}running`;
const BATCH_STOPPED = `${BATCH_PREFIX}stopped`;
const PROJECT = `t-e2e-proj-${RAND}`;
const LABEL = `strata-e2e=${RAND}`;

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];

const stateOf = async (name: string): Promise<string> =>
  (await labDocker(info, ['inspect', '--format', '{{.State.Status}}', name])).trim();

beforeAll(async () => {
  info = labInfo();
  await labDocker(info, [
    'run',
    '-d',
    '--network',
    'none',
    '--label',
    `com.docker.compose.project=${PROJECT}`,
    '--label',
    LABEL,
    '--name',
    NAME,
    info.images.base,
    'sleep',
    '100000',
  ]);
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'Containers', exact: true })
    .click();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  for (const name of [NAME, RUN_NAME, BATCH_RUNNING, BATCH_STOPPED])
    await labDocker(info, ['rm', '-f', name]).catch(() => undefined);
}, 60_000);

const table = (): Locator => page.getByRole('table', { name: 'Containers' });
const row = (name: string): Locator => table().getByRole('row', { name, exact: true });

describe('Containers view', () => {
  it('lists the seeded containers with their images and states', async () => {
    const running = row(info.containers.running);
    await running.waitFor();
    expect(await running.getByRole('button', { name: /^Image / }).textContent()).toBe(info.images.tool);
    expect(await running.getAttribute('data-state')).toBe('running');
    expect(await running.textContent()).toMatch(/Up /);
    const stopped = row(info.containers.stopped);
    expect(await stopped.getByRole('button', { name: /^Image / }).textContent()).toBe(info.images.app);
    expect(await stopped.getAttribute('data-state')).toBe('exited');
    expect(await stopped.textContent()).toMatch(/Exited \(\d+\)/);
    // What the row offers follows the state.
    expect(await running.getByRole('button', { name: `Stop ${info.containers.running}` }).count()).toBe(1);
    expect(await stopped.getByRole('button', { name: `Start ${info.containers.stopped}` }).count()).toBe(1);
    expect(await stopped.getByRole('button', { name: `Stop ${info.containers.stopped}` }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('groups a compose project’s containers under the project', async () => {
    const group = table().getByRole('rowgroup', { name: `Compose project ${PROJECT}` });
    await group.getByRole('row', { name: NAME, exact: true }).waitFor();
    expect(await group.textContent()).toContain('1 container, 1 running');
    const others = table().getByRole('rowgroup', { name: 'Other containers' });
    expect(await others.getByRole('row', { name: NAME, exact: true }).count()).toBe(0);
    expect(await others.getByRole('row', { name: info.containers.running, exact: true }).count()).toBe(1);
  });

  it('computes writable-layer sizes only when asked', async () => {
    const sizeCell = row(info.containers.running).locator('td').nth(7);
    expect((await sizeCell.textContent())?.trim()).toBe('—');
    await page.getByRole('button', { name: 'Show sizes' }).click();
    await expect.poll(async () => (await sizeCell.textContent()) ?? '', { timeout: 60_000 }).toMatch(/^\d/);
    expect(await sizeCell.textContent()).toMatch(/virtual \d/);
  }, 90_000);

  it('stops a container from its row, then starts it again', async () => {
    const mine = row(NAME);
    await mine.getByRole('button', { name: `Stop ${NAME}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop container' });
    await dialog.getByLabel('Timeout (seconds)').fill('1');
    await dialog.getByRole('button', { name: 'Stop', exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => mine.getAttribute('data-state'), { timeout: 30_000 }).toBe('exited');
    expect(await stateOf(NAME)).toBe('exited');

    await mine.getByRole('button', { name: `Start ${NAME}` }).click();
    await expect.poll(() => mine.getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    expect(await stateOf(NAME)).toBe('running');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('runs a container from the Run dialog and lists it', async () => {
    await page.getByRole('button', { name: 'Run…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Run container' });
    await dialog.getByLabel('Image', { exact: true }).fill(info.images.base);
    await dialog.getByLabel('Name', { exact: true }).fill(RUN_NAME);
    await dialog.getByLabel('Command', { exact: true }).fill(`sh -c 'echo started; sleep 100000'`);
    expect(await dialog.textContent()).toContain('argv: ["sh", "-c", "echo started; sleep 100000"]');
    await dialog.getByLabel('Labels', { exact: true }).fill(LABEL);
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });

    // It opens the new container's view.
    await page.getByRole('heading', { level: 1, name: RUN_NAME }).waitFor();
    expect(await stateOf(RUN_NAME)).toBe('running');
    expect(
      (await labDocker(info, ['inspect', '--format', '{{index .Config.Labels "strata-e2e"}}', RUN_NAME])).trim(),
    ).toBe(RAND);

    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Containers', exact: true })
      .click();
    const listed = row(RUN_NAME);
    await listed.waitFor();
    expect(await listed.getByRole('button', { name: /^Image / }).textContent()).toBe(info.images.base);
    await expect.poll(() => listed.getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    expect(pageErrors).toEqual([]);
  }, 120_000);
  it('opens the Run dialog from an image row with the image filled in', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Images', exact: true }).click();
    const imageRow = page.getByTestId(`image-row:${info.images.tool}`);
    await imageRow.waitFor();
    await imageRow.getByRole('button', { name: `Run ${info.images.tool}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Run container' });
    expect(await dialog.getByLabel('Image', { exact: true }).inputValue()).toBe(info.images.tool);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });
  it('removes checked containers with a result per item, then force-removes the running one', async () => {
    const common = ['--network', 'none', '--label', LABEL, info.images.base];
    await labDocker(info, ['run', '-d', '--name', BATCH_RUNNING, ...common, 'sleep', '100000']);
    await labDocker(info, ['create', '--name', BATCH_STOPPED, ...common, 'true']);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Containers', exact: true })
      .click();
    await page.getByLabel('Filter containers').fill(BATCH_PREFIX);
    await row(BATCH_RUNNING).waitFor();
    await row(BATCH_STOPPED).waitFor();
    await expect.poll(() => table().locator('tbody tr[data-state]').count()).toBe(2);
    await page.getByLabel('Select all shown containers').check();
    await page.getByRole('toolbar', { name: 'Checked containers' }).getByRole('button', { name: 'Remove 2…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove containers' });
    await dialog.getByRole('button', { name: 'Remove 2', exact: true }).click();
    await dialog.getByRole('listitem', { name: `${BATCH_STOPPED}: removed` }).waitFor({ timeout: 30_000 });
    const failed = dialog.getByRole('listitem', { name: `${BATCH_RUNNING}: failed` });
    expect(await failed.textContent()).toMatch(/running/i);
    expect(await dialog.getByRole('status').textContent()).toBe('1 of 2 done; 1 failed.');
    await expect(labDocker(info, ['inspect', BATCH_STOPPED])).rejects.toThrow();
    expect(await stateOf(BATCH_RUNNING)).toBe('running');

    await dialog.getByRole('button', { name: 'Force remove the 1 that is running' }).click();
    await dialog.getByRole('listitem', { name: `${BATCH_RUNNING}: removed` }).waitFor({ timeout: 30_000 });
    expect(await dialog.getByRole('status').textContent()).toBe('All 2 done.');
    await expect(labDocker(info, ['inspect', BATCH_RUNNING])).rejects.toThrow();
    await dialog.getByText('Close', { exact: true }).click();
    await expect.poll(() => row(BATCH_RUNNING).count(), { timeout: 30_000 }).toBe(0);
    await page.getByLabel('Filter containers').fill('');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
