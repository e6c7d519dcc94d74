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
  /** Where the endpoint came from, as the docker CLI would resolve it. */
  source: z.enum(['flag', 'DOCKER_HOST', 'context', 'default']),
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

export const JOB_KINDS = ['pull'] as const;
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

export const jobProgressSchema = z.object({
  /** 0..1 over the whole job, or null while the total is not yet known. */
  fraction: z.number().nullable(),
  /** The latest line for people: "Downloading 3 of 5 layers". */
  message: z.string(),
  /** Per-layer detail (pulls). */
  layers: z.array(layerProgressSchema),
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
]);
export type StrataEvent = z.infer<typeof strataEventSchema>;

/** Where events come from, on the service side. Returns the unsubscribe function. */
export interface EventSource {
  onEvent(listener: (event: StrataEvent) => void): () => void;
}
