/**
 * The main process's security wiring, with a stand-in for the `electron` module (unit test only:
 * the real one needs the Electron binary; the _electron smoke test covers it where one exists).
 */
import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';

interface WindowOptions {
  readonly webPreferences: Record<string, unknown>;
}
type ProtocolHandler = (request: Request) => Promise<Response>;
interface FakeApp {
  emit(event: string, ...args: unknown[]): boolean;
}

const fake = vi.hoisted(() => {
  const state = {
    app: undefined as unknown as FakeApp,
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    permissionRequest: undefined as undefined | ((...args: unknown[]) => void),
    permissionCheck: undefined as undefined | ((...args: unknown[]) => boolean),
    windows: [] as { options: WindowOptions; loaded: string[] }[],
    sandboxEnabled: false,
    engineOptions: [] as unknown[],
    instances: [] as unknown[],
    dialogs: [] as { kind: string; parent: unknown; options: Record<string, unknown> }[],
    serviceListeners: [] as ((event: unknown) => void)[],
    notifications: [] as { title: string; body: string }[],
    focused: false,
  };
  return state;
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    enableSandbox: () => {
      fake.sandboxEnabled = true;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => `/tmp/strata-fake-${name}`,
    getVersion: () => '0.1.0',
    quit: vi.fn(),
    exit: vi.fn(),
  });
  fake.app = app;
  class BrowserWindow extends Emitter {
    readonly webContents = Object.assign(new Emitter(), {
      isDestroyed: () => false,
      send: vi.fn(),
      mainFrame: { processId: 1, routingId: 1 },
    });
    readonly record: { options: WindowOptions; loaded: string[] };
    constructor(options: WindowOptions) {
      super();
      this.record = { options, loaded: [] };
      fake.windows.push(this.record);
      fake.instances.push(this);
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    show() {}
    isFocused() {
      return fake.focused;
    }
    isDestroyed() {
      return false;
    }
    static getAllWindows() {
      return fake.windows;
    }
  }
  return {
    app,
    BrowserWindow,
    dialog: {
      showErrorBox: vi.fn(),
      showOpenDialog: (parent: unknown, options: Record<string, unknown>) => {
        fake.dialogs.push({ kind: 'open', parent, options });
        return Promise.resolve({ canceled: false, filePaths: ['/home/u/in.tar'] });
      },
      showSaveDialog: (parent: unknown, options: Record<string, unknown>) => {
        fake.dialogs.push({ kind: 'save', parent, options });
        return Promise.resolve({ canceled: true, filePath: '' });
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privileged.push(...schemes),
      handle: (scheme: string, handler: ProtocolHandler) => fake.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => (fake.permissionRequest = handler),
        setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => (fake.permissionCheck = handler),
      },
    },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    Notification: class {
      static isSupported() {
        return true;
      }
      constructor(private readonly options: { title: string; body: string }) {}
      show() {
        fake.notifications.push(this.options);
      }
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      // Linux: a real keyring is running (without one, typed credentials stay for the session only).
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (text: string) => Buffer.from(text, 'utf8'),
      decryptString: (data: Buffer) => data.toString('utf8'),
    },
  };
});

vi.mock('./engine/host/service', () => ({
  createEngineService: (options: unknown) => {
    fake.engineOptions.push(options);
    return {
      engineId: 'default',
      endpoint: { kind: 'unix', address: 'unix:///x.sock', source: 'flag', tls: false },
      handlers: {},
      onEvent: (listener: (event: unknown) => void) => {
        fake.serviceListeners.push(listener);
        return () => undefined;
      },
      close: () => Promise.resolve(),
    };
  },
}));

function fakeContents() {
  const contents = new EventEmitter() as EventEmitter & {
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => void;
    openHandler?: (details: { url: string }) => { action: string };
  };
  contents.setWindowOpenHandler = (handler) => {
    contents.openHandler = handler;
  };
  return contents;
}

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

