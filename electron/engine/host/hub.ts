/**
 * The engine hub: one EngineService per engine Strata talks to — `default` from the environment (`--engine`,
 * DOCKER_HOST, the docker context, the default socket) and the engines the user added, kept in
 * `<settingsDir>/engines.json` — behind the one ServiceHost that IPC and the browser server sit on.
 *
 * Every engine's handlers are its own service's, except: engines.* (answered here, for all engines) and
 * jobs.list / jobs.cancel (spanning every engine; a job id names its engine). Events of every service go to every
 * listener; they carry their engineId.
 */
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  DEFAULT_ENGINE_ID,
  engineHostSchema,
  type EngineCandidate,
  type EngineEntry,
  type EngineTls,
  type Handlers,
  type JobInfo,
  type StrataEvent,
} from '../../../shared/api';
import { StrataError, toErrorShape } from '../../../shared/errors';
import { discoverEngines, type DiscoverOptions } from './discovery';
import { parseDockerHost } from '../core/endpoint';
import { loadEngineSettings, saveEngineSettings, type StoredEngine } from './settings';
import { collectDiagnostics } from './diagnostics';
import { createFileStore, type FileStore } from './files';
import { noopLogger } from './logger';
import { safeAddress } from './redact';
import { createEngineService, type EngineService, type EngineServiceOptions, type ServiceHost } from './service';

export interface EngineHubOptions {
  /** Where engines.json lives (Electron: app.getPath('userData'); browser mode: --data-dir). */
  readonly settingsDir: string;
  /** For every service; `host` applies to the default engine only. `files`, `engineId`, `engineName` are the hub's. */
  readonly serviceOptions?: Omit<EngineServiceOptions, 'files' | 'engineId' | 'engineName'>;
  /** Told once about a settings file that could not be used (default: a line on stderr). */
  readonly onProblem?: (message: string) => void;
  /** Discovery overrides (tests): the rootful Podman socket and the default Docker socket. */
  readonly discover?: Pick<DiscoverOptions, 'rootfulPodmanSocket' | 'defaultSocket'>;
  /** Builds a service (tests may wrap it). Default createEngineService. */
  readonly createService?: (options: EngineServiceOptions) => EngineService;
  /** Strata's version, for engine.diagnostics (package.json's; `unknown` when not given). */
  readonly appVersion?: string;
}

export interface EngineHub extends ServiceHost {
  /** The engines, default first, then the added ones in the order they were added. */
  engines(): readonly EngineEntry[];
  /** Why engines.json was not used at start, if it was not. */
  readonly settingsProblem: string | undefined;
}

/** Variables that would point an added engine anywhere but its own host. */
const ENDPOINT_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH'];

interface Held {
  readonly service: EngineService;
  readonly stored: StoredEngine | undefined;
  readonly entry: EngineEntry;
  readonly unsubscribe: () => void;
  readonly handlers: Handlers;
}

/** `Build box!` → `build-box`; never empty, never longer than leaves room for the random part. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' || slug === DEFAULT_ENGINE_ID ? 'engine' : slug;
}

export function newEngineId(name: string): string {
  return `${slugOf(name)}-${randomBytes(3).toString('hex')}`;
}

/** The address as Strata shows it (parsed the way the endpoint is), to compare hosts; the raw text when unparsable. */
function normalHost(host: string): string {
  try {
    return parseDockerHost(host, false).address;
  } catch {
    return host.trim();
  }
}

/** The file exists, is readable, and holds what it should (its contents are checked here, never kept). */
function checkTlsFile(label: string, path: string | undefined, kind: 'certificate' | 'key'): void {
  if (path === undefined) return;
  let data: Buffer;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    data = readFileSync(path);
  } catch {
    throw new StrataError('invalid_argument', `The TLS ${label} file ${path} does not exist or cannot be read.`);
  }
  try {
    if (kind === 'certificate') new X509Certificate(data);
    else createPrivateKey(data);
  } catch {
    throw new StrataError(
      'invalid_argument',
      `The TLS ${label} file ${path} does not hold a PEM ${kind === 'certificate' ? 'certificate' : 'private key'}.`,
    );
  }
}

