/**
 * The contract: every method Strata's renderer can call, declared once. The preload, the IPC
 * handlers, the browser server and the renderer client are all derived from `api`; a method that
 * is not in this table does not exist.
 */
import { z } from 'zod';
import { errorShape } from './errors';
import { parseReference } from './reference';

// ---------------------------------------------------------------------------------------------
// Building blocks

/** An image reference or ID, checked against the distribution/reference grammar. */
export const referenceSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseReference(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
});

const empty = z.object({}).strict();

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

/** One image as `docker images` knows it; the renderer shows one row per repo:tag. */
export const imageSummarySchema = z.object({
  engineId: z.string(),
  id: z.string(),
  parentId: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  /** Unix seconds. */
  created: z.number(),
  size: z.number(),
  /** Bytes shared with other images, or -1 when the engine did not compute it. */
  sharedSize: z.number(),
  /** Containers (running or not) created from this image. */
  containers: z.number(),
  labels: z.record(z.string(), z.string()),
});
export type ImageSummary = z.infer<typeof imageSummarySchema>;

export const imageDetailsSchema = z.object({
  engineId: z.string(),
  id: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  parentId: z.string(),
  /** ISO time. */
  created: z.string(),
  author: z.string(),
  comment: z.string(),
  architecture: z.string(),
  os: z.string(),
  variant: z.string().optional(),
  size: z.number(),
  layers: z.array(z.string()),
  config: z.object({
    entrypoint: z.array(z.string()).nullable(),
    cmd: z.array(z.string()).nullable(),
    workingDir: z.string(),
    user: z.string(),
    env: z.array(z.string()),
    exposedPorts: z.array(z.string()),
    volumes: z.array(z.string()),
    labels: z.record(z.string(), z.string()),
    /** The HEALTHCHECK: test command and durations in nanoseconds (0 = engine default); null when none. */
    healthcheck: z
      .object({
        test: z.array(z.string()),
        intervalNs: z.number(),
        timeoutNs: z.number(),
        startPeriodNs: z.number(),
        retries: z.number(),
      })
      .nullable(),
    stopSignal: z.string(),
    shell: z.array(z.string()).nullable(),
    onBuild: z.array(z.string()),
  }),
  /** The engine's inspect answer, as it came. */
  raw: z.record(z.string(), z.unknown()),
});
export type ImageDetails = z.infer<typeof imageDetailsSchema>;

export const removeResultSchema = z.object({
  reference: z.string(),
  untagged: z.array(z.string()),
  deleted: z.array(z.string()),
});
export type RemoveResult = z.infer<typeof removeResultSchema>;

// ---------------------------------------------------------------------------------------------
// History and layers

export const historyStepSchema = z.object({
  /** The step's image ID, or `<missing>` (steps of pulled images and BuildKit builds). */
  id: z.string(),
  /** Unix seconds. */
  created: z.number(),
  /** The command exactly as the engine reports it (untrusted text). */
  createdBy: z.string(),
  /** The Dockerfile instruction it stands for: `RUN …`, `CMD ["sh"]`, `ADD file:… in /`; empty when unknown. */
  instruction: z.string(),
  size: z.number(),
  comment: z.string(),
  tags: z.array(z.string()),
  /** Whether the step made a layer; null when that cannot be told (see `mapping`). */
  madeLayer: z.boolean().nullable(),
  /** Index into `layers` of the layer the step made; null when it made none or the mapping is unknown. */
  layerIndex: z.number().nullable(),
});
export type HistoryStep = z.infer<typeof historyStepSchema>;

export const layerInfoSchema = z.object({
  diffId: z.string(),
  /** OCI chain ID: ChainID(1) = DiffID(1), ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n)). */
  chainId: z.string(),
  /** Bytes of the step that made the layer, when the mapping is exact. */
  size: z.number().nullable(),
  /** Index into `steps` of the step that made the layer, when the mapping is exact. */
  stepIndex: z.number().nullable(),
  /** Other local images that contain this layer at the same place in their chain (repo:tag, or short ID). */
  sharedWith: z.array(z.string()),
});
export type LayerInfo = z.infer<typeof layerInfoSchema>;

export const historyMappingSchema = z.object({
  /** `exact`: the count of layer-making steps equals the number of layers, so each layer names its step. */
  kind: z.enum(['exact', 'unlabelled']),
  /** In words, for people: why the layers are or are not labelled. */
  note: z.string(),
});

