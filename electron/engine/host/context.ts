/**
 * What every domain module of the engine service gets: the engine client, JSON helper, jobs, credentials, the file
 * staging area and the logger. Domain modules (images/pull.ts, images/tag.ts, transfer/handlers.ts, build/build.ts,
 * registries/registries.ts, …) each export a function from an EngineContext to their slice of the contract's
 * handlers; host/service.ts joins the slices, and TypeScript checks that none is missing.
 */
import type { Endpoint, EngineStatus, Handlers, MethodName, StrataEvent } from '../../../shared/api';
import type { EngineClient } from '../core/client';
import type { RegistryAuth } from '../registries/credentials';
import type { httpError } from '../core/errors';
import type { FileStore } from './files';
import type { HistoryReader } from '../images/history';
import type { JobManager } from './jobs';
import type { SecretStore } from './secrets';

export type RequestContext = Parameters<typeof httpError>[2];

export interface EngineContext {
  readonly engineId: string;
  readonly endpoint: Endpoint;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly requestTimeoutMs: number;
  readonly stallTimeoutMs: number;
  /** The engine client; throws engine_unreachable when the endpoint cannot be opened at all. */
  readonly engine: () => EngineClient;
  /** GET a JSON answer; a non-2xx status becomes a StrataError through errors.ts. */
  readonly getJson: (
    path: string,
    context: RequestContext,
    query?: Record<string, string | number | boolean>,
  ) => Promise<unknown>;
  /** Pings the engine (tells a stuck registry from a stopped engine). */
  readonly ping: (timeoutMs?: number) => Promise<EngineStatus>;
  readonly jobs: JobManager;
  readonly history: HistoryReader;
  /** Credentials for a registry host (`docker.io`, `127.0.0.1:5000`), or undefined to go anonymous. Never log them. */
  readonly registryAuth: (host: string) => Promise<RegistryAuth | undefined>;
  /** Where uploads arrive and downloads wait (browser mode), and temporary files live. */
  readonly files: FileStore;
  /** Credentials the user entered in Strata (encrypted on the desktop, memory in browser mode). */
  readonly secrets: SecretStore;
  readonly emit: (event: StrataEvent) => void;
}

/** The methods the engine hub (hub.ts) answers for every engine it holds: no engine service has them. */
export type HubMethod = 'engines.list' | 'engines.discover' | 'engines.add' | 'engines.remove' | 'engine.diagnostics';

/** Everything one engine service answers: the whole contract but the hub's methods. */
export type EngineHandlers = Omit<Handlers, HubMethod>;

/** A feature module's slice of the handlers. */
export type HandlerSlice<M extends MethodName> = Pick<Handlers, M>;

/** Wraps a synchronous handler so that it always answers a promise, rejecting instead of throwing. */
export function settle<A, R>(fn: (args: A) => R): (args: A) => Promise<R> {
  return (args) => {
    try {
      return Promise.resolve(fn(args));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
