/**
 * Disk usage and cleanup (`docker system df`, `docker system prune`), and volumes.
 */
import { z } from 'zod';
import { emptyArgsSchema, jobStartedSchema, method } from './common';
import { pruneArgsSchema, prunePlanSchema } from './prune';

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

export const diskMethods = {
  'volumes.list': method({
    args: emptyArgsSchema,
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
    args: emptyArgsSchema,
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
    result: jobStartedSchema,
    job: true,
    summary:
      'Prunes stopped containers, unused volumes, images and build cache as a job; the result compares with the plan.',
  }),
} as const;