export const baseImageSchema = z.object({
  imageId: z.string(),
  /** repo:tag, or the short ID when untagged. */
  name: z.string(),
  /** This image's first `layerCount` layers are the base image's layers. */
  layerCount: z.number(),
});

export const imageHistorySchema = z.object({
  engineId: z.string(),
  imageId: z.string(),
  repoTags: z.array(z.string()),
  /** Oldest first. */
  steps: z.array(historyStepSchema),
  /** RootFS layers, bottom first. */
  layers: z.array(layerInfoSchema),
  mapping: historyMappingSchema,
  /** The local image whose layers are the longest proper prefix of this one's, if any. */
  base: baseImageSchema.nullable(),
});
export type ImageHistory = z.infer<typeof imageHistorySchema>;

/** What the layer graph needs of one image: its chain and the steps that made its layers. */
export const graphImageDataSchema = z.object({
  imageId: z.string(),
  repoTags: z.array(z.string()),
  layers: z.array(layerInfoSchema.pick({ diffId: true, chainId: true, size: true, stepIndex: true })),
  steps: z.array(historyStepSchema.pick({ instruction: true, size: true })),
});
export type GraphImageData = z.infer<typeof graphImageDataSchema>;

// ---------------------------------------------------------------------------------------------
// Jobs

export const JOB_KINDS = ['pull', 'push', 'build', 'save', 'load', 'import', 'export', 'prune', 'cleanup'] as const;
export const jobKindSchema = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof jobKindSchema>;

export const layerProgressSchema = z.object({
  id: z.string(),
  /** The engine's words: Waiting, Downloading, Extracting, Pull complete, Already exists… */
  status: z.string(),
  current: z.number(),
  total: z.number(),
  done: z.boolean(),
});
export type LayerProgress = z.infer<typeof layerProgressSchema>;

export const buildStepSchema = z.object({
  /** 1-based, as the engine prints it: `Step 3/7 : RUN make`. */
  number: z.number(),
  total: z.number(),
  /** The instruction as the builder echoed it (untrusted text). */
  instruction: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  /** Output lines of the step; only the last few hundred are kept (see `droppedLines`). */
  lines: z.array(z.string()),
  droppedLines: z.number(),
});
export type BuildStep = z.infer<typeof buildStepSchema>;