describe('main process', () => {
  beforeAll(async () => {
    process.argv.push('--engine=unix:///tmp/lab/docker.sock');
    await import('./main');
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('registers strata:// as a standard, secure scheme that does not bypass CSP, and enables the sandbox', () => {
    expect(fake.privileged).toHaveLength(1);
    const { scheme, privileges } = fake.privileged[0] as { scheme: string; privileges: Record<string, unknown> };
    expect(scheme).toBe('strata');
    expect(privileges).toMatchObject({ standard: true, secure: true });
    expect(privileges.bypassCSP).not.toBe(true);
    expect(privileges.corsEnabled).not.toBe(true);
    expect(fake.sandboxEnabled).toBe(true);
  });

  it('opens one isolated, sandboxed window on the app URL with the preload', () => {
    expect(fake.windows).toHaveLength(1);
    const { options, loaded } = fake.windows[0]!;
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(options.webPreferences.preload)).toMatch(/preload\.cjs$/);
    expect(loaded).toEqual(['strata://app/index.html']);
  });

  it('uses the --engine flag for the engine service', () => {
    expect(fake.engineOptions).toHaveLength(1);
    expect(fake.engineOptions[0]).toMatchObject({ host: 'unix:///tmp/lab/docker.sock' });
    // Credentials typed into the desktop app are kept with safeStorage, not in memory.
    expect((fake.engineOptions[0] as { secrets: { kind: string } }).secrets.kind).toBe('encrypted');
  });

  it('shows a desktop notification when a long job ends while the window is in the background', () => {
    const end = (state: string) => ({
      type: 'job.end',
      job: {
        id: 'job-1',
        kind: 'pull',
        engineId: 'default',
        title: 'lab/big:1.0',
        state,
        progress: { fraction: 1, message: '', layers: [] },
        error: null,
        result: {},
        startedAt: '2026-11-25T10:00:00.000Z',
        endedAt: '2026-11-25T10:01:00.000Z',
      },
    });
    fake.focused = true;
    for (const listener of fake.serviceListeners) listener(end('done'));
    expect(fake.notifications).toEqual([]);
    fake.focused = false;
    for (const listener of fake.serviceListeners) listener(end('done'));
    expect(fake.notifications).toEqual([{ title: 'Pull finished', body: 'lab/big:1.0' }]);
  });

  it('denies every permission request and check', () => {
    const callback = vi.fn();
    fake.permissionRequest?.({}, 'media', callback, {});
    expect(callback).toHaveBeenCalledWith(false);
    expect(fake.permissionCheck?.({}, 'clipboard-read', 'strata://app', {})).toBe(false);
  });

  it('blocks navigation, new windows and webviews in every web contents', () => {
    const contents = fakeContents();
    fake.app.emit('web-contents-created', {}, contents);

    for (const url of ['https://attacker.example/', 'strata://app/other.html', 'file:///etc/passwd']) {
      const event = navigationEvent(url);
      contents.emit('will-navigate', event, url);
      expect(event.preventDefault).toHaveBeenCalled();
    }
    const frameEvent = navigationEvent('https://attacker.example/');
    contents.emit('will-frame-navigate', frameEvent);
    expect(frameEvent.preventDefault).toHaveBeenCalled();
    const redirect = navigationEvent('https://attacker.example/');
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = navigationEvent('');
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(contents.openHandler?.({ url: 'https://attacker.example/' })).toEqual({ action: 'deny' });
  });

  it('serves nothing outside the renderer folder or the app host', async () => {
    const handler = fake.protocolHandlers.get('strata');
    expect(handler).toBeDefined();
    for (const url of [
      'strata://app/../../package.json',
      'strata://app/%2e%2e/%2e%2e/package.json',
      'strata://app/..%2f..%2fpackage.json',
      'strata://other/index.html',
    ]) {
      const response = await handler!(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('"name"');
    }
  });

  it('answers the file dialog channels with native dialogs parented to the window', async () => {
    const electron = await import('electron');
    const calls = (
      electron.ipcMain.handle as unknown as {
        mock: { calls: [string, (event: unknown, args: unknown) => Promise<unknown>][] };
      }
    ).mock.calls;
    const handlerOf = (channel: string) => calls.find(([name]) => name === channel)?.[1];
    const window = fake.instances[0] as { webContents: unknown };
    const trusted = {
      sender: window.webContents,
      senderFrame: { parent: null, processId: 1, routingId: 1, url: 'strata://app/index.html' },
    };
    const open = handlerOf('strata-files:chooseOpen');
    const save = handlerOf('strata-files:chooseSave');
    expect(open).toBeTypeOf('function');
    await expect(open?.(trusted, { title: 'Load images' })).resolves.toEqual({ ok: true, value: '/home/u/in.tar' });
    await expect(save?.(trusted, { title: 'Save', defaultName: 'a.tar' })).resolves.toEqual({ ok: true, value: null });
    expect(fake.dialogs.map((d) => ({ kind: d.kind, parentIsWindow: d.parent === window }))).toEqual([
      { kind: 'open', parentIsWindow: true },
      { kind: 'save', parentIsWindow: true },
    ]);
    expect(fake.dialogs[0]?.options).toMatchObject({ title: 'Load images', properties: ['openFile'] });
    expect(fake.dialogs[1]?.options).toMatchObject({ title: 'Save', defaultPath: 'a.tar' });
  });
});
