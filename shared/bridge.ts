/**
 * The shape of `window.strata` (desktop) and of the HTTP client (browser mode), both derived from
 * the contract table: `strata.images.list(args)` for the method `images.list`.
 */
import { METHOD_NAMES, type ArgsOf, type MethodName, type Outcome, type ResultOf, type StrataEvent } from './api';

type DomainOf<M extends string> = M extends `${infer D}.${string}` ? D : never;
type VerbOf<M extends string, D extends string> = M extends `${D}.${infer V}` ? V : never;

/** Per call: the engine it goes to (an id from engines.list); absent means the default engine. */
export interface CallOptions {
  readonly engine?: string | undefined;
}

export type BridgeMethods = {
  readonly [D in DomainOf<MethodName>]: {
    readonly [M in MethodName as VerbOf<M, D>]: (
      args: ArgsOf<M>,
      options?: CallOptions,
    ) => Promise<Outcome<ResultOf<M>>>;
  };
};

export interface BridgeEvents {
  /** Receives every event pushed by the service; returns the unsubscribe function. */
  readonly subscribe: (listener: (event: StrataEvent) => void) => () => void;
}

/** `window.strata`: one frozen object. */
export type StrataBridge = BridgeMethods & { readonly events: BridgeEvents; readonly files: FileTransfer };

/** The IPC channel of a method: `strata:images.list`. */
export function ipcChannelOf(method: MethodName): string {
  return `strata:${method}`;
}

/** The IPC channel events are pushed on. */
export const IPC_EVENT_CHANNEL = 'strata:event';

/** The browser-mode URL path of a method: `/api/images.list`. */
export function httpPathOf(method: MethodName): string {
  return `/api/${method}`;
}

export const HTTP_EVENTS_PATH = '/api/events';

/** The browser-mode request header naming the engine a call goes to. */
export const HTTP_ENGINE_HEADER = 'X-Strata-Engine';

export function splitMethod(method: MethodName): readonly [string, string] {
  const dot = method.indexOf('.');
  return [method.slice(0, dot), method.slice(dot + 1)];
}

/**
 * Builds the nested, deeply frozen bridge object from one function that performs a call, so the
 * preload and the browser client cannot drift from the contract.
 */
export function buildBridge(
  call: (method: MethodName, args: unknown, engine: string | undefined) => Promise<Outcome<unknown>>,
  events: BridgeEvents,
  files: FileTransfer = NO_FILE_TRANSFER,
): StrataBridge {
  type Call = (args: unknown, options?: CallOptions) => Promise<Outcome<unknown>>;
  const domains: Record<string, Record<string, Call>> = {};
  for (const method of METHOD_NAMES) {
    const [domain, verb] = splitMethod(method);
    const entry = (domains[domain] ??= {});
    entry[verb] = (args: unknown, options?: CallOptions) => call(method, args ?? {}, options?.engine);
  }
  for (const domain of Object.values(domains)) Object.freeze(domain);
  return Object.freeze({
    ...domains,
    // `events` is both a method domain (`events.list`) and the push subscription: keep both.
    events: Object.freeze({ ...domains['events'], ...events }),
    files: Object.freeze({ ...files }),
  }) as unknown as StrataBridge;
}

/**
 * Moving files between the user and the service, beside the contract's methods (bytes do not go
 * through JSON): native dialogs on the desktop, uploads and downloads in browser mode.
 * `window.strata.files`: the preload implements it with IPC to dialogs in main, the browser client
 * with HTTP, the renderer's fake bridge with scripted answers.
 */
export interface FileTransfer {
  readonly mode: 'desktop' | 'browser';
  /** Desktop: a native open dialog (files, or a folder); the chosen path, or null when cancelled. Browser: null. */
  readonly chooseOpenPath: (options: {
    readonly title: string;
    readonly folder?: boolean;
    readonly filters?: readonly { readonly name: string; readonly extensions: readonly string[] }[];
  }) => Promise<string | null>;
  /** Desktop: a native save dialog; the chosen path, or null when cancelled. Browser: null. */
  readonly chooseSavePath: (options: {
    readonly title: string;
    readonly defaultName: string;
    readonly filters?: readonly { readonly name: string; readonly extensions: readonly string[] }[];
  }) => Promise<string | null>;
  /** Browser: sends a file to the service (POST /api/uploads); answers the upload id. Desktop: rejects. */
  readonly upload: (
    file: Blob,
    fileName: string,
    onProgress?: (sent: number, total: number) => void,
  ) => Promise<string>;
  /** Browser: hands a finished download (GET /api/downloads/<id>) to the browser. Desktop: rejects. */
  readonly download: (downloadId: string, fileName: string) => Promise<void>;
}

export const HTTP_UPLOADS_PATH = '/api/uploads';
export const HTTP_DOWNLOADS_PREFIX = '/api/downloads/';
/** IPC channels of the desktop file dialogs (answered by main, for the window's own frame only). */
export const IPC_CHOOSE_OPEN_CHANNEL = 'strata-files:chooseOpen';
export const IPC_CHOOSE_SAVE_CHANNEL = 'strata-files:chooseSave';

/** Options of the open and save dialogs (what crosses IPC; checked by main). */
export type ChooseOpenOptions = Parameters<FileTransfer['chooseOpenPath']>[0];
export type ChooseSaveOptions = Parameters<FileTransfer['chooseSavePath']>[0];

const unavailable = (what: string) => (): Promise<never> => Promise.reject(new Error(`${what} is not available here.`));

/** What a bridge built without file transfer has: every call says it is not available. */
export const NO_FILE_TRANSFER: FileTransfer = {
  mode: 'browser',
  chooseOpenPath: () => Promise.resolve(null),
  chooseSavePath: () => Promise.resolve(null),
  upload: unavailable('Uploading'),
  download: unavailable('Downloading'),
};
