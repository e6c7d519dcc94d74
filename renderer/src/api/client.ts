/**
 * The one client the renderer talks through. In Electron it is `window.strata`, exposed by the
 * preload; in browser mode it is the same shape built over HTTP (calls) and Server-Sent Events
 * (events), authenticated with the token handed over in the address bar's `#token=` fragment.
 */
import { errorShape, StrataError, type ErrorShape } from '../../../shared/errors';
import { strataEventSchema, type MethodName, type Outcome, type StrataEvent } from '../../../shared/api';
import {
  buildBridge,
  httpPathOf,
  HTTP_DOWNLOADS_PREFIX,
  HTTP_ENGINE_HEADER,
  HTTP_EVENTS_PATH,
  HTTP_UPLOADS_PATH,
  type BridgeEvents,
  type FileTransfer,
  type StrataBridge,
} from '../../../shared/bridge';

declare global {
  interface Window {
    readonly strata?: StrataBridge;
  }
}

/** Turns an Outcome into its value, or throws the typed error it carries. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw StrataError.fromShape(outcome.error);
}

export const SERVER_NOT_ANSWERING = "Strata's server is not answering";

/** The minimal EventSource the HTTP bridge needs (the browser's, or a fake in tests). */
export interface EventSourceLike {
  onmessage: ((event: MessageEvent<string>) => void) | null;
  close(): void;
}

export interface HttpBridgeOptions {
  /** Origin + path prefix of Strata's server; '' means the page's own origin. */
  readonly baseUrl?: string;
  readonly token: string;
  readonly fetch?: typeof fetch;
  readonly createEventSource?: (url: string) => EventSourceLike;
  /** The XMLHttpRequest uploads go through (upload progress needs it); tests hand in a fake. */
  readonly createXhr?: () => XMLHttpRequest;
  /** Hands a downloaded Blob to the browser; default: an object URL clicked through a hidden <a download>. */
  readonly saveBlob?: (blob: Blob, fileName: string) => void;
}

