/**
 * The shape of `window.strata` (desktop) and of the HTTP client (browser mode), both derived from
 * the contract table: `strata.images.list(args)` for the method `images.list`.
 */
import { METHOD_NAMES, type ArgsOf, type MethodName, type Outcome, type ResultOf, type StrataEvent } from './api';

type DomainOf<M extends string> = M extends `${infer D}.${string}` ? D : never;
type VerbOf<M extends string, D extends string> = M extends `${D}.${infer V}` ? V : never;

export type BridgeMethods = {
  readonly [D in DomainOf<MethodName>]: {
    readonly [M in MethodName as VerbOf<M, D>]: (args: ArgsOf<M>) => Promise<Outcome<ResultOf<M>>>;
  };
};

export interface BridgeEvents {
  /** Receives every event pushed by the service; returns the unsubscribe function. */
  readonly subscribe: (listener: (event: StrataEvent) => void) => () => void;
}

/** `window.strata`: one frozen object. */
export type StrataBridge = BridgeMethods & { readonly events: BridgeEvents };

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

export function splitMethod(method: MethodName): readonly [string, string] {
  const dot = method.indexOf('.');
  return [method.slice(0, dot), method.slice(dot + 1)];
}

/**
 * Builds the nested, deeply frozen bridge object from one function that performs a call, so the
 * preload and the browser client cannot drift from the contract.
 */
export function buildBridge(
  call: (method: MethodName, args: unknown) => Promise<Outcome<unknown>>,
  events: BridgeEvents,
): StrataBridge {
  const domains: Record<string, Record<string, (args: unknown) => Promise<Outcome<unknown>>>> = {};
  for (const method of METHOD_NAMES) {
    const [domain, verb] = splitMethod(method);
    const entry = (domains[domain] ??= {});
    entry[verb] = (args: unknown) => call(method, args ?? {});
  }
  for (const domain of Object.values(domains)) Object.freeze(domain);
  return Object.freeze({ ...domains, events: Object.freeze({ ...events }) }) as unknown as StrataBridge;
}
