/**
 * Containers: list, inspect, actions, run, changes, export, and log and stats watches.
 */
import { z } from 'zod';
import { errorShape } from '../errors';
import { fileDestinationSchema, jobStartedSchema, method, referenceSchema } from './common';

/** A published or exposed port, as /containers/json lists it. */
export const portSchema = z.object({
  /** Host address it is published on (`0.0.0.0`, `::`), or null when only exposed. */
  ip: z.string().nullable(),
  privatePort: z.number(),
  /** Host port, or null when the port is exposed but not published. */
  publicPort: z.number().nullable(),
  type: z.string(),
});
export type Port = z.infer<typeof portSchema>;

export const mountSchema = z.object({
  /** `volume`, `bind`, `tmpfs`, … */
  type: z.string(),
  /** The volume's name (volumes only). */
  name: z.string().nullable(),
  source: z.string(),
  destination: z.string(),
  readOnly: z.boolean(),
});
export type Mount = z.infer<typeof mountSchema>;

export const healthSchema = z.enum(['starting', 'healthy', 'unhealthy']);

export const containerSummarySchema = z.object({
  engineId: z.string(),
  id: z.string(),
  /** Without the leading slash. */
  name: z.string(),
  image: z.string(),
  imageId: z.string(),
  command: z.string(),
  /** Unix seconds. */
  created: z.number(),
  /** `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`. */
  state: z.string(),
  /** The engine's words: "Up 3 minutes (healthy)", "Exited (0) 2 hours ago". */
  status: z.string(),
  /** From the healthcheck, null when the container has none. */
  health: healthSchema.nullable(),
  ports: z.array(portSchema),
  mounts: z.array(mountSchema),
  labels: z.record(z.string(), z.string()),
  /** `com.docker.compose.project` label (containers of one project are shown together), else null. */
  composeProject: z.string().nullable(),
  /** Writable layer bytes; null unless the list was asked with `size` (the engine computes it slowly). */
  sizeRw: z.number().nullable(),
  /** Bytes of the image plus the writable layer; null unless asked with `size`. */
  sizeRootFs: z.number().nullable(),
});
export type ContainerSummary = z.infer<typeof containerSummarySchema>;

/** A container by name or ID. */
export const containerRefSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^\/?[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'Not a container name or ID.');

/** A new container's name, as `docker run --name` takes it. */
export const containerNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    'A container name is letters, digits, "_", "." and "-", starting with a letter or digit.',
  );

export const containerDetailsSchema = z.object({
  engineId: z.string(),
  id: z.string(),
  name: z.string(),
  /** The image as the container was created from it (a reference or ID), and its ID. */
  image: z.string(),
  imageId: z.string(),
  /** ISO times; startedAt / finishedAt are null when it never started / never finished. */
  created: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  state: z.string(),
  exitCode: z.number().nullable(),
  /** The engine's error for the last start, if any (e.g. an executable not found). */
  error: z.string().nullable(),
  health: healthSchema.nullable(),
  /** Started with a TTY: its log is one raw stream (no stdout/stderr split). */
  tty: z.boolean(),
  entrypoint: z.array(z.string()),
  command: z.array(z.string()),
  env: z.array(z.string()),
  workingDir: z.string(),
  user: z.string(),
  ports: z.array(portSchema),
  mounts: z.array(mountSchema),
  /** `no`, `always`, `unless-stopped`, `on-failure:3`. */
  restartPolicy: z.string(),
  autoRemove: z.boolean(),
  networkMode: z.string(),
  labels: z.record(z.string(), z.string()),
  /** The engine's inspect answer as it came (untrusted text throughout). */
  raw: z.unknown(),
});
export type ContainerDetails = z.infer<typeof containerDetailsSchema>;

export const CONTAINER_ACTIONS = ['start', 'stop', 'restart', 'pause', 'unpause', 'kill', 'remove'] as const;
export const containerActionSchema = z.enum(CONTAINER_ACTIONS);
export type ContainerAction = z.infer<typeof containerActionSchema>;