function saveBlobWithAnchor(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Browser mode: files go up with POST /api/uploads and come back with GET /api/downloads/<id>. */
export function createHttpFileTransfer(options: HttpBridgeOptions): FileTransfer {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const createXhr = options.createXhr ?? (() => new XMLHttpRequest());
  const saveBlob = options.saveBlob ?? saveBlobWithAnchor;
  return {
    mode: 'browser',
    chooseOpenPath: () => Promise.resolve(null),
    chooseSavePath: () => Promise.resolve(null),
    upload: (file, fileName, onProgress) =>
      new Promise<string>((resolve, reject) => {
        const xhr = createXhr();
        xhr.open('POST', `${baseUrl}${HTTP_UPLOADS_PATH}`);
        xhr.setRequestHeader('Authorization', `Bearer ${options.token}`);
        xhr.setRequestHeader('X-File-Name', encodeURIComponent(fileName));
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
        xhr.onerror = () =>
          reject(new StrataError('internal', `${SERVER_NOT_ANSWERING}: the upload of ${fileName} failed.`));
        xhr.onabort = () => reject(new StrataError('cancelled', `The upload of ${fileName} was cancelled.`));
        xhr.onload = () => {
          let body: unknown;
          try {
            body = JSON.parse(xhr.responseText) as unknown;
          } catch {
            body = undefined;
          }
          if (xhr.status >= 200 && xhr.status < 300) {
            const id = (body as { uploadId?: unknown } | undefined)?.uploadId;
            if (typeof id === 'string') resolve(id);
            else reject(new StrataError('internal', "Strata's server sent an unreadable answer to the upload."));
            return;
          }
          const parsed = errorShape.safeParse(body);
          reject(
            parsed.success
              ? StrataError.fromShape(parsed.data)
              : new StrataError('internal', `Strata's server answered ${xhr.status} to the upload.`),
          );
        };
        xhr.send(file);
      }),
    download: async (downloadId, fileName) => {
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}${HTTP_DOWNLOADS_PREFIX}${encodeURIComponent(downloadId)}`, {
          headers: { Authorization: `Bearer ${options.token}` },
        });
      } catch {
        throw new StrataError('internal', SERVER_NOT_ANSWERING);
      }
      if (!response.ok) throw StrataError.fromShape(await errorFromResponse(response));
      saveBlob(await response.blob(), fileName);
    },
  };
}

async function errorFromResponse(response: Response): Promise<ErrorShape> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const parsed = errorShape.safeParse(body);
  if (parsed.success) return parsed.data;
  return { code: 'internal', message: `Strata's server answered ${response.status} ${response.statusText}`.trim() };
}

/** The browser-mode bridge: POST /api/<method>, events over one shared EventSource. */
export function createHttpBridge(options: HttpBridgeOptions): StrataBridge {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const createEventSource = options.createEventSource ?? ((url: string) => new EventSource(url));

  const call = async (method: MethodName, args: unknown, engine: string | undefined): Promise<Outcome<unknown>> => {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${httpPathOf(method)}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${options.token}`,
          ...(engine === undefined ? {} : { [HTTP_ENGINE_HEADER]: engine }),
        },
        body: JSON.stringify(args ?? {}),
      });
    } catch {
      return { ok: false, error: { code: 'internal', message: SERVER_NOT_ANSWERING } };
    }
    if (!response.ok) return { ok: false, error: await errorFromResponse(response) };
    try {
      const value: unknown = await response.json();
      return { ok: true, value };
    } catch {
      return {
        ok: false,
        error: { code: 'internal', message: `Strata's server sent an unreadable answer to ${method}` },
      };
    }
  };

  const listeners = new Set<(event: StrataEvent) => void>();
  let source: EventSourceLike | undefined;

  const onMessage = (message: MessageEvent<string>): void => {
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    const parsed = strataEventSchema.safeParse(data);
    if (!parsed.success) return;
    for (const listener of [...listeners]) listener(parsed.data);
  };

  const events: BridgeEvents = {
    subscribe: (listener) => {
      listeners.add(listener);
      if (source === undefined) {
        source = createEventSource(`${baseUrl}${HTTP_EVENTS_PATH}?token=${encodeURIComponent(options.token)}`);
        source.onmessage = onMessage;
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source !== undefined) {
          source.close();
          source = undefined;
        }
      };
    },
  };

  return buildBridge(call, events, createHttpFileTransfer(options));
}

export const TOKEN_STORAGE_KEY = 'strata.token';

export interface TokenEnvironment {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  readonly sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly history: Pick<History, 'replaceState'>;
}

/**
 * Reads the browser-mode token: from `#token=…` on first load (then kept in sessionStorage so a
 * reload works, and removed from the address bar), else from sessionStorage.
 */
export function readToken(env: TokenEnvironment): string | undefined {
  const hash = env.location.hash.startsWith('#') ? env.location.hash.slice(1) : env.location.hash;
  const fromHash = new URLSearchParams(hash).get('token');
  if (fromHash !== null && fromHash !== '') {
    try {
      env.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromHash);
    } catch {
      // Storage may be disabled; the token still works for this page load.
    }
    env.history.replaceState(null, '', `${env.location.pathname}${env.location.search}`);
    return fromHash;
  }
  try {
    return env.sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

let cached: StrataBridge | undefined;

/** The bridge for this window: the preload's in Electron, the HTTP one in browser mode. */
export function getStrata(): StrataBridge {
  if (cached !== undefined) return cached;
  if (window.strata !== undefined) {
    cached = window.strata;
  } else {
    const token = readToken({
      location: window.location,
      sessionStorage: window.sessionStorage,
      history: window.history,
    });
    cached = createHttpBridge({ token: token ?? '' });
  }
  return cached;
}