export const jobProgressSchema = z.object({
  /** 0..1 over the whole job, or null while the total is not yet known. */
  fraction: z.number().nullable(),
  /** The latest line for people: "Downloading 3 of 5 layers". */
  message: z.string(),
  /** Per-layer detail (pulls and pushes). */
  layers: z.array(layerProgressSchema),
  /** Bytes moved so far (save, load, import, export, build context upload); total when known. */
  bytes: z.object({ current: z.number(), total: z.number().nullable() }).optional(),
  /** Builds: the steps seen so far, each with its (bounded) log lines. */
  build: z
    .object({
      steps: z.array(buildStepSchema),
      /** Index into `steps` of the step that failed, once the build failed. */
      failedStep: z.number().nullable(),
    })
    .optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobStateSchema = z.enum(['running', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof jobStateSchema>;

export const jobInfoSchema = z.object({
  id: z.string(),
  kind: jobKindSchema,
  engineId: z.string(),
  /** What the job works on, e.g. the reference being pulled. */
  title: z.string(),
  state: jobStateSchema,
  progress: jobProgressSchema,
  error: errorShape.nullable(),
  /** What the job produced when it is done: for a pull, `{ imageId, reference }`. */
  result: z.record(z.string(), z.unknown()).nullable(),
  /** ISO times. */
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type JobInfo = z.infer<typeof jobInfoSchema>;

const jobStarted = z.object({ jobId: z.string() });

// ---------------------------------------------------------------------------------------------
// Image lifecycle (tag, remove many, prune, push, registries, save/load/import/export, build, commit, search)

/** One result per item of a batch: some may fail (an image in use) while the others still go. */
export const removeManyItemSchema = z.discriminatedUnion('ok', [
  z.object({ reference: z.string(), ok: z.literal(true), result: removeResultSchema }),
  z.object({ reference: z.string(), ok: z.literal(false), error: errorShape }),
]);
export type RemoveManyItem = z.infer<typeof removeManyItemSchema>;

export const tagResultSchema = z.object({
  /** The image that was tagged, as given. */
  reference: z.string(),
  /** Every tag now pointing at it that this call added, normalised (`repo:tag`). */
  tagged: z.array(z.string()),
});

/**
 * Prune filters, as `docker image prune` takes them. `until` is a Go duration (`24h`, `90m`) or an
 * RFC 3339 / Unix timestamp; labels are `key`, `key=value`, and `!`-prefixed to exclude (`!keep`).
 */
export const pruneArgsSchema = z
  .object({
    mode: z.enum(['dangling', 'all']),
    until: z
      .string()
      .regex(
        /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$|^\d+(\.\d+)?$/,
        'Use a duration such as "24h" or "90m", a date such as "2026-01-31", or a Unix timestamp.',
      )
      .optional(),
    labels: z
      .array(
        z
          .string()
          .regex(
            /^!?[^\s=!]+(=[^\s]*)?$/,
            'A label filter is "key", "key=value", or "!key" / "!key=value" to exclude.',
          ),
      )
      .max(20)
      .optional(),
  })
  .strict();
export type PruneArgs = z.infer<typeof pruneArgsSchema>;

export const pruneKeepReasonSchema = z.enum([
  'in-use', // a container (running or stopped) was created from it
  'has-children', // another image is built on it
  'tagged', // dangling mode keeps tagged images
  'filtered-out', // the until or label filters exclude it
]);

export const prunePlanSchema = z.object({
  engineId: z.string(),
  args: pruneArgsSchema,
  /** Images that would be deleted or untagged. */
  remove: z.array(
    z.object({
      imageId: z.string(),
      /** Tags (and digest references) that would be removed; empty for a dangling image. */
      references: z.array(z.string()),
      /** The image's size as `docker images` shows it. */
      size: z.number(),
      /** False when only tags go and the image itself stays (it has children). */
      deleted: z.boolean(),
    }),
  ),
  /** Every other image, with what keeps it. */
  keep: z.array(
    z.object({
      imageId: z.string(),
      references: z.array(z.string()),
      reason: pruneKeepReasonSchema,
      /** In words: "used by container lab-stopped (exited)", "lab/app-debug:1.0 is built on it". */
      detail: z.string(),
    }),
  ),
  /** Bytes really freed: layers no remaining image shares. */
  reclaimBytes: z.number(),
  /** Layers (chain IDs) that would be freed. */
  freedLayers: z.number(),
  /** Freed layers whose size could not be told from the image history; not counted in reclaimBytes. */
  unknownSizeLayers: z.number().int(),
  /** ISO time. */
  computedAt: z.string(),
});
export type PrunePlan = z.infer<typeof prunePlanSchema>;

/** `images.prune` job result. */
export const pruneResultSchema = z.object({
  /** What the engine reports. */
  deleted: z.array(z.string()),
  untagged: z.array(z.string()),
  spaceReclaimed: z.number(),
  /** The preview computed right before the prune ran. */
  plan: prunePlanSchema,
  /** Each difference between the preview and what the engine did, in words; empty when they agree. */
  differences: z.array(z.string()),
});
export type PruneResult = z.infer<typeof pruneResultSchema>;

/** `images.push` job result. */
export const pushResultSchema = z.object({ reference: z.string(), digest: z.string().nullable(), size: z.number() });

/** A registry host: `registry.example.com`, `127.0.0.1:5000`, `docker.io`. No scheme, no path. */
export const registryHostSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]{1,5})?$/,
    'A registry is a host with an optional port, for example "registry.example.com" or "127.0.0.1:5000" (no https://, no path).',
  );

export const registryEntrySchema = z.object({
  registry: z.string(),
  /** Known user name; never a secret. */
  username: z.string().nullable(),
  /** Where the credentials come from. */
  source: z.enum(['config', 'helper', 'stored', 'session', 'none']),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

export const loginResultSchema = z.object({
  registry: z.string(),
  username: z.string(),
  /** `encrypted`: kept with the OS keychain (desktop); `session`: in memory until Strata quits (browser mode). */
  stored: z.enum(['encrypted', 'session']),
});

const repositoryNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/, 'Not a repository name.');

export const catalogSchema = z.object({
  registry: z.string(),
  repositories: z.array(z.string()),
  /** Pass as `last` for the next page; null at the end. */
  next: z.string().nullable(),
});

export const repositoryTagsSchema = z.object({
  registry: z.string(),
  repository: z.string(),
  tags: z.array(z.string()),
});

export const manifestSchema = z.object({
  registry: z.string(),
  repository: z.string(),
  reference: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  kind: z.enum(['image', 'list']),
  /** Image manifests: each layer's digest, compressed size and media type. */
  layers: z.array(z.object({ digest: z.string(), size: z.number(), mediaType: z.string() })),
  /** Image manifests: the config blob's digest. */
  configDigest: z.string().nullable(),
  /** Sum of the config and layer sizes (what a pull downloads at most); 0 for lists. */
  totalSize: z.number(),
  /** Manifest lists / OCI indexes: one entry per platform. */
  platforms: z.array(
    z.object({
      digest: z.string(),
      size: z.number(),
      mediaType: z.string(),
      os: z.string(),
      architecture: z.string(),
      variant: z.string().nullable(),
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** An absolute path on the machine the service runs on. */
export const absolutePathSchema = z
  .string()
  .min(2)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'A path cannot contain NUL.')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'Use an absolute path.');

/** Where a file comes from: a path (desktop file dialog, or typed), or a browser upload (`POST /api/uploads`). */
export const fileSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: absolutePathSchema }).strict(),
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }).strict(),
]);
export type FileSource = z.infer<typeof fileSourceSchema>;

/** Where a file goes: a path (desktop save dialog), or a browser download (`GET /api/downloads/<id>`). */
export const fileDestinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: absolutePathSchema }).strict(),
  z.object({ kind: z.literal('download'), fileName: z.string().regex(/^[^/\\\0]{1,200}$/) }).strict(),
]);
export type FileDestination = z.infer<typeof fileDestinationSchema>;

