/**
 * Engines: how one is reached, its status and info, and the engines Strata talks to (several at once: the one
 * from the environment, and the ones the user adds).
 */
import { z } from 'zod';
import { errorShape } from '../errors';
import { absolutePathSchema, emptyArgsSchema, engineIdSchema, method } from './common';

export const endpointSchema = z.object({
  /** How the engine is reached. */
  kind: z.enum(['unix', 'tcp', 'npipe', 'ssh']),
  /** What a user would recognise: `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`. */
  address: z.string(),
  /** Where the address came from, as the docker CLI would resolve it; `added`: an engine the user added in Strata. */
  source: z.enum(['flag', 'DOCKER_HOST', 'context', 'default', 'added']),
  /** The docker context name when source is `context`. */
  context: z.string().optional(),
  tls: z.boolean(),
});
export type Endpoint = z.infer<typeof endpointSchema>;

export const engineStatusSchema = z.object({
  engineId: z.string(),
  state: z.enum(['connected', 'unreachable']),
  endpoint: endpointSchema,
  serverVersion: z.string().optional(),
  apiVersion: z.string().optional(),
  /** Present when state is `unreachable`: what went wrong, and what to do. */
  error: errorShape.optional(),
  /** ISO time of the check. */
  checkedAt: z.string(),
});
export type EngineStatus = z.infer<typeof engineStatusSchema>;

export const engineInfoSchema = z.object({
  engineId: z.string(),
  endpoint: endpointSchema,
  name: z.string(),
  serverVersion: z.string(),
  apiVersion: z.string(),
  minApiVersion: z.string(),
  gitCommit: z.string(),
  goVersion: z.string(),
  os: z.string(),
  osType: z.string(),
  kernelVersion: z.string(),
  architecture: z.string(),
  storageDriver: z.string(),
  cgroupDriver: z.string(),
  loggingDriver: z.string(),
  dataRoot: z.string(),
  cpus: z.number(),
  memoryBytes: z.number(),
  images: z.number(),
  containers: z.number(),
  containersRunning: z.number(),
  containersPaused: z.number(),
  containersStopped: z.number(),
  experimental: z.boolean(),
  /** The API version Strata sends its requests with after negotiating (null: unversioned, the engine's own). */
  apiVersionUsed: z.string().nullable(),
  /** Where images live: the classic graph drivers, or containerd's content store (the default of Docker 29). */
  imageStore: z.enum(['classic', 'containerd']),
  /** What works differently on this engine, in words (empty when nothing does). */
  compatibility: z.array(z.object({ topic: z.string(), note: z.string() })),
});
export type EngineInfo = z.infer<typeof engineInfoSchema>;

export const engineHostSchema = z
  .string()
  .min(8)
  .max(4096)
  .regex(
    /^(unix:\/\/\/\S+|tcp:\/\/[^\s/]+|ssh:\/\/[^\s/]+(\/\S*)?|npipe:\/\/\S+)$/,
    'An engine address is unix:///path/to/docker.sock, tcp://host:port, or ssh://user@host.',
  );

/** TLS for a tcp:// engine: files on this machine (their contents are never stored by Strata). */
export const engineTlsSchema = z
  .object({
    caFile: absolutePathSchema.optional(),
    certFile: absolutePathSchema.optional(),
    keyFile: absolutePathSchema.optional(),
    verify: z.boolean().default(true),
  })
  .strict();
export type EngineTls = z.infer<typeof engineTlsSchema>;

export const engineKindSchema = z.enum(['unix', 'tcp', 'ssh', 'npipe']);

export const engineEntrySchema = z.object({
  id: z.string(),
  /** What the user calls it ("Laptop", "build box"); the default engine is named after where it was found. */
  name: z.string(),
  host: z.string(),
  kind: engineKindSchema,
  tls: z.boolean(),
  /** `environment`: the default engine (flag, DOCKER_HOST, context, default socket); `added`: by the user. */
  source: z.enum(['environment', 'added']),
  /** Added engines can be removed; the default one cannot. */
  removable: z.boolean(),
});
export type EngineEntry = z.infer<typeof engineEntrySchema>;

