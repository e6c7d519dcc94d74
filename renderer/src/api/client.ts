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
  HTTP_EVENTS_PATH,
  type BridgeEvents,
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

  const call = async (method: MethodName, args: unknown): Promise<Outcome<unknown>> => {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${httpPathOf(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${options.token}` },
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

  return buildBridge(call, events);
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