/** Job result of save and export. */
export const fileResultSchema = z.object({
  /** Set for a path destination. */
  path: z.string().nullable(),
  /** Set for a download destination: fetch it from `GET /api/downloads/<downloadId>`. */
  downloadId: z.string().nullable(),
  fileName: z.string(),
  bytes: z.number(),
});
export type FileResult = z.infer<typeof fileResultSchema>;

/** `images.load` job result. */
export const loadResultSchema = z.object({
  /** `repo:tag` of each loaded tag, or the image ID of an untagged one. */
  loaded: z.array(z.string()),
});

/** `images.import` and `images.commit` result. */
export const newImageResultSchema = z.object({ imageId: z.string(), reference: z.string().nullable() });

/** Dockerfile instructions `import` and `commit` accept as changes. */
export const changeSchema = z
  .string()
  .max(4096)
  .regex(
    /^(CMD|ENTRYPOINT|ENV|EXPOSE|LABEL|ONBUILD|STOPSIGNAL|USER|VOLUME|WORKDIR|HEALTHCHECK|SHELL)\s+\S/i,
    'A change is one Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR, HEALTHCHECK or SHELL.',
  );

const buildArgNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'A build arg name is letters, digits and _.');

export const buildArgsSchema = z
  .object({
    /** The context folder, on the machine the service runs on. */
    contextPath: absolutePathSchema,
    /** Relative to the context. */
    dockerfile: z
      .string()
      .min(1)
      .max(1024)
      .refine(
        (p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'),
        'The Dockerfile must be inside the context.',
      )
      .default('Dockerfile'),
    tags: z.array(referenceSchema).max(20).default([]),
    buildArgs: z.record(buildArgNameSchema, z.string().max(32768)).default({}),
    target: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/)
      .optional(),
    noCache: z.boolean().default(false),
    pull: z.boolean().default(false),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Engines (several at once: the one from the environment, and the ones the user adds)

/** The engine Strata finds from `--engine`, DOCKER_HOST, the docker context or the default socket. */
export const DEFAULT_ENGINE_ID = 'default';

/** Which engine a call goes to (IPC argument / `X-Strata-Engine` header); absent means the default engine. */
export const engineIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Not an engine id.');

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

/** `images.build` job result. */
export const buildResultSchema = z.object({ imageId: z.string(), tags: z.array(z.string()) });

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

const watchStarted = z.object({ watchId: z.string() });

// ---------------------------------------------------------------------------------------------
// Disk usage and cleanup (`docker system df`, `docker system prune`)

export const DISK_CATEGORIES = ['images', 'containers', 'volumes', 'buildCache'] as const;
export const diskCategorySchema = z.enum(DISK_CATEGORIES);
export type DiskCategory = z.infer<typeof diskCategorySchema>;

/** One row of `docker system df`, computed as the docker CLI computes it. */
export const diskTotalSchema = z.object({
  category: diskCategorySchema,
  count: z.number(),
  active: z.number(),
  size: z.number(),
  reclaimable: z.number(),
});
export type DiskTotal = z.infer<typeof diskTotalSchema>;

export const volumeSummarySchema = z.object({
  engineId: z.string(),
  name: z.string(),
  driver: z.string(),
  mountpoint: z.string(),
  /** ISO time, null when the engine does not say. */
  createdAt: z.string().nullable(),
  scope: z.string(),
  labels: z.record(z.string(), z.string()),
  /** An anonymous volume (a 64-hex name no one chose). */
  anonymous: z.boolean(),
  /** Containers (running or not) that mount it. */
  usedBy: z.array(z.object({ id: z.string(), name: z.string(), state: z.string() })),
  /** From /system/df only: bytes and reference count (null in volumes.list, and where the engine gives -1). */
  size: z.number().nullable(),
  refCount: z.number().nullable(),
});
export type VolumeSummary = z.infer<typeof volumeSummarySchema>;

export const buildCacheRecordSchema = z.object({
  id: z.string(),
  /** `regular`, `source.local`, `exec.cachemount`, `internal`, `frontend`, `source.git.checkout`. */
  type: z.string(),
  description: z.string(),
  size: z.number(),
  inUse: z.boolean(),
  shared: z.boolean(),
  usageCount: z.number(),
  createdAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type BuildCacheRecord = z.infer<typeof buildCacheRecordSchema>;

export const diskImageSchema = z.object({
  id: z.string(),
  repoTags: z.array(z.string()),
  size: z.number(),
  /** Bytes of layers other images also use; computed from layers when the engine gives -1. */
  sharedSize: z.number(),
  /** size − sharedSize: what removing this image alone frees. */
  uniqueSize: z.number(),
  /** Where sharedSize came from. */
  sharedFrom: z.enum(['engine', 'layers']),
  containers: z.number(),
  /** Unix seconds. */
  created: z.number(),
});
export type DiskImage = z.infer<typeof diskImageSchema>;

/** What `docker system df -v` shows. */
export const diskUsageSchema = z.object({
  engineId: z.string(),
  /** Bytes of every distinct image layer (the Images row's SIZE). */
  layersSize: z.number(),
  totals: z.array(diskTotalSchema),
  images: z.array(diskImageSchema),
  containers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      image: z.string(),
      state: z.string(),
      sizeRw: z.number(),
      sizeRootFs: z.number(),
    }),
  ),
  volumes: z.array(volumeSummarySchema),
  buildCache: z.array(buildCacheRecordSchema),
  /** How long the engine took to answer /system/df, in ms. */
  engineMs: z.number(),
  /** ISO time. */
  computedAt: z.string(),
});
export type DiskUsage = z.infer<typeof diskUsageSchema>;

/** What a cleanup removes. Labels (`key`, `key=value`, `!key`) and `until` apply to every part that takes them. */
export const cleanupArgsSchema = z
  .object({
    containers: z.boolean().default(false),
    images: z.enum(['none', 'dangling', 'all']).default('none'),
    volumes: z.boolean().default(false),
    buildCache: z.boolean().default(false),
    until: pruneArgsSchema.shape.until,
    labels: pruneArgsSchema.shape.labels,
  })
  .strict()
  .refine(
    (a) => a.containers || a.images !== 'none' || a.volumes || a.buildCache,
    'Pick at least one thing to clean up.',
  );
export type CleanupArgs = z.input<typeof cleanupArgsSchema>;

/** Exactly what a cleanup would remove, in the order it runs (containers, volumes, images, build cache). */
export const cleanupPlanSchema = z.object({
  engineId: z.string(),
  containers: z.array(
    z.object({ id: z.string(), name: z.string(), image: z.string(), status: z.string(), size: z.number().nullable() }),
  ),
  volumes: z.array(z.object({ name: z.string(), size: z.number().nullable() })),
  /** The image part, computed as if the containers above were already gone. */
  images: prunePlanSchema.nullable(),
  buildCache: z.array(buildCacheRecordSchema),
  /** Bytes per part and in all (unknown sizes count as 0 and are listed in `unknownSizes`). */
  bytes: z.object({
    containers: z.number(),
    volumes: z.number(),
    images: z.number(),
    buildCache: z.number(),
    total: z.number(),
  }),
  unknownSizes: z.array(z.string()),
  computedAt: z.string(),
});
export type CleanupPlan = z.infer<typeof cleanupPlanSchema>;

/** `disk.cleanup` job result: what the engine reported for each part, next to the plan. */
export const cleanupResultSchema = z.object({
  plan: cleanupPlanSchema,
  containers: z.object({ deleted: z.array(z.string()), spaceReclaimed: z.number() }).nullable(),
  volumes: z.object({ deleted: z.array(z.string()), spaceReclaimed: z.number() }).nullable(),
  images: z
    .object({ deleted: z.array(z.string()), untagged: z.array(z.string()), spaceReclaimed: z.number() })
    .nullable(),
  buildCache: z.object({ deleted: z.array(z.string()), spaceReclaimed: z.number() }).nullable(),
  spaceReclaimed: z.number(),
  /** Each difference between the plan and what the engine did, in words. */
  differences: z.array(z.string()),
});
export type CleanupResult = z.infer<typeof cleanupResultSchema>;

export const searchResultSchema = z.object({
  name: z.string(),
  description: z.string(),
  stars: z.number(),
  official: z.boolean(),
  automated: z.boolean(),
});

/** What each job kind's `result` holds when it is done; the renderer parses with these. */
export const jobResultSchemas = {
  pull: z.object({ imageId: z.string(), reference: z.string() }).passthrough(),
  push: pushResultSchema,
  build: buildResultSchema,
  save: fileResultSchema,
  load: loadResultSchema,
  import: newImageResultSchema,
  export: fileResultSchema,
  prune: pruneResultSchema,
  cleanup: cleanupResultSchema,
} as const satisfies Record<JobKind, z.ZodType>;

// ---------------------------------------------------------------------------------------------
// Engine events

/** One event from the engine's /events stream, as Strata keeps it (the engine's object types and actions). */
export const engineEventSchema = z.object({
  engineId: z.string(),
  /** `image`, `container`, `volume`, `network`, `daemon`, `plugin`, `builder`, … */
  type: z.string(),
  /** `pull`, `tag`, `untag`, `delete`, `import`, `load`, `save`, `push`, `create`, `start`, `die`, `destroy`, … */
  action: z.string(),
  /** The object's ID or name as the engine gives it (an image reference or ID for images). */
  id: z.string(),
  /** The object's name where the engine gives one (`name` attribute), else empty. */
  name: z.string(),
  /** The engine's attributes (labels, image, exit code…); untrusted text. */
  attributes: z.record(z.string(), z.string()),
  /** Milliseconds since the epoch (from the engine's timeNano). */
  time: z.number(),
});
export type EngineEvent = z.infer<typeof engineEventSchema>;

// ---------------------------------------------------------------------------------------------
// The table

interface MethodSpec<A extends z.ZodType, R extends z.ZodType> {
  readonly args: A;
  readonly result: R;
  /** Jobs answer `{ jobId }` at once, stream progress as events, and can be cancelled. */
  readonly job: boolean;
  readonly summary: string;
}

function method<A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>): MethodSpec<A, R> {
  return spec;
}