/** An engine Strata found on this machine and offers to add. */
export const engineCandidateSchema = z.object({
  name: z.string(),
  host: z.string(),
  kind: engineKindSchema,
  tls: engineTlsSchema.nullable(),
  source: z.enum(['docker-context', 'podman', 'default-socket']),
  /** In words: "docker context \"build\"", "Podman (rootless)". */
  description: z.string(),
  /** An engine with this host is already in the list. */
  added: z.boolean(),
});
export type EngineCandidate = z.infer<typeof engineCandidateSchema>;

/** One warning or error from Strata's log (already scrubbed of secrets), for a bug report. */
export const diagnosticLogSchema = z.object({
  /** ISO time. */
  time: z.string(),
  level: z.enum(['warn', 'error']),
  message: z.string(),
  /** The record's fields, each as text: `method`, `path`, `status`, `code`… */
  fields: z.record(z.string(), z.string()),
});
export type DiagnosticLog = z.infer<typeof diagnosticLogSchema>;

/** One engine as a bug report shows it: how it is reached (never a password or token), its versions, its state. */
export const engineDiagnosticsSchema = z.object({
  engineId: z.string(),
  kind: engineKindSchema,
  /** The address without user name (an ssh user shows as `user@`), password, query or fragment. */
  address: z.string(),
  tls: z.boolean(),
  state: z.enum(['connected', 'unreachable']),
  serverVersion: z.string().optional(),
  apiVersion: z.string().optional(),
  /** Why it is unreachable, when it is. */
  error: z.string().optional(),
  /** Its last warnings and errors, oldest first (at most 20). */
  recent: z.array(diagnosticLogSchema),
});
export type EngineDiagnostics = z.infer<typeof engineDiagnosticsSchema>;

export const diagnosticsSchema = z.object({
  /** ISO time the report was made. */
  generatedAt: z.string(),
  app: z.object({
    version: z.string(),
    /** `desktop` (Electron) or `browser` (browser mode). */
    mode: z.enum(['desktop', 'browser']),
  }),
  platform: z.object({
    /** `linux`, `darwin`, `win32`. */
    os: z.string(),
    osRelease: z.string(),
    arch: z.string(),
    node: z.string(),
    electron: z.string().optional(),
    chrome: z.string().optional(),
  }),
  engines: z.array(engineDiagnosticsSchema),
  /** The last warnings and errors that belong to no engine, oldest first (at most 20). */
  recent: z.array(diagnosticLogSchema),
});
export type Diagnostics = z.infer<typeof diagnosticsSchema>;

export const engineMethods = {
  'engines.list': method({
    args: emptyArgsSchema,
    result: z.array(engineEntrySchema),
    job: false,
    summary: 'Every engine Strata talks to: the default one, and those the user added (kept across restarts).',
  }),
  'engines.discover': method({
    args: emptyArgsSchema,
    result: z.array(engineCandidateSchema),
    job: false,
    summary: "Engines found on this machine to offer: the docker CLI's contexts and Podman's sockets.",
  }),
  'engines.add': method({
    args: z
      .object({ name: z.string().trim().min(1).max(64), host: engineHostSchema, tls: engineTlsSchema.optional() })
      .strict(),
    result: engineEntrySchema,
    job: false,
    summary: 'Adds an engine (unix socket, tcp:// with TLS files, ssh://) and keeps it in the settings.',
  }),
  'engines.remove': method({
    args: z.object({ id: engineIdSchema }).strict(),
    result: z.object({ removed: z.boolean() }),
    job: false,
    summary: 'Removes an added engine from Strata (the engine itself is untouched); its running jobs are cancelled.',
  }),
  'engine.ping': method({
    args: emptyArgsSchema,
    result: engineStatusSchema,
    job: false,
    summary: 'Checks the engine; answers its status, `unreachable` with the reason when it does not answer.',
  }),
  'engine.info': method({
    args: emptyArgsSchema,
    result: engineInfoSchema,
    job: false,
    summary: 'What `docker info` and `docker version` show that a user looks at.',
  }),
  'engine.diagnostics': method({
    args: emptyArgsSchema,
    result: diagnosticsSchema,
    job: false,
    summary:
      'A report for bug reports, for every engine: app and platform versions, endpoint kind and a safe address, ' +
      'TLS, engine versions and state, the last warnings and errors. Never a password, token, header or env value.',
  }),
} as const;
