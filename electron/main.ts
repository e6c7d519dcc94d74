/**
 * The Electron main process: one window showing the built renderer from the `strata://app`
 * scheme, isolated and sandboxed, wired to the engine hub (every engine's service) through electron/ipc.ts.
 *
 * Usage: electron out/main.cjs [--engine URL]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog, Notification, protocol, safeStorage, session, type WebContents } from 'electron';
import { createEngineHub } from './engine/host/hub';
import { createFileLogger, logLevelFrom, type FileLogger } from './engine/host/logger';
import type { ServiceHost } from './engine/host/service';
import { registerIpc, type FileDialogs } from './ipc';
import { jobEndNotice } from './notify';
import { electronSecretStore } from './secrets-electron';
import { mimeTypeOf, SECURITY_HEADERS, staticFilePath } from './server/guards';

const SCHEME = 'strata';
const APP_HOST = 'app';
const APP_ORIGIN = `${SCHEME}://${APP_HOST}`;
const RENDERER_DIR = path.join(__dirname, 'renderer');
const PRELOAD = path.join(__dirname, 'preload.cjs');

/** `--engine URL` / `--engine=URL` among Electron's (and Chromium's) arguments. */
function engineFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--engine=')) return arg.slice('--engine='.length) || undefined;
    if (arg === '--engine') return argv[i + 1];
  }
  return undefined;
}

function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

// Before `ready`: a standard, secure scheme (relative URLs, ES modules, storage work) that does NOT bypass CSP.
protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Serves out/renderer under strata://app/, every response with the strict CSP. */
function registerAppProtocol(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return notFound();
    const file = staticFilePath(RENDERER_DIR, url.pathname);
    if (file === null) return notFound();
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'Content-Type': mimeTypeOf(file) },
      });
    } catch {
      return notFound();
    }
  });
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Every web contents, present and future: no navigation, no new windows, no webviews. */
function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Native open/save dialogs, modal to the window. */
const fileDialogs: FileDialogs = {
  async chooseOpen(window, options) {
    const result = await dialog.showOpenDialog(window, {
      title: options.title,
      properties: options.folder === true ? ['openDirectory'] : ['openFile'],
      ...(options.filters === undefined
        ? {}
        : { filters: options.filters.map((f) => ({ ...f, extensions: [...f.extensions] })) }),
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async chooseSave(window, options) {
    const result = await dialog.showSaveDialog(window, {
      title: options.title,
      defaultPath: options.defaultName,
      ...(options.filters === undefined
        ? {}
        : { filters: options.filters.map((f) => ({ ...f, extensions: [...f.extensions] })) }),
    });
    return result.canceled || result.filePath === undefined || result.filePath === '' ? null : result.filePath;
  },
};

function createWindow(service: ServiceHost): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    title: 'Strata',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  registerIpc({ window, service, isAppUrl, dialogs: fileDialogs });
  window.once('ready-to-show', () => window.show());
  window.loadURL(`${APP_ORIGIN}/index.html`).catch((error: unknown) => {
    dialog.showErrorBox('Strata', `The window could not load: ${String(error)}`);
  });
  return window;
}

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let service: ServiceHost | undefined;
  let logger: FileLogger | undefined;
  let window: BrowserWindow | undefined;
  let closed = false;

  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  app.on('second-instance', () => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (service === undefined || closed) return;
    // Cancel running jobs and release engine sockets before the process goes.
    event.preventDefault();
    const closing = service;
    service = undefined;
    closing
      .close()
      .catch(() => undefined)
      .then(() => logger?.close())
      .catch(() => undefined)
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(() => {
      registerAppProtocol();
      hardenSession();
      const host = engineFlag(process.argv);
      // Registry credentials typed into Strata are kept encrypted with the OS keychain (safeStorage).
      const userData = app.getPath('userData');
      const secrets = electronSecretStore({ safeStorage, filePath: path.join(userData, 'registry-credentials.json') });
      // <userData>/logs/strata.log: failed requests and jobs, connection changes; no secret is written.
      logger = createFileLogger({ dir: path.join(userData, 'logs'), level: logLevelFrom(process.env) });
      logger.info('Strata starting', { electron: process.versions.electron, platform: process.platform });
      // Every engine: the default one (--engine, DOCKER_HOST, docker context) and those the user added, kept in
      // <userData>/engines.json. One secret store for all of them.
      const created = createEngineHub({
        settingsDir: userData,
        appVersion: app.getVersion(),
        serviceOptions: host === undefined ? { secrets, logger } : { host, secrets, logger },
      });
      service = created;
      window = createWindow(created);
      // A long job that ends while the window is in the background gets a desktop notification.
      created.onEvent((event) => {
        if (event.type !== 'job.end' || !Notification.isSupported()) return;
        const notice = jobEndNotice(event.job, window?.isFocused() === true);
        if (notice !== undefined) new Notification(notice).show();
      });
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0 && service !== undefined) window = createWindow(service);
      });
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('Strata could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

start();