/** Checks an engine to add; answers its host as Strata writes it. Throws invalid_argument / conflict. */
function validateNew(
  args: { readonly name: string; readonly host: string; readonly tls?: EngineTls | undefined },
  existing: readonly EngineEntry[],
): { readonly name: string; readonly host: string } {
  const name = args.name.trim();
  if (name === '' || name.length > 64)
    throw new StrataError('invalid_argument', 'An engine needs a name (1 to 64 characters).');
  const hostCheck = engineHostSchema.safeParse(args.host.trim());
  if (!hostCheck.success) {
    throw new StrataError(
      'invalid_argument',
      hostCheck.error.issues[0]?.message ??
        'An engine address is unix:///path/to/docker.sock, tcp://host:port, or ssh://user@host.',
    );
  }
  // Throws invalid_argument for a tcp:// or ssh:// address that cannot even be parsed.
  const parsed = parseDockerHost(hostCheck.data, args.tls !== undefined);
  if (parsed.kind === 'npipe') {
    throw new StrataError(
      'invalid_argument',
      `${parsed.address} is a Windows named pipe, which Strata cannot open here.`,
    );
  }
  if (args.tls !== undefined) {
    if (parsed.kind !== 'tcp') {
      throw new StrataError('invalid_argument', 'TLS files go with a tcp:// address only.');
    }
    checkTlsFile('CA certificate', args.tls.caFile, 'certificate');
    checkTlsFile('client certificate', args.tls.certFile, 'certificate');
    checkTlsFile('client key', args.tls.keyFile, 'key');
    if ((args.tls.certFile === undefined) !== (args.tls.keyFile === undefined)) {
      throw new StrataError('invalid_argument', 'A client certificate and its key go together: give both or neither.');
    }
  }
  const sameName = existing.find((entry) => entry.name.trim().toLowerCase() === name.toLowerCase());
  if (sameName !== undefined) {
    throw new StrataError('conflict', `There is already an engine named "${sameName.name}"; choose another name.`);
  }
  const sameHost = existing.find((entry) => normalHost(entry.host) === parsed.address);
  if (sameHost !== undefined) {
    throw new StrataError('conflict', `${parsed.address} is already in Strata as "${sameHost.name}".`);
  }
  return { name, host: hostCheck.data };
}