/** Options of a container action; each applies only to the actions named. */
export const containerActionOptionsSchema = z.object({
  /** stop, restart: seconds to wait before killing (the engine's default is 10). */
  timeoutSeconds: z.number().int().min(0).max(3600).optional(),
  /** kill: the signal, `SIGKILL` when absent. */
  signal: z
    .string()
    .regex(/^(SIG)?[A-Z0-9+-]{1,16}$|^\d{1,2}$/, 'A signal is a name such as "SIGTERM" or a number.')
    .optional(),
  /** remove: remove a running container (kills it first). */
  force: z.boolean().optional(),
  /** remove: also remove its anonymous volumes. */
  removeVolumes: z.boolean().optional(),
});

export const containerActionResultSchema = z.object({
  container: z.string(),
  action: containerActionSchema,
  /** False when there was nothing to do (start of a running container: the engine's 304). */
  changed: z.boolean(),
});

export const containerActionItemSchema = z.discriminatedUnion('ok', [
  z.object({ container: z.string(), ok: z.literal(true), changed: z.boolean() }),
  z.object({ container: z.string(), ok: z.literal(false), error: errorShape }),
]);
export type ContainerActionItem = z.infer<typeof containerActionItemSchema>;

const envEntrySchema = z
  .string()
  .max(32768)
  .regex(/^[^=\s][^=]*=/s, 'An environment entry is NAME=value.');
const absoluteContainerPathSchema = z
  .string()
  .max(4096)
  .regex(/^\/[^\0]*$/, 'A path inside the container starts with "/".');

export const portBindingSchema = z
  .object({
    containerPort: z.number().int().min(1).max(65535),
    protocol: z.enum(['tcp', 'udp', 'sctp']).default('tcp'),
    /** Omitted: the engine picks a free host port. */
    hostPort: z.number().int().min(1).max(65535).optional(),
    /** Omitted: every address. */
    hostIp: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .strict();

export const volumeBindingSchema = z
  .object({
    /** An absolute host path (a bind mount), a volume name, or empty for a new anonymous volume. */
    source: z
      .string()
      .max(4096)
      .regex(/^$|^\/[^\0]*$|^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'A source is an absolute host path or a volume name.'),
    target: absoluteContainerPathSchema,
    readOnly: z.boolean().default(false),
  })
  .strict();

export const runArgsSchema = z
  .object({
    image: referenceSchema,
    name: containerNameSchema.optional(),
    /** argv: ["sh", "-c", "echo hi"]; empty keeps the image's CMD. */
    command: z.array(z.string().max(32768)).max(256).default([]),
    /** argv; empty keeps the image's ENTRYPOINT. */
    entrypoint: z.array(z.string().max(32768)).max(256).default([]),
    env: z.array(envEntrySchema).max(500).default([]),
    ports: z.array(portBindingSchema).max(100).default([]),
    volumes: z.array(volumeBindingSchema).max(100).default([]),
    restartPolicy: z.enum(['no', 'always', 'unless-stopped', 'on-failure']).default('no'),
    /** on-failure only. */
    maxRetries: z.number().int().min(0).max(1000).optional(),
    autoRemove: z.boolean().default(false),
    workingDir: absoluteContainerPathSchema.optional(),
    user: z
      .string()
      .max(256)
      .regex(/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/, 'A user is "name", "uid", or "user:group".')
      .optional(),
    labels: z.record(z.string().min(1).max(1024), z.string().max(16384)).default({}),
    /** Allocate a TTY (its log is then one stream). */
    tty: z.boolean().default(false),
    /**
     * False is "attached": the answer waits until the container exits (or 10 minutes) and carries its exit code;
     * the log is read with containers.logsWatch as for any container.
     */
    detach: z.boolean().default(true),
  })
  .strict();
export type RunArgs = z.input<typeof runArgsSchema>;

export const runResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The engine's warnings from create (untrusted text). */
  warnings: z.array(z.string()),
  /** Attached runs: the exit code, null while detached or when it did not exit within the wait. */
  exitCode: z.number().nullable(),
});

export const fileChangeSchema = z.object({ path: z.string(), kind: z.enum(['changed', 'added', 'deleted']) });
export type FileChange = z.infer<typeof fileChangeSchema>;

export const logLineSchema = z.object({
  /** TTY containers have one stream, reported as stdout. */
  stream: z.enum(['stdout', 'stderr']),
  /** One line without its newline (untrusted text; invalid UTF-8 replaced). */
  text: z.string(),
  /** The engine's timestamp (RFC 3339 with nanoseconds) when asked for; else null. */
  time: z.string().nullable(),
});
export type LogLine = z.infer<typeof logLineSchema>;

