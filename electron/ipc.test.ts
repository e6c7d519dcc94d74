import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { METHOD_NAMES, type Handlers, type StrataEvent } from '../shared/api';
import { IPC_CHOOSE_OPEN_CHANNEL, IPC_CHOOSE_SAVE_CHANNEL, IPC_EVENT_CHANNEL, ipcChannelOf } from '../shared/bridge';
import { fakeEngineService } from '../test/support/fake-service';
import { registerIpc } from './ipc';

// Unit test only: a stand-in for Electron's ipcMain (the real one needs the Electron binary).
type Handler = (event: IpcMainInvokeEvent, args: unknown) => Promise<unknown>;
const fake = vi.hoisted(() => ({ handlers: new Map<string, Handler>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle(channel: string, handler: Handler) {
      if (fake.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      fake.handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      fake.handlers.delete(channel);
    },
  },
}));

function fakeService() {
  const calls: unknown[] = [];
  const handlers = Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      (args: unknown) => {
        calls.push({ method, args });
        return Promise.resolve({ jobId: 'job-7' });
      },
    ]),
  ) as unknown as Handlers;
  const { service, listeners } = fakeEngineService(handlers);
  return { service, calls, listeners };
}

function fakeWindow() {
  const window = new EventEmitter();
  let destroyed = false;
  const contents = {
    mainFrame: { processId: 4, routingId: 1 },
    send: vi.fn(),
    isDestroyed: () => destroyed,
    destroy: () => (destroyed = true),
  };
  Object.assign(window, { webContents: contents });
  return { window: window as unknown as BrowserWindow & EventEmitter, contents };
}

const APP_URL = 'strata://app/index.html';
const isAppUrl = (url: string) => url.startsWith('strata://app/');

function eventFrom(
  sender: unknown,
  frame: Partial<{ parent: unknown; processId: number; routingId: number; url: string }> | null = {},
): IpcMainInvokeEvent {
  const senderFrame = frame === null ? null : { parent: null, processId: 4, routingId: 1, url: APP_URL, ...frame };
  return { sender, senderFrame } as unknown as IpcMainInvokeEvent;
}

function invoke(method: string, event: IpcMainInvokeEvent, args: unknown) {
  const handler = fake.handlers.get(`strata:${method}`);
  if (!handler) throw new Error(`no handler for ${method}`);
  return handler(event, args);
}

describe('registerIpc', () => {
  beforeEach(() => fake.handlers.clear());

  it('registers exactly one handler per contract method, and the two file dialogs', () => {
    const { window } = fakeWindow();
    registerIpc({ window, service: fakeService().service, isAppUrl });
    expect([...fake.handlers.keys()].sort()).toEqual(
      [...METHOD_NAMES.map((m) => ipcChannelOf(m)), IPC_CHOOSE_OPEN_CHANNEL, IPC_CHOOSE_SAVE_CHANNEL].sort(),
    );
  });

  it('opens the file dialogs for the app window only, parented to it, with checked options', async () => {
    const { window, contents } = fakeWindow();
    const other = fakeWindow();
    const opened: unknown[] = [];
    const dialogs = {
      chooseOpen: (parent: unknown, options: unknown) => {
        opened.push({ open: options, parentIsWindow: parent === window });
        return Promise.resolve('/home/u/images.tar');
      },
      chooseSave: (parent: unknown, options: unknown) => {
        opened.push({ save: options, parentIsWindow: parent === window });
        return Promise.resolve(null);
      },
    };
    registerIpc({ window, service: fakeService().service, isAppUrl, dialogs });
    const open = fake.handlers.get(IPC_CHOOSE_OPEN_CHANNEL);
    const save = fake.handlers.get(IPC_CHOOSE_SAVE_CHANNEL);
    if (!open || !save) throw new Error('no dialog handlers');
    const filters = [{ name: 'Image archives', extensions: ['tar', 'gz'] }];
    await expect(open(eventFrom(contents), { title: 'Load', filters })).resolves.toEqual({
      ok: true,
      value: '/home/u/images.tar',
    });
    await expect(save(eventFrom(contents), { title: 'Save', defaultName: 'x.tar' })).resolves.toEqual({
      ok: true,
      value: null,
    });
    expect(opened).toEqual([
      { open: { title: 'Load', filters }, parentIsWindow: true },
      { save: { title: 'Save', defaultName: 'x.tar' }, parentIsWindow: true },
    ]);
    await expect(open(eventFrom(other.contents), { title: 'Load' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await expect(open(eventFrom(contents, { parent: {} }), { title: 'Load' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await expect(open(eventFrom(contents), { title: 'Load', defaultPath: '/etc' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(opened).toHaveLength(2);
  });

  it('answers the app window’s main frame with the handler’s result', async () => {
    const { window, contents } = fakeWindow();
    const { service, calls } = fakeService();
    registerIpc({ window, service, isAppUrl });
    const outcome = await invoke('images.pull', eventFrom(contents), { reference: 'lab/remote:1.0' });
    expect(outcome).toEqual({ ok: true, value: { jobId: 'job-7' } });
    expect(calls).toEqual([{ method: 'images.pull', args: { reference: 'lab/remote:1.0' } }]);
  });

  it('validates every argument against the contract before the handler runs', async () => {
    const { window, contents } = fakeWindow();
    const { service, calls } = fakeService();
    registerIpc({ window, service, isAppUrl });
    for (const args of [{ reference: 'x?force=true' }, { reference: 'a', extra: 1 }, 'nope', { reference: 5 }]) {
      const outcome = await invoke('images.remove', eventFrom(contents), args);
      expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses calls from another frame, another page or another window', async () => {
    const { window, contents } = fakeWindow();
    const other = fakeWindow();
    const { service, calls } = fakeService();
    registerIpc({ window, service, isAppUrl });
    const untrusted = [
      eventFrom(contents, { parent: {} }),
      eventFrom(contents, { routingId: 9 }),
      eventFrom(contents, { processId: 5 }),
      eventFrom(contents, { url: 'https://attacker.example/' }),
      eventFrom(contents, { url: 'file:///etc/passwd' }),
      eventFrom(contents, null),
      eventFrom(other.contents),
    ];
    for (const event of untrusted) {
      const outcome = await invoke('images.list', event, {});
      expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('pushes service events to the window while it exists', () => {
    const { window, contents } = fakeWindow();
    const { service, listeners } = fakeService();
    registerIpc({ window, service, isAppUrl });
    const event: StrataEvent = {
      type: 'job.progress',
      jobId: 'job-7',
      progress: { fraction: 0.25, message: 'x', layers: [] },
    };
    listeners.forEach((listener) => listener(event));
    expect(contents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, event);
    contents.destroy();
    listeners.forEach((listener) => listener(event));
    expect(contents.send).toHaveBeenCalledTimes(1);
  });

  it('removes every handler and the event subscription when the window closes', () => {
    const { window, contents } = fakeWindow();
    const { service, listeners } = fakeService();
    registerIpc({ window, service, isAppUrl });
    expect(listeners.size).toBe(1);
    window.emit('closed');
    expect(fake.handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
    expect(window.listenerCount('closed')).toBe(0);
    expect(contents.send).not.toHaveBeenCalled();
    // A new window can register again (macOS re-activation).
    registerIpc({ window: fakeWindow().window, service, isAppUrl });
    expect(fake.handlers.size).toBe(METHOD_NAMES.length + 2);
  });
});
