/**
 * End-to-end harness: the real browser-mode server (the built out/server.cjs) against the lab engine, and Debian's
 * Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { saveEngineSettings } from '../../electron/engine/host/settings';
import { newEngineId } from '../../electron/engine/host/hub';

const ROOT = join(__dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ServedApp {
  /** The full URL the server printed, with `#token=`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** The server's own settings folder (`--data-dir`), fresh for this server and removed by stop(). */
  readonly dataDir: string;
  /** The engines added before start, with the ids they got (in the order given). */
  readonly engines: readonly { readonly id: string; readonly name: string; readonly host: string }[];
  readonly stop: () => Promise<void>;
}

export interface ServeOptions {
  /** Engines in the settings before the server starts, as if the user had added them (`engines.add`). */
  readonly engines?: readonly { readonly name: string; readonly host: string; readonly id?: string }[];
}

/**
 * Starts `out/server.cjs --engine <dockerHost> --data-dir <fresh temp dir>` and resolves with the URL line it prints.
 * The server never reads or writes the real user's settings; `options.engines` are added engines it starts with.
 */
export async function serveApp(
  dockerHost: string,
  extraArgs: readonly string[] = [],
  options: ServeOptions = {},
): Promise<ServedApp> {
  const bundle = join(ROOT, 'out/server.cjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first (npm run test:e2e does).`);
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-e2e-data-'));
  const engines = (options.engines ?? []).map((engine) => ({ ...engine, id: engine.id ?? newEngineId(engine.name) }));
  if (engines.length > 0) saveEngineSettings(dataDir, engines);
  const child: ChildProcess = spawn(
    process.execPath,
    [bundle, '--engine', dockerHost, '--port', '0', '--data-dir', dataDir, ...extraArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server printed no URL within 20 s; stderr: ${stderr}`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^Strata is serving at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`server exited with ${code}; stderr: ${stderr}`));
    });
  });
  const parsed = new URL(url);
  const token = parsed.hash.replace(/^#token=/, '');
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token,
    dataDir,
    engines,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A page at 1280x800 that fails the test on any uncaught page error. */
export async function openApp(browser: Browser, app: ServedApp): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(app.url);
  return { page, errors };
}