export const statsSampleSchema = z.object({
  /** ms since the epoch (the engine's `read`). */
  time: z.number(),
  /** Like `docker stats`: share of one CPU × 100, so up to 100 × online CPUs; null for the first sample. */
  cpuPercent: z.number().nullable(),
  /** Memory in use without the page cache, as `docker stats` counts it. */
  memoryUsed: z.number(),
  memoryLimit: z.number(),
  networkRx: z.number(),
  networkTx: z.number(),
  blockRead: z.number(),
  blockWrite: z.number(),
  pids: z.number().nullable(),
});
export type StatsSample = z.infer<typeof statsSampleSchema>;

const watchStartedSchema = z.object({ watchId: z.string() });

export const containerMethods = {
  'containers.list': method({
    args: z
      .object({
        all: z.boolean().default(true),
        /** Also compute each writable layer's size (slow on the engine side: ask on demand). */
        size: z.boolean().default(false),
      })
      .strict(),
    result: z.array(containerSummarySchema),
    job: false,
    summary: 'Containers on the engine (all of them, or running ones only), optionally with their sizes.',
  }),
  'containers.export': method({
    args: z.object({ container: containerRefSchema, destination: fileDestinationSchema }).strict(),
    result: jobStartedSchema,
    job: true,
    summary: "Exports a container's filesystem to a tar, as a job.",
  }),
  'containers.inspect': method({
    args: z.object({ container: containerRefSchema }).strict(),
    result: containerDetailsSchema,
    job: false,
    summary: 'Key fields of one container, and the raw inspect answer.',
  }),
  'containers.action': method({
    args: containerActionOptionsSchema
      .extend({ container: containerRefSchema, action: containerActionSchema })
      .strict(),
    result: containerActionResultSchema,
    job: false,
    summary: 'Starts, stops, restarts, pauses, unpauses, kills or removes one container.',
  }),
  'containers.actionMany': method({
    args: containerActionOptionsSchema
      .extend({ containers: z.array(containerRefSchema).min(1).max(500), action: containerActionSchema })
      .strict(),
    result: z.array(containerActionItemSchema),
    job: false,
    summary: 'One action on many containers; one result per item, and a failure does not stop the others.',
  }),
  'containers.rename': method({
    args: z.object({ container: containerRefSchema, name: containerNameSchema }).strict(),
    result: z.object({ id: z.string(), name: z.string() }),
    job: false,
    summary: 'Renames a container.',
  }),
  'containers.run': method({
    args: runArgsSchema,
    result: runResultSchema,
    job: false,
    summary: 'Creates and starts a container from an image (`docker run`), checked before the engine sees it.',
  }),
  'containers.changes': method({
    args: z.object({ container: containerRefSchema }).strict(),
    result: z.array(fileChangeSchema),
    job: false,
    summary: "Paths added, changed and deleted in a container's filesystem since it was created.",
  }),
  'containers.logsWatch': method({
    args: z
      .object({
        container: containerRefSchema,
        /** Keep following new output (until the container exits and the stream ends). */
        follow: z.boolean().default(true),
        timestamps: z.boolean().default(true),
        /** Lines from the end of the log to start with. */
        tail: z.number().int().min(0).max(100_000).default(1000),
      })
      .strict(),
    result: watchStartedSchema,
    job: false,
    summary:
      "Streams a container's log as `watch.logs` events (stdout and stderr apart, TTY or not) until stopped or ended.",
  }),
  'containers.statsWatch': method({
    args: z.object({ container: containerRefSchema }).strict(),
    result: watchStartedSchema,
    job: false,
    summary: 'Streams live stats (CPU, memory, network, block I/O) as `watch.stats` events, about one a second.',
  }),
  'watches.renew': method({
    args: z.object({ watchIds: z.array(z.string().min(1).max(64)).max(100) }).strict(),
    result: z.object({ alive: z.array(z.string()) }),
    job: false,
    summary: 'Keeps watches going: a watch not renewed for 30 s stops by itself (a closed window leaks nothing).',
  }),
  'watches.stop': method({
    args: z.object({ watchId: z.string().min(1).max(64) }).strict(),
    result: z.object({ stopped: z.boolean() }),
    job: false,
    summary: 'Stops a log or stats watch; `stopped` is false when it had already ended.',
  }),
} as const;
