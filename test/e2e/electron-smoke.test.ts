/**
 * The desktop app itself, through playwright-core's `_electron`, against the lab engine. Runs only
 * where an Electron binary exists (and, on Linux, a display); skipped with the reason elsewhere.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobState, Outcome } from '../../shared/api';
import type { StrataBridge } from '../../shared/bridge';
import { labDocker, labInfo, type LabInfo } from '../lab/context';

const ROOT = path.join(__dirname, '../..');
const MAIN = path.join(ROOT, 'out', 'main.cjs');

/** The Electron executable, or the one-line reason the smoke test cannot run here. */
function electronExecutable(): { readonly path: string } | { readonly reason: string } {
  let resolved: unknown;
  try {
    resolved = createRequire(__filename)('electron');
  } catch {
    return { reason: 'no Electron binary here (its download was skipped or failed; see scripts/start.mjs)' };
  }
  if (typeof resolved !== 'string' || !existsSync(resolved)) {
    return { reason: `no Electron binary here (${String(resolved)} does not exist)` };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'an Electron binary exists but there is no display (DISPLAY/WAYLAND_DISPLAY unset)' };
  }
  if (!existsSync(MAIN)) return { reason: `${MAIN} is missing: run npm run build first` };
  return { path: resolved };
}

const found = electronExecutable();

/** What the page sees of `window.strata` (page functions run in the renderer, so no closures over test state). */
interface Probe {
  readonly keys: readonly string[];
  readonly frozen: boolean;
  readonly domainsFrozen: boolean;
  readonly nodeGlobals: readonly string[];
  readonly ping: Outcome<{ state: string; endpoint: { address: string } }>;
  readonly invalid: Outcome<unknown>;
  readonly popup: boolean;
}

describe('Electron smoke', () => {
  let lab: LabInfo;
  let app: ElectronApplication | undefined;
  let page: Page;

  beforeAll(async () => {
    if ('reason' in found) return;
    lab = labInfo();
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({
      executablePath: found.path,
      args: [MAIN, `--engine=${lab.dockerHost}`],
      env,
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens one isolated window whose only bridge is a frozen window.strata talking to the engine', async (ctx) => {
    if ('reason' in found) return ctx.skip(found.reason);
    expect(page.url()).toBe('strata://app/index.html');

    const probe = await page.evaluate(async (): Promise<Probe> => {
      const scope = globalThis as unknown as Record<string, unknown> & { strata: StrataBridge };
      const strata = scope.strata;
      return {
        keys: Object.keys(strata).sort(),
        frozen: Object.isFrozen(strata),
        domainsFrozen: Object.isFrozen(strata.images) && Object.isFrozen(strata.events),
        nodeGlobals: ['require', 'process', 'module', 'Buffer', 'ipcRenderer'].filter((name) => name in scope),
        ping: (await strata.engine.ping({})) as Probe['ping'],
        invalid: await strata.images.remove({ reference: 'lab/app:1.0?force=true' }),
        popup: (globalThis as unknown as { open: (url: string) => unknown }).open('https://example.com/') !== null,
      };
    });

    expect(probe.keys).toEqual(['engine', 'events', 'images', 'jobs']);
    expect(probe.frozen).toBe(true);
    expect(probe.domainsFrozen).toBe(true);
    expect(probe.nodeGlobals).toEqual([]);
    expect(probe.ping).toMatchObject({
      ok: true,
      value: { state: 'connected', endpoint: { address: lab.dockerHost } },
    });
    expect(probe.invalid).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(probe.popup).toBe(false);
    expect(app?.windows()).toHaveLength(1);
  });

  it('shows the lab engine and its images to the user', async (ctx) => {
    if ('reason' in found) return ctx.skip(found.reason);
    await page.getByText(lab.dockerHost).first().waitFor({ timeout: 30_000 });
    await page.getByText('lab/tool-extra').first().waitFor({ timeout: 30_000 });
  });

  it('pushes a pull job’s progress and end to the window, and stops after unsubscribe', async (ctx) => {
    if ('reason' in found) return ctx.skip(found.reason);
    try {
      const outcome = await page.evaluate(async (reference: string) => {
        const strata = (globalThis as unknown as { strata: StrataBridge }).strata;
        const ends = new Map<string, JobState>();
        let progress = 0;
        const off = strata.events.subscribe((event) => {
          if (event.type === 'job.end') ends.set(event.job.id, event.job.state);
          if (event.type === 'job.progress') progress++;
        });
        const started = await strata.images.pull({ reference });
        if (!started.ok) return { error: started.error.message };
        const jobId = started.value.jobId;
        const deadline = Date.now() + 60_000;
        while (!ends.has(jobId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        off();
        return { state: ends.get(jobId) ?? 'no job.end event', progress };
      }, lab.remote.small);
      expect(outcome).toMatchObject({ state: 'done' });
    } finally {
      await labDocker(lab, ['rmi', lab.remote.small]).catch(() => undefined);
    }
  });
});