export const api = {
  'engines.list': method({
    args: empty,
    result: z.array(engineEntrySchema),
    job: false,
    summary: 'Every engine Strata talks to: the default one, and those the user added (kept across restarts).',
  }),
  'engines.discover': method({
    args: empty,
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
    args: empty,
    result: engineStatusSchema,
    job: false,
    summary: 'Checks the engine; answers its status, `unreachable` with the reason when it does not answer.',
  }),
  'engine.info': method({
    args: empty,
    result: engineInfoSchema,
    job: false,
    summary: 'What `docker info` and `docker version` show that a user looks at.',
  }),
  'images.list': method({
    args: empty,
    result: z.array(imageSummarySchema),
    job: false,
    summary: 'Every image on the engine, dangling ones included, with the count of containers using each.',
  }),
  'images.inspect': method({
    args: z.object({ reference: referenceSchema }).strict(),
    result: imageDetailsSchema,
    job: false,
    summary: 'Key fields of one image, and the raw inspect answer.',
  }),
  'images.remove': method({
    args: z.object({ reference: referenceSchema, force: z.boolean().optional() }).strict(),
    result: removeResultSchema,
    job: false,
    summary: 'Removes an image, or untags it when the reference is one of several tags.',
  }),
  'images.history': method({
    args: z.object({ reference: referenceSchema }).strict(),
    result: imageHistorySchema,
    job: false,
    summary: 'Every build step of an image (oldest first), its layers with chain IDs, and which images share them.',
  }),
  'layers.graph': method({
    args: empty,
    result: z.array(graphImageDataSchema),
    job: false,
    summary: 'Every local image with its layer chain and the steps that made its layers: the input of the layer graph.',
  }),
  'images.pull': method({
    args: z.object({ reference: referenceSchema }).strict(),
    result: jobStarted,
    job: true,
    summary: 'Pulls an image as a job; answers `{ jobId }` at once.',
  }),
  'images.tag': method({
    args: z.object({ reference: referenceSchema, tags: z.array(referenceSchema).min(1).max(50) }).strict(),
    result: tagResultSchema,
    job: false,
    summary: 'Adds tags (`repo[:tag]`, registry host allowed) to an image; every tag is checked before any is added.',
  }),
  'images.removeMany': method({
    args: z.object({ references: z.array(referenceSchema).min(1).max(500), force: z.boolean().optional() }).strict(),
    result: z.array(removeManyItemSchema),
    job: false,
    summary: 'Removes or untags many images; one result per item, and a failure does not stop the others.',
  }),
  'images.prunePreview': method({
    args: pruneArgsSchema,
    result: prunePlanSchema,
    job: false,
    summary: 'Exactly which images a prune would remove, what keeps every other image, and the bytes really freed.',
  }),
  'images.prune': method({
    args: pruneArgsSchema,
    result: jobStarted,
    job: true,
    summary: 'Prunes images as a job (one prune at a time); the result compares what the engine did with the preview.',
  }),
  'images.push': method({
    args: z.object({ reference: referenceSchema }).strict(),
    result: jobStarted,
    job: true,
    summary: 'Pushes a tag to the registry it names, as a job with per-layer progress.',
  }),
  'images.save': method({
    args: z
      .object({
        references: z.array(referenceSchema).min(1).max(200),
        compress: z.boolean().default(false),
        destination: fileDestinationSchema,
      })
      .strict(),
    result: jobStarted,
    job: true,
    summary: 'Saves images to a .tar (or .tar.gz), checked before it is put in place; a download in browser mode.',
  }),
  'images.load': method({
    args: z.object({ source: fileSourceSchema }).strict(),
    result: jobStarted,
    job: true,
    summary: 'Loads images from a tar (plain or gzip), after checking it; the result lists what was loaded.',
  }),
  'images.import': method({
    args: z
      .object({
        source: fileSourceSchema,
        reference: referenceSchema.optional(),
        changes: z.array(changeSchema).max(50).default([]),
        message: z.string().max(4096).optional(),
      })
      .strict(),
    result: jobStarted,
    job: true,
    summary: 'Imports a root filesystem tarball as a new one-layer image, with optional Dockerfile changes.',
  }),
  'images.build': method({
    args: buildArgsSchema,
    result: jobStarted,
    job: true,
    summary: 'Builds an image from a context folder (.dockerignore respected); the log streams step by step.',
  }),
  'images.commit': method({
    args: z
      .object({
        container: containerRefSchema,
        reference: referenceSchema.optional(),
        author: z.string().max(1024).optional(),
        message: z.string().max(4096).optional(),
        changes: z.array(changeSchema).max(50).default([]),
        pause: z.boolean().default(true),
      })
      .strict(),
    result: newImageResultSchema,
    job: false,
    summary: "Creates an image from a container's current filesystem and settings.",
  }),
  'images.search': method({
    args: z
      .object({ term: z.string().trim().min(1).max(256), limit: z.number().int().min(1).max(100).default(25) })
      .strict(),
    result: z.array(searchResultSchema),
    job: false,
    summary: 'Searches Docker Hub through the engine.',
  }),
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
    result: jobStarted,
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
    result: watchStarted,
    job: false,
    summary:
      "Streams a container's log as `watch.logs` events (stdout and stderr apart, TTY or not) until stopped or ended.",
  }),
  'containers.statsWatch': method({
    args: z.object({ container: containerRefSchema }).strict(),
    result: watchStarted,
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
  'volumes.list': method({
    args: empty,
    result: z.array(volumeSummarySchema),
    job: false,
    summary: 'Volumes with the containers that use them (fast; sizes come with disk.usage).',
  }),
  'volumes.remove': method({
    args: z
      .object({
        name: z
          .string()
          .min(1)
          .max(256)
          .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'Not a volume name.'),
        force: z.boolean().optional(),
      })
      .strict(),
    result: z.object({ name: z.string() }),
    job: false,
    summary: 'Removes a volume; a volume in use is refused with the containers that use it.',
  }),
  'disk.usage': method({
    args: empty,
    result: diskUsageSchema,
    job: false,
    summary:
      '`docker system df -v`: totals per category as the CLI computes them, and every image, container, volume and cache record.',
  }),
  'disk.cleanupPreview': method({
    args: cleanupArgsSchema,
    result: cleanupPlanSchema,
    job: false,
    summary: 'Exactly what a cleanup would remove, part by part, and the bytes it would free.',
  }),
  'disk.cleanup': method({
    args: cleanupArgsSchema,
    result: jobStarted,
    job: true,
    summary:
      'Prunes stopped containers, unused volumes, images and build cache as a job; the result compares with the plan.',
  }),
  'registries.list': method({
    args: empty,
    result: z.array(registryEntrySchema),
    job: false,
    summary: 'Registries Strata has credentials for, and where they come from (never the secrets).',
  }),
  'registries.login': method({
    args: z
      .object({
        registry: registryHostSchema,
        username: z.string().min(1).max(1024),
        password: z.string().min(1).max(16384),
      })
      .strict(),
    result: loginResultSchema,
    job: false,
    summary:
      "Checks credentials against the registry's /v2/ endpoint, then keeps them (encrypted, or for the session).",
  }),
  'registries.logout': method({
    args: z.object({ registry: registryHostSchema }).strict(),
    result: z.object({ removed: z.boolean() }),
    job: false,
    summary: 'Forgets the credentials Strata stored for a registry (docker config entries are left alone).',
  }),
  'registries.catalog': method({
    args: z
      .object({
        registry: registryHostSchema,
        last: z.string().max(512).optional(),
        n: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    result: catalogSchema,
    job: false,
    summary: "A page of a registry v2's repository catalog.",
  }),
  'registries.tags': method({
    args: z.object({ registry: registryHostSchema, repository: repositoryNameSchema }).strict(),
    result: repositoryTagsSchema,
    job: false,
    summary: 'The tags of one repository in a registry.',
  }),
  'registries.manifest': method({
    args: z
      .object({
        registry: registryHostSchema,
        repository: repositoryNameSchema,
        reference: z.string().regex(/^([\w][\w.-]{0,127}|[a-z0-9]+:[a-f0-9]{32,})$/, 'Not a tag or digest.'),
      })
      .strict(),
    result: manifestSchema,
    job: false,
    summary: 'A manifest: size per layer for an image, the platform list for a manifest list or index.',
  }),
  'events.list': method({
    args: z
      .object({
        /** Only events after this time (ms since the epoch). */
        since: z.number().optional(),
        /** Only events of these object types (`image`, `container`, …). */
        types: z
          .array(z.string().regex(/^[a-z]+$/))
          .max(20)
          .optional(),
        limit: z.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
    result: z.array(engineEventSchema),
    job: false,
    summary: 'Engine events Strata has seen this session (newest last), for the event log.',
  }),
  'jobs.list': method({
    args: empty,
    result: z.array(jobInfoSchema),
    job: false,
    summary: 'Every job of this session, running and finished.',
  }),
  'jobs.cancel': method({
    args: z.object({ jobId: z.string().min(1) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
    job: false,
    summary: 'Cancels a running job; `cancelled` is false when it had already ended.',
  }),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type ArgsOf<M extends MethodName> = z.input<Api[M]['args']>;
export type ParsedArgsOf<M extends MethodName> = z.output<Api[M]['args']>;
export type ResultOf<M extends MethodName> = z.output<Api[M]['result']>;

export const METHOD_NAMES = Object.keys(api) as readonly MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** What every call answers, over IPC and HTTP alike. */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: z.infer<typeof errorShape> };

/** The service behind the contract: one handler per method. */
export type Handlers = {
  readonly [M in MethodName]: (args: ParsedArgsOf<M>) => Promise<ResultOf<M>>;
};

// ---------------------------------------------------------------------------------------------
// Events pushed to the renderer (IPC `webContents.send`, or /api/events in browser mode)

export const strataEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.progress'), jobId: z.string(), progress: jobProgressSchema }),
  z.object({ type: z.literal('job.end'), job: jobInfoSchema }),
  z.object({ type: z.literal('engine.status'), status: engineStatusSchema }),
  /** A batch of engine events (the service batches them briefly so a `docker build` does not flood the renderer). */
  z.object({ type: z.literal('engine.events'), engineId: z.string(), events: z.array(engineEventSchema) }),
  /** New log lines of a logs watch; `dropped` counts lines skipped because the container wrote faster than shown. */
  z.object({ type: z.literal('watch.logs'), watchId: z.string(), lines: z.array(logLineSchema), dropped: z.number() }),
  z.object({ type: z.literal('watch.stats'), watchId: z.string(), sample: statsSampleSchema }),
  /** A watch ended: the container exited (logs), was removed, the engine went away, or it was stopped. */
  z.object({ type: z.literal('watch.end'), watchId: z.string(), error: errorShape.nullable() }),
]);
export type StrataEvent = z.infer<typeof strataEventSchema>;

/** Where events come from, on the service side. Returns the unsubscribe function. */
export interface EventSource {
  onEvent(listener: (event: StrataEvent) => void): () => void;
}
