/**
 * Jobs: their kinds, progress, state and results.
 */
import { z } from 'zod';
import { errorShape } from '../errors';
import { buildResultSchema } from './build';
import { emptyArgsSchema, method } from './common';
import { cleanupResultSchema } from './disk';
import { pushResultSchema } from './images';
import { pruneResultSchema } from './prune';
import { fileResultSchema, loadResultSchema, newImageResultSchema } from './transfer';

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

/** Each job kind's result type, from its schema (read them with the renderer's `jobResult`, which parses). */
export type JobResults = { readonly [K in JobKind]: z.infer<(typeof jobResultSchemas)[K]> };

export const jobMethods = {
  'jobs.list': method({
    args: emptyArgsSchema,
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
