/**
 * One engine's service, in plain Node (no `electron`): resolves the endpoint, opens the client, and joins the
 * handlers of every domain folder (each method's code lives with its domain: `images.pull` in images/pull.ts).
 * Electron's IPC and the browser server sit on the engine hub (hub.ts), which holds one service per engine.
 */
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  DEFAULT_ENGINE_ID,
  type Endpoint,
  type EngineEntry,
  type EventSource,
  type Handlers,
  type StrataEvent,
} from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import type { EngineClient, RequestRecord, TlsMaterial } from '../core/client';
import { configDirOf, resolveEndpoint, type ResolvedEndpoint, type TlsFiles } from '../core/endpoint';
import { httpError } from '../core/errors';
import { buildHandlers } from '../build/build';
import { containerActionHandlers } from '../containers/actions';
import { containerHandlers } from '../containers/list';
import { createWatches } from '../containers/watches';
import { diskHandlers } from '../disk/disk';
import { createEventWatcher, eventHandlers, type EventWatcherOptions } from '../events/events';
import { commitHandlers } from '../images/commit';
import { createHistoryReader, historyHandlers } from '../images/history';
import { inspectHandlers } from '../images/inspect';
import { listHandlers } from '../images/list';
import { pruneHandlers } from '../images/prune';
import { pullHandlers } from '../images/pull';
import { pushHandlers } from '../images/push';
import { removeHandlers } from '../images/remove';
import { searchHandlers } from '../images/search';
import { tagHandlers } from '../images/tag';
import { graphHandlers } from '../layers/graph';
import { createCredentialResolver } from '../registries/credentials';
import { registryHandlers } from '../registries/registries';
import { transferHandlers } from '../transfer/handlers';
import type { EngineContext, EngineHandlers } from './context';
import { createReachability, engineInfoHandlers } from './engine-info';
import { createFileStore, type FileStore } from './files';
import { JobManager, jobHandlers } from './jobs';
import { noopLogger, type Logger } from './logger';
import { LoggingEngineClient } from './request-log';
import { memorySecretStore, type SecretStore } from './secrets';

export interface EngineServiceOptions {
  /** An explicit endpoint (`--engine` flag): `unix:///path/docker.sock`, `tcp://host:2375`. */
  readonly host?: string;
  /** Defaults to process.env; DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY, DOCKER_CONFIG. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to os.homedir(); ~/.docker/config.json is read from here unless DOCKER_CONFIG says otherwise. */
  readonly homeDir?: string;
  /** A pull that makes no progress this long fails with "registry stalled". Default 120 000. */
  readonly stallTimeoutMs?: number;
  /** A plain engine request that gets no answer this long fails with "engine not responding". Default 15 000. */
  readonly requestTimeoutMs?: number;
  /** Minimum time between two progress events of one job. Default 100 (<= 10 events/s). */
  readonly progressIntervalMs?: number;
  /** Sees every request as it goes to the engine (tests count them; never sees headers or bodies). */
  readonly onRequest?: (record: RequestRecord) => void;
  /** Where credentials entered in Strata are kept. Default: memory for the session. */
  readonly secrets?: SecretStore;
  /** The staging area for uploads, downloads and temporary files. Default: a new folder under the OS temp dir. */
  readonly files?: FileStore;
  /** Follow the engine's /events stream (default true). */
  readonly watchEvents?: boolean;
  readonly eventOptions?: EventWatcherOptions;
  /** A logs or stats watch not renewed this long stops by itself. Default 30 000. */
  readonly watchExpiryMs?: number;
  /** The id this engine has in Strata (engine hub); default `default`. */
  readonly engineId?: string;
  /** The name shown for it; default from where it was found. */
  readonly engineName?: string;
  /** TLS files of a tcp:// engine the user added; used instead of DOCKER_CERT_PATH and the docker context's. */
  readonly tls?: TlsFiles;
  /** Where failed requests, failed jobs and connection changes are logged (default: nowhere). */
  readonly logger?: Logger;
}

