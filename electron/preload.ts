/**
 * The sandboxed preload: exposes one frozen `window.strata`, built from the contract, and nothing
 * else (never `ipcRenderer`). Bundled into out/preload.cjs, so it requires only `electron`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { MethodName, Outcome, StrataEvent } from '../shared/api';
import {
  buildBridge,
  IPC_CHOOSE_OPEN_CHANNEL,
  IPC_CHOOSE_SAVE_CHANNEL,
  IPC_EVENT_CHANNEL,
  ipcChannelOf,
  type FileTransfer,
} from '../shared/bridge';

async function call(method: MethodName, args: unknown, engine: string | undefined): Promise<Outcome<unknown>> {
  try {
    return (await ipcRenderer.invoke(ipcChannelOf(method), args, engine)) as Outcome<unknown>;
  } catch (error) {
    // Only reached when the main process has no handler (e.g. while the window is closing).
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message: `Strata's main process did not answer: ${message}` } };
  }
}

function subscribe(listener: (event: StrataEvent) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as StrataEvent);
  ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  };
}

/** A native dialog in main; the chosen path, or null when cancelled or refused. */
async function choose(channel: string, options: unknown): Promise<string | null> {
  const outcome = (await ipcRenderer.invoke(channel, options)) as Outcome<string | null>;
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value;
}

const notInDesktop = (what: string) => (): Promise<never> =>
  Promise.reject(new Error(`${what} is for browser mode; the desktop app reads and writes files by path.`));

const files: FileTransfer = {
  mode: 'desktop',
  chooseOpenPath: (options) => choose(IPC_CHOOSE_OPEN_CHANNEL, options),
  chooseSavePath: (options) => choose(IPC_CHOOSE_SAVE_CHANNEL, options),
  upload: notInDesktop('Uploading'),
  download: notInDesktop('Downloading'),
};

contextBridge.exposeInMainWorld('strata', buildBridge(call, { subscribe }, files));
