/**
 * Prune in browser mode, in Debian's Chromium, on the lab engine: the preview lists exactly the
 * image this test made (filtered on its unique label), the prune removes it, and the dialog shows
 * that the engine did what the preview said.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortImageId } from '../../shared/names';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { launchBrowser, openApp, serveApp, type ServedApp } from './harness';

const RAND = Math.random().toString(36).slice(2, 10);
const LABEL = `strata-prune-e2e=${RAND}`;

let info: LabInfo;
let app: ServedApp;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let work: string;
let danglingId: string;
let taggedId: string;

async function build(lines: readonly string[], tags: readonly string[]): Promise<string> {
  writeFileSync(join(work, 'Dockerfile'), lines.join('\n'));
  const out = await labDocker(info, ['build', '-q', '--rm', ...tags.flatMap((t) => ['-t', t]), work]);
  return out.trim().split('\n').at(-1) ?? '';
}

beforeAll(async () => {
  info = labInfo();
  work = mkdtempSync(join(tmpdir(), 'strata-prune-e2e-'));
  const from = [`FROM ${info.images.base}`, `LABEL ${LABEL}`];
  danglingId = await build([...from, 'RUN head -c 30000 /dev/urandom > /d.bin'], []);
  taggedId = await build([...from, `RUN echo kept-${RAND} > /k.txt`], [`t-prune-e2e-${RAND}/kept:1`]);
  app = await serveApp(info.dockerHost);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openApp(browser, app));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  for (const id of [taggedId, danglingId]) await labDocker(info, ['rmi', '-f', id]).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('Prune dialog', () => {
  it('previews exactly the dangling image with this label, prunes it, and shows the engine agreed', async () => {
    await page.getByRole('button', { name: 'Prune…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Prune images' });
    await dialog.getByLabel('Label filters').fill(LABEL);
    await dialog.getByRole('button', { name: 'Preview' }).click();

    const table = dialog.getByRole('table', { name: 'Images that go' });
    await table.waitFor();
    const rows = table.getByRole('row');
    // Header + the dangling image and the intermediate under it (classic builder), nothing else.
    const text = (await table.textContent()) ?? '';
    expect(text).toContain(shortImageId(danglingId));
    expect(text).not.toContain(shortImageId(taggedId));
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    await dialog.getByText(/\d+ images? kept/).click();
    await expect
      .poll(async () => (await dialog.getByRole('region', { name: 'Tagged' }).textContent()) ?? '')
      .toContain(`t-prune-e2e-${RAND}/kept:1`);

    await dialog.getByRole('button', { name: 'Prune', exact: true }).click();
    await dialog.getByText('It did exactly what the preview said.').waitFor({ timeout: 60_000 });
    expect(await dialog.getByRole('status').first().textContent()).toMatch(/reclaimed \d/);
    expect(await dialog.getByRole('alert').count()).toBe(0);

    await expect(labDocker(info, ['image', 'inspect', danglingId])).rejects.toThrow();
    expect((await labDocker(info, ['image', 'inspect', '--format', '{{.Id}}', taggedId])).trim()).toBe(taggedId);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
