/**
 * The engine service: everything the contract's handlers do, in plain Node (no `electron`).
 * Electron's IPC and the browser server both sit on top of one EngineService.
 */
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  DEFAULT_ENGINE_ID,
  type Endpoint,
  type EngineEntry,
  type EngineStatus,
  type EventSource,
  type Handlers,
  type StrataEvent,
} from '../../../shared/api';
import { StrataError, toErrorShape } from '../../../shared/errors';
import {
  encodeReferenceForPath,
  parseReference,
  pullParameters,
  type ParsedReference,
} from '../../../shared/reference';
import type { EngineClient, RequestRecord, TlsMaterial } from '../core/client';
import { buildHandlers } from '../build/build';
import { containerActionHandlers } from '../containers/actions';
import { containerHandlers } from '../containers/list';
import { diskHandlers } from '../disk/disk';
import type { EngineContext } from './context';
import { settle } from './context';
import { createCredentialResolver, registryAuthHeader, registryHostOf } from '../registries/credentials';
import { createEventWatcher, eventHandlers, type EventWatcherOptions } from '../events/events';
import { createFileStore, type FileStore } from './files';
import { pruneHandlers } from '../images/prune';
import { pushHandlers } from '../images/push';
import { registryHandlers } from '../registries/registries';
import { searchHandlers } from '../images/search';
import { memorySecretStore, type SecretStore } from './secrets';
import { tagHandlers } from '../images/tag';
import { transferHandlers } from '../transfer/transfer';
import { createWatches } from '../containers/watches';
import { configDirOf, resolveEndpoint, type ResolvedEndpoint, type TlsFiles } from '../core/endpoint';
import { httpError, stalledError, streamError } from '../core/errors';
import { createHistoryReader } from '../images/history';
import { countContainersByImage, toEngineInfo, toImageDetails, toImageSummary } from './info';
import { JobManager } from './jobs';
import { noopLogger, type Logger } from './logger';
import { LoggingEngineClient } from './request-log';
import { runStreamed } from '../core/streamed';
import { initialPullState, reducePull, toJobProgress, type PullState } from '../images/pull';

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

export interface EngineService extends ServiceHost {
  readonly engineId: string;
  /** How engines.list shows it. */
  readonly entry: EngineEntry;
  readonly endpoint: Endpoint;
  readonly handlers: Handlers;
  /** Uploads and downloads of browser mode go through here. */
  readonly files: FileStore;
  /** Cancels running jobs and releases every socket and timer. */
  close(): Promise<void>;
}

