/**
 * The only place the main process touches `ipcMain` and `webContents.send`. One `invoke` handler
 * per contract method, all going through the shared dispatcher (method in the contract, arguments
 * valid against its schema), and only for the app's own window's main frame showing the app.
 * Service events are pushed to that window while it exists; closing it removes every handler and
 * the event subscription.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { METHOD_NAMES, type Outcome, type StrataEvent } from '../shared/api';
import { IPC_EVENT_CHANNEL, ipcChannelOf } from '../shared/bridge';
import { createDispatch } from '../shared/dispatch';
import type { EngineService } from './engine/service';

export interface IpcOptions {
  readonly window: BrowserWindow;
  readonly service: EngineService;
  /** True for URLs of the app itself (`strata://app/…`). */
  readonly isAppUrl: (url: string) => boolean;
}

/** True when the call comes from `contents`' main frame, showing the app (not a subframe, not a foreign page). */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  contents: WebContents,
  isAppUrl: (url: string) => boolean,
): boolean {
  if (contents.isDestroyed() || event.sender !== contents) return false;
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  const main = contents.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isAppUrl(frame.url);
}

const refused: Outcome<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This call did not come from the Strata window and was refused.' },
};

/** Registers the handlers for `window`; the returned function (also run when the window closes) removes them. */
export function registerIpc(options: IpcOptions): () => void {
  const { service, isAppUrl } = options;
  const contents = options.window.webContents;
  const dispatch = createDispatch(service.handlers);
  const channels = METHOD_NAMES.map((method) => ipcChannelOf(method));

  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannelOf(method), async (event, rawArgs: unknown): Promise<Outcome<unknown>> => {
      if (!isTrustedSender(event, contents, isAppUrl)) return refused;
      return dispatch(method, rawArgs);
    });
  }

  const unsubscribe = service.onEvent((event: StrataEvent) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
  });

  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
    options.window.off('closed', dispose);
  };
  options.window.once('closed', dispose);
  return dispose;
}