/** What IPC and the browser server sit on: one engine service, or the hub of several (hub.ts). */
export interface ServiceHost extends EventSource {
  /** The handlers of one engine; throws not_found for an engine that is not there. */
  handlersFor(engineId: string): Handlers;
  /** Uploads and downloads of browser mode go through here. */
  readonly files: FileStore;
  close(): Promise<void>;
}

/**
 * One engine's service. It is not a ServiceHost by itself: engines.* belong to the hub (hub.ts), or to
 * singleEngineHost (single-engine.ts) where one service runs alone.
 */
export interface EngineService extends EventSource {
  readonly engineId: string;
  /** How engines.list shows it. */
  readonly entry: EngineEntry;
  readonly endpoint: Endpoint;
  readonly handlers: EngineHandlers;
  /** Uploads and downloads of browser mode go through here. */
  readonly files: FileStore;
  /** Cancels running jobs and releases every socket and timer. */
  close(): Promise<void>;
}

export const DEFAULT_STALL_TIMEOUT_MS = 120_000;

/**
 * `STRATA_STALL_TIMEOUT_MS`: how long a stream (pull, push, build, save, load, import, export) may go without a byte
 * before it is stopped; a whole number of milliseconds from 100 to one day. Anything else is ignored (the default).
 */
export function stallTimeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env['STRATA_STALL_TIMEOUT_MS']?.trim();
  if (raw === undefined || !/^\d{3,8}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 100 && value <= 86_400_000 ? value : undefined;
}
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

function syncReadFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function resolveSafely(host: string | undefined, env: Readonly<Record<string, string | undefined>>, homeDir: string) {
  try {
    // Read once at start-up: the config and certificates are a few small files.
    return { resolved: resolveEndpoint({ host, env, homeDir, readFile: syncReadFile, exists: existsSync }) };
  } catch (error) {
    const raw = host ?? env['DOCKER_HOST'] ?? '';
    const endpoint: Endpoint = {
      kind: raw.startsWith('tcp') ? 'tcp' : 'unix',
      address: raw === '' ? '(docker context)' : raw,
      source: host !== undefined && host !== '' ? 'flag' : raw !== '' ? 'DOCKER_HOST' : 'context',
      tls: false,
    };
    const message = error instanceof Error ? error.message : String(error);
    const resolved: ResolvedEndpoint = { endpoint, connection: undefined, unsupported: message };
    return { resolved };
  }
}

/** A tcp:// endpoint with the TLS files given for it (an added engine), else as resolved. */
function withTlsFiles(resolved: ResolvedEndpoint, tls: TlsFiles | undefined): ResolvedEndpoint {
  const connection = resolved.connection;
  if (tls === undefined || connection?.kind !== 'tcp') return resolved;
  return { ...resolved, endpoint: { ...resolved.endpoint, tls: true }, connection: { ...connection, tls } };
}

function loadTls(resolved: ResolvedEndpoint): TlsMaterial | undefined {
  const connection = resolved.connection;
  if (connection?.kind !== 'tcp' || connection.tls === undefined) return undefined;
  const read = (file: string | undefined): string | undefined => (file === undefined ? undefined : syncReadFile(file));
  return {
    ca: read(connection.tls.caFile),
    cert: read(connection.tls.certFile),
    key: read(connection.tls.keyFile),
    verify: connection.tls.verify,
  };
}

