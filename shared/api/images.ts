/**
 * Images: list, inspect, remove, pull, tag, push, commit, search. The table comes in slices so that the method
 * table in methods.ts keeps its order (history, prune, transfer and build methods sit between them).
 */
import { z } from 'zod';
import { errorShape } from '../errors';
import { emptyArgsSchema, jobStartedSchema, method, referenceSchema } from './common';
import { containerRefSchema } from './containers';
import { changeSchema, newImageResultSchema } from './transfer';

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

/** `images.push` job result. */
export const pushResultSchema = z.object({ reference: z.string(), digest: z.string().nullable(), size: z.number() });

export const searchResultSchema = z.object({
  name: z.string(),
  description: z.string(),
  stars: z.number(),
  official: z.boolean(),
  automated: z.boolean(),
});

/** List, inspect, remove. */
export const imageMethods = {
  'images.list': method({
    args: emptyArgsSchema,
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
} as const;

/** Pull, tag, remove many. */
export const imagePullTagMethods = {
  'images.pull': method({
    args: z.object({ reference: referenceSchema }).strict(),
    result: jobStartedSchema,
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
} as const;

/** Push. */
export const imagePushMethods = {
  'images.push': method({
    args: z.object({ reference: referenceSchema }).strict(),
    result: jobStartedSchema,
    job: true,
    summary: 'Pushes a tag to the registry it names, as a job with per-layer progress.',
  }),
} as const;

/** Commit a container, search Docker Hub. */
export const imageCommitSearchMethods = {
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
} as const;