export const DEFAULT_STALL_TIMEOUT_MS = 120_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** Validates a reference again: the service can be called without the dispatcher's schema check. */
export function requireReference(reference: unknown): ParsedReference {
  if (typeof reference !== 'string') {
    throw new StrataError('invalid_argument', 'An image reference is required, for example "alpine:3.19".');
  }
  const parsed = parseReference(reference);
  if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
  return parsed.value;
}

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

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function createEngineService(options: EngineServiceOptions = {}): EngineService {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
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
  const oneEngine = (): Promise<never> =>
    Promise.reject(
      new StrataError(
        'conflict',
        'This Strata service runs one engine only; engines are added through the engine hub.',
      ),
    );

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

  // Reachability, observed from real calls only (no polling).
  let reachState: EngineStatus['state'] | undefined;
  let serverVersion: string | undefined;
  let apiVersion: string | undefined;
  let lastError: StrataError | undefined;
  const statusNow = (): EngineStatus => ({
    engineId: ENGINE_ID,
    state: reachState ?? 'unreachable',
    endpoint,
    ...(serverVersion === undefined ? {} : { serverVersion }),
    ...(apiVersion === undefined ? {} : { apiVersion }),
    ...(reachState !== 'connected' && lastError !== undefined ? { error: lastError.toShape() } : {}),
    checkedAt: new Date().toISOString(),
  });
  const observe = (
    reachable: boolean,
    headers?: Readonly<Record<string, string | string[] | undefined>>,
    error?: StrataError,
  ): void => {
    if (headers !== undefined) {
      const api = headerString(headers['api-version']);
      if (api !== undefined) apiVersion = api;
      const server = /Docker\/(\S+)/.exec(headerString(headers['server']) ?? '');
      if (server?.[1] !== undefined) serverVersion = server[1];
    }
    if (error !== undefined) lastError = error;
    const next = reachable ? 'connected' : 'unreachable';
    if (next === reachState) return;
    reachState = next;
    if (reachable) log.info('engine connected', { kind: endpoint.kind, serverVersion, apiVersion });
    else log.warn('engine unreachable', { kind: endpoint.kind, code: error?.code, message: error?.message });
    emit({ type: 'engine.status', status: statusNow() });
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
            onReachability: observe,
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

  async function ping(timeoutMs = requestTimeoutMs): Promise<EngineStatus> {
    try {
      const res = await engine().request({ method: 'GET', path: '/_ping', timeoutMs, unversioned: true });
      if (res.status !== 200) {
        lastError = new StrataError(
          'engine_error',
          `The engine at ${endpoint.address} answered ${res.status} to a ping.`,
        );
        return { ...statusNow(), state: 'unreachable', error: lastError.toShape() };
      }
      if (serverVersion === undefined) {
        try {
          const version = await getJson('/version', { operation: 'ping' });
          const v = (version ?? {}) as { Version?: unknown; ApiVersion?: unknown };
          if (typeof v.Version === 'string') serverVersion = v.Version;
          if (typeof v.ApiVersion === 'string') apiVersion = v.ApiVersion;
        } catch {
          // The ping answered; the version is a nicety.
        }
      }
      return statusNow();
    } catch (error) {
      const shape = toErrorShape(error);
      if (client === undefined || shape.code === 'engine_unreachable') {
        lastError = error instanceof StrataError ? error : StrataError.fromShape(shape);
        return { ...statusNow(), state: 'unreachable', error: shape };
      }
      throw error;
    }
  }

  async function runPull(
    parsed: ParsedReference,
    signal: AbortSignal,
    report: (state: PullState) => void,
  ): Promise<Record<string, unknown>> {
    const reference = parsed.raw;
    const { fromImage, tag } = pullParameters(parsed);
    const headers: Record<string, string> = {};
    const auth = await registryAuth(registryHostOf(parsed));
    if (auth !== undefined) headers['X-Registry-Auth'] = registryAuthHeader(auth);

    let state = initialPullState(reference);
    await runStreamed(ctx, {
      request: { method: 'POST', path: '/images/create', query: { fromImage, tag }, headers },
      signal,
      onLine: (line) => {
        state = reducePull(state, line);
        report(state);
        return state.error === undefined;
      },
      onHttpError: (status, body) => httpError(status, body, { operation: 'pull', reference }),
      stalled: () => stalledError(reference, stallTimeoutMs),
      what: 'pull progress',
      broken: (why) =>
        `the engine at ${endpoint.address} ${why} during the pull of ${reference} (did Docker stop or restart?); the pull did not finish. Try again once Docker is running.`,
    });
    if (state.error !== undefined) throw streamError(state.error, reference);

    // Done only when the image inspects.
    const inspect = await engine().json({ method: 'GET', path: `/images/${encodeReferenceForPath(reference)}/json` });
    if (inspect.status === 404) {
      throw new StrataError(
        'engine_error',
        `the engine ended the pull of ${reference} without an error, but the image is not there; pull again.`,
      );
    }
    if (inspect.status !== 200) throw httpError(inspect.status, inspect.body, { operation: 'inspect', reference });
    const id = (inspect.value as { Id?: unknown } | undefined)?.Id;
    return {
      imageId: typeof id === 'string' ? id : '',
      reference,
      ...(state.digest === undefined ? {} : { digest: state.digest }),
      ...(state.finalStatus === undefined ? {} : { status: state.finalStatus }),
    };
  }

  const ctx: EngineContext = {
    engineId: ENGINE_ID,
    endpoint,
    env,
    homeDir,
    requestTimeoutMs,
    stallTimeoutMs,
    engine,
    getJson,
    ping,
    jobs,
    history,
    registryAuth,
    files,
    secrets,
    emit,
  };

  const events = createEventWatcher(ctx, options.eventOptions);
  const watches = createWatches(ctx, { expiryMs: options.watchExpiryMs });

  const handlers: Handlers = {
    ...eventHandlers(events),
    ...tagHandlers(ctx),
    ...pruneHandlers(ctx),
    ...pushHandlers(ctx),
    ...searchHandlers(ctx),
    ...registryHandlers(ctx),
    ...transferHandlers(ctx),
    ...buildHandlers(ctx),
    ...containerHandlers(ctx),
    ...containerActionHandlers(ctx),
    ...watches.handlers,
    ...diskHandlers(ctx),

    // A lone service knows only itself; the engine hub (hub.ts) answers these for every engine it holds.
    'engines.list': () => Promise.resolve([entry]),
    'engines.discover': () => Promise.resolve([]),
    'engines.add': oneEngine,
    'engines.remove': oneEngine,

    'engine.ping': async () => ping(),

    'engine.info': async () => {
      const [info, version, negotiated] = await Promise.all([
        getJson('/info', { operation: 'info' }),
        getJson('/version', { operation: 'info' }),
        engine().apiVersions(),
      ]);
      return toEngineInfo(ENGINE_ID, endpoint, info, version, negotiated);
    },

    'images.list': async () => {
      const [images, containers] = await Promise.all([
        getJson('/images/json', { operation: 'list' }),
        getJson('/containers/json', { operation: 'list' }, { all: 1 }),
      ]);
      const counts = countContainersByImage(containers);
      if (!Array.isArray(images))
        throw new StrataError('engine_error', 'The engine answered /images/json with something that is not a list.');
      return images.map((image) => toImageSummary(ENGINE_ID, image, counts));
    },

    'images.inspect': async (args) => {
      const parsed = requireReference(args.reference);
      const raw = await getJson(`/images/${encodeReferenceForPath(parsed.raw)}/json`, {
        operation: 'inspect',
        reference: parsed.raw,
      });
      return toImageDetails(ENGINE_ID, raw);
    },

    'images.history': async (args) => {
      const parsed = requireReference(args.reference);
      return history.read(parsed.raw);
    },

    'layers.graph': async () => history.graph(),

    'images.pull': settle((args: { readonly reference: string }) => {
      const parsed = requireReference(args.reference);
      if (/^sha256:[0-9a-f]{64}$/.test(parsed.raw)) {
        throw new StrataError(
          'invalid_argument',
          `"${parsed.raw}" is an image ID, which cannot be pulled; pull by name, for example "alpine:3.19" or "alpine@sha256:…".`,
        );
      }
      engine(); // an endpoint Strata cannot open fails the call, not the job
      const jobId = jobs.start('pull', parsed.raw, (context) =>
        runPull(parsed, context.signal, (state) => context.progress(toJobProgress(state))),
      );
      return { jobId };
    }),

    'jobs.list': settle(() => jobs.list()),

    'jobs.cancel': settle((args: { readonly jobId: string }) => {
      if (typeof args.jobId !== 'string' || args.jobId === '') {
        throw new StrataError('invalid_argument', 'jobs.cancel needs the id of a job.');
      }
      return { cancelled: jobs.cancel(args.jobId) };
    }),
  };

  if (options.watchEvents !== false && client !== undefined) events.start();

  return {
    engineId: ENGINE_ID,
    entry,
    endpoint,
    handlers,
    handlersFor(engineId) {
      if (engineId !== ENGINE_ID) throw new StrataError('not_found', `There is no engine "${engineId}" in Strata.`);
      return handlers;
    },
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
