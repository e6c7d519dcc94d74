/**
 * The only place the main process touches `ipcMain` and `webContents.send`. One `invoke` handler
 * per contract method, all going through the shared dispatcher (method in the contract, arguments
 * valid against its schema), and only for the app's own window's main frame showing the app.
 * Service events are pushed to that window while it exists; closing it removes every handler and
 * the event subscription.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import { METHOD_NAMES, type Outcome, type StrataEvent } from '../shared/api';
import {
  IPC_CHOOSE_OPEN_CHANNEL,
  IPC_CHOOSE_SAVE_CHANNEL,
  IPC_EVENT_CHANNEL,
  ipcChannelOf,
  type ChooseOpenOptions,
  type ChooseSaveOptions,
} from '../shared/bridge';
import { createDispatch } from '../shared/dispatch';
import type { ServiceHost } from './engine/host/service';

export interface IpcOptions {
  readonly window: BrowserWindow;
  readonly service: ServiceHost;
  /** True for URLs of the app itself (`strata://app/…`). */
  readonly isAppUrl: (url: string) => boolean;
  /** Native file dialogs, parented to the window (main.ts); without them the channels answer null. */
  readonly dialogs?: FileDialogs;
}

export interface FileDialogs {
  chooseOpen(window: BrowserWindow, options: ChooseOpenOptions): Promise<string | null>;
  chooseSave(window: BrowserWindow, options: ChooseSaveOptions): Promise<string | null>;
}

const filtersSchema = z
  .array(
    z
      .object({
        name: z.string().max(200),
        extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9.]{1,20})$/)).max(20),
      })
      .strict(),
  )
  .max(20)
  .optional();

const chooseOpenSchema = z
  .object({ title: z.string().max(200), folder: z.boolean().optional(), filters: filtersSchema })
  .strict();
const chooseSaveSchema = z
  .object({ title: z.string().max(200), defaultName: z.string().max(255), filters: filtersSchema })
  .strict();

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
  const dispatch = createDispatch((engineId) => service.handlersFor(engineId));
  const channels = METHOD_NAMES.map((method) => ipcChannelOf(method));

  for (const method of METHOD_NAMES) {
    ipcMain.handle(
      ipcChannelOf(method),
      async (event, rawArgs: unknown, rawEngine: unknown): Promise<Outcome<unknown>> => {
        if (!isTrustedSender(event, contents, isAppUrl)) return refused;
        return dispatch(method, rawArgs, rawEngine);
      },
    );
  }

  const dialog = <T>(channel: string, schema: z.ZodType<T>, open: (options: T) => Promise<string | null>): void => {
    channels.push(channel);
    ipcMain.handle(channel, async (event, rawOptions: unknown): Promise<Outcome<string | null>> => {
      if (!isTrustedSender(event, contents, isAppUrl)) return refused;
      const parsed = schema.safeParse(rawOptions);
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid_argument', message: 'The file dialog options are not valid.' } };
      }
      try {
        return { ok: true, value: await open(parsed.data) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'internal', message: `The file dialog failed: ${message}` } };
      }
    });
  };
  const dialogs = options.dialogs;
  dialog(IPC_CHOOSE_OPEN_CHANNEL, chooseOpenSchema, (o) =>
    dialogs === undefined ? Promise.resolve(null) : dialogs.chooseOpen(options.window, o as ChooseOpenOptions),
  );
  dialog(IPC_CHOOSE_SAVE_CHANNEL, chooseSaveSchema, (o) =>
    dialogs === undefined ? Promise.resolve(null) : dialogs.chooseSave(options.window, o as ChooseSaveOptions),
  );

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