export function createEngineHub(options: EngineHubOptions): EngineHub {
  const serviceOptions = options.serviceOptions ?? {};
  const baseEnv = serviceOptions.env ?? process.env;
  const homeDir = serviceOptions.homeDir ?? homedir();
  const build = options.createService ?? createEngineService;
  const log = serviceOptions.logger ?? noopLogger;
  const files: FileStore = createFileStore();
  const listeners = new Set<(event: StrataEvent) => void>();
  const held = new Map<string, Held>();
  let closed = false;

  const broadcast = (event: StrataEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not break the hub.
      }
    }
  };

  const entries = (): readonly EngineEntry[] => {
    const all = [...held.values()].map((h) => h.entry);
    return [...all.filter((e) => e.id === DEFAULT_ENGINE_ID), ...all.filter((e) => e.id !== DEFAULT_ENGINE_ID)];
  };
  const stored = (): readonly StoredEngine[] =>
    [...held.values()].flatMap((h) => (h.stored === undefined ? [] : [h.stored]));
  const persist = (): void => {
    try {
      saveEngineSettings(options.settingsDir, stored());
    } catch (error) {
      throw new StrataError(
        'internal',
        `Strata could not save its engine list in ${options.settingsDir}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };

  /** An added engine's environment: the user's, without what would point it elsewhere (its host and TLS are its own). */
  const envOf = (): Record<string, string | undefined> => {
    const env: Record<string, string | undefined> = { ...baseEnv };
    for (const key of ENDPOINT_VARIABLES) delete env[key];
    return env;
  };

  const hubHandlers: Pick<
    Handlers,
    | 'engines.list'
    | 'engines.discover'
    | 'engines.add'
    | 'engines.remove'
    | 'engine.diagnostics'
    | 'jobs.list'
    | 'jobs.cancel'
  > = {
    'engines.list': () => Promise.resolve([...entries()]),

    'engines.discover': () => {
      const known = new Set(entries().map((entry) => normalHost(entry.host)));
      const found = discoverEngines({ env: baseEnv, homeDir, ...options.discover });
      return Promise.resolve(
        found.map((candidate): EngineCandidate => ({ ...candidate, added: known.has(normalHost(candidate.host)) })),
      );
    },

    'engines.add': async (args) => {
      if (closed) throw new StrataError('internal', 'The engine hub is closed.');
      const { name, host } = validateNew(args, entries());
      let id = newEngineId(name);
      while (held.has(id)) id = newEngineId(name);
      const engine: StoredEngine = { id, name, host, ...(args.tls === undefined ? {} : { tls: args.tls }) };
      let entry: EngineEntry;
      try {
        entry = open(engine);
      } catch (error) {
        throw new StrataError(
          'invalid_argument',
          `Strata cannot set up ${host}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      try {
        persist();
      } catch (error) {
        await drop(id);
        throw error;
      }
      log.info('engine added', { engineId: id, kind: entry.kind, address: safeAddress(entry.host) });
      return entry;
    },

    'engines.remove': async (args) => {
      if (args.id === DEFAULT_ENGINE_ID) {
        throw new StrataError(
          'conflict',
          'The default engine comes from --engine, DOCKER_HOST or the docker context and cannot be removed.',
        );
      }
      if (!held.has(args.id)) return { removed: false };
      const closing = drop(args.id);
      persist();
      await closing;
      log.info('engine removed', { engineId: args.id });
      return { removed: true };
    },

    'engine.diagnostics': () =>
      collectDiagnostics({
        appVersion: options.appVersion,
        engines: entries().map((entry) => ({
          entry,
          ping: () => {
            const h = held.get(entry.id);
            return h === undefined
              ? Promise.reject(new StrataError('not_found', 'The engine was removed.'))
              : h.service.handlers['engine.ping']({});
          },
        })),
        recent: log.recent(),
      }),

    'jobs.list': async () => {
      const lists = await Promise.all([...held.values()].map((h) => h.service.handlers['jobs.list']({})));
      const all: JobInfo[] = lists.flat();
      return all.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    },

    'jobs.cancel': async (args) => {
      // The job id names its engine (`job-<engineId>-…`); the longest matching id first, then the rest.
      const ranked = [...held.values()].sort((a, b) => {
        const match = (h: Held): number => (args.jobId.startsWith(`job-${h.entry.id}-`) ? h.entry.id.length : -1);
        return match(b) - match(a);
      });
      for (const h of ranked) {
        try {
          return await h.service.handlers['jobs.cancel'](args);
        } catch (error) {
          if (toErrorShape(error).code !== 'not_found') throw error;
        }
      }
      throw new StrataError('not_found', `There is no job "${args.jobId}" in this session.`);
    },
  };

  function open(engine: StoredEngine | undefined): EngineEntry {
    const id = engine?.id ?? DEFAULT_ENGINE_ID;
    // `host` of the options is the default engine's (the --engine flag); an added engine has its own.
    const service = build(
      engine === undefined
        ? { ...serviceOptions, files, engineId: DEFAULT_ENGINE_ID }
        : {
            ...serviceOptions,
            env: envOf(),
            host: engine.host,
            files,
            engineId: id,
            engineName: engine.name,
            ...(engine.tls === undefined
              ? {}
              : {
                  tls: {
                    caFile: engine.tls.caFile,
                    certFile: engine.tls.certFile,
                    keyFile: engine.tls.keyFile,
                    verify: engine.tls.verify,
                  },
                }),
          },
    );
    const unsubscribe = service.onEvent(broadcast);
    const handlers = { ...service.handlers, ...hubHandlers };
    held.set(id, { service, stored: engine, entry: service.entry, unsubscribe, handlers });
    return service.entry;
  }

  async function drop(id: string): Promise<void> {
    const h = held.get(id);
    if (h === undefined) return;
    held.delete(id);
    // Events of its last moments (jobs ending as cancelled) still reach the renderer.
    try {
      await h.service.close();
    } finally {
      h.unsubscribe();
    }
  }

  open(undefined);
  const loaded = loadEngineSettings(options.settingsDir);
  if (loaded.problem !== undefined) {
    (options.onProblem ?? ((message: string) => process.stderr.write(`Strata: ${message}\n`)))(loaded.problem);
  }
  for (const engine of loaded.engines) {
    if (engine.id === DEFAULT_ENGINE_ID || held.has(engine.id)) continue;
    try {
      open(engine);
    } catch (error) {
      // One engine that cannot be set up (its TLS folder, say) must not keep the others away.
      (options.onProblem ?? ((message: string) => process.stderr.write(`Strata: ${message}\n`)))(
        `The engine "${engine.name}" could not be set up: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  return {
    settingsProblem: loaded.problem,
    engines: entries,
    files,
    handlersFor(engineId) {
      const h = held.get(engineId);
      if (h === undefined) {
        throw new StrataError('not_found', `There is no engine "${engineId}" in Strata; it may have been removed.`);
      }
      return h.handlers;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      const ids = [...held.keys()];
      await Promise.allSettled(ids.map((id) => drop(id)));
      files.close();
      listeners.clear();
    },
  };
}