export function createEngineService(options: EngineServiceOptions = {}): EngineService {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();
  const stallTimeoutMs = options.stallTimeoutMs ?? stallTimeoutFromEnv(env) ?? DEFAULT_STALL_TIMEOUT_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const resolved = withTlsFiles(resolveSafely(options.host, env, homeDir).resolved, options.tls);
  const ENGINE_ID = options.engineId ?? DEFAULT_ENGINE_ID;
  // An engine the user added comes from Strata's settings, whatever option carried its address here.
  const endpoint: Endpoint =
    ENGINE_ID === DEFAULT_ENGINE_ID ? resolved.endpoint : { ...resolved.endpoint, source: 'added' };
  const entry: EngineEntry = {
    id: ENGINE_ID,
    name: options.engineName ?? (endpoint.context === undefined ? endpoint.address : `context ${endpoint.context}`),
    host: endpoint.address,
    kind: endpoint.kind,
    tls: endpoint.tls,
    source: ENGINE_ID === DEFAULT_ENGINE_ID ? 'environment' : 'added',
    removable: ENGINE_ID !== DEFAULT_ENGINE_ID,
  };
  const log = (options.logger ?? noopLogger).child({ engineId: ENGINE_ID });
  const listeners = new Set<(event: StrataEvent) => void>();
  const emit = (event: StrataEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not break the service.
      }
    }
  };

  const client =
    resolved.connection === undefined
      ? undefined
      : new LoggingEngineClient(
          {
            connection: resolved.connection,
            address: endpoint.address,
            tls: loadTls(resolved),
            requestTimeoutMs,
            onRequest: options.onRequest,
            onReachability: (reachable, headers, error) => reachability.observe(reachable, headers, error),
            negotiate: true,
          },
          log,
        );

  const engine = (): EngineClient => {
    if (client === undefined) {
      throw new StrataError('engine_unreachable', resolved.unsupported ?? `Cannot open ${endpoint.address}.`);
    }
    return client;
  };

  const jobs = new JobManager({
    engineId: ENGINE_ID,
    emit,
    log,
    ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs }),
  });

  async function getJson(
    path: string,
    context: Parameters<typeof httpError>[2],
    query?: Record<string, string | number | boolean>,
  ): Promise<unknown> {
    const res = await engine().json({ method: 'GET', path, ...(query === undefined ? {} : { query }) });
    if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.body, context);
    return res.value;
  }

  const history = createHistoryReader({ engineId: ENGINE_ID, getJson });
  const secrets = options.secrets ?? memorySecretStore();
  const files = options.files ?? createFileStore();
  const registryAuth = createCredentialResolver({ configDir: configDirOf(env, homeDir), secrets, env });

  const reachability = createReachability({
    engineId: ENGINE_ID,
    endpoint,
    requestTimeoutMs,
    emit,
    log,
    hasClient: client !== undefined,
    engine,
    getJson,
  });

  const ctx: EngineContext = {
    engineId: ENGINE_ID,
    endpoint,
    env,
    homeDir,
    requestTimeoutMs,
    stallTimeoutMs,
    engine,
    getJson,
    ping: (timeoutMs) => reachability.ping(timeoutMs),
    jobs,
    history,
    registryAuth,
    files,
    secrets,
    emit,
  };

  const events = createEventWatcher(ctx, options.eventOptions);
  const watches = createWatches(ctx, { expiryMs: options.watchExpiryMs });

  const handlers: EngineHandlers = {
    ...engineInfoHandlers(ctx),
    ...jobHandlers(jobs),
    ...eventHandlers(events),
    ...listHandlers(ctx),
    ...inspectHandlers(ctx),
    ...historyHandlers(ctx),
    ...graphHandlers(ctx),
    ...pullHandlers(ctx),
    ...pushHandlers(ctx),
    ...tagHandlers(ctx),
    ...removeHandlers(ctx),
    ...commitHandlers(ctx),
    ...pruneHandlers(ctx),
    ...searchHandlers(ctx),
    ...registryHandlers(ctx),
    ...transferHandlers(ctx),
    ...buildHandlers(ctx),
    ...containerHandlers(ctx),
    ...containerActionHandlers(ctx),
    ...watches.handlers,
    ...diskHandlers(ctx),
  };

  if (options.watchEvents !== false && client !== undefined) events.start();

  return {
    engineId: ENGINE_ID,
    entry,
    endpoint,
    handlers,
    files,
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      await events.stop();
      await watches.close();
      await jobs.close();
      client?.close();
      if (options.files === undefined) files.close();
      listeners.clear();
    },
  };
}
