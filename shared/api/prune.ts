/**
 * Image prune: its filters, the preview plan and the job result.
 */
import { z } from 'zod';
import { jobStartedSchema, method } from './common';

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

export const pruneMethods = {
  'images.prunePreview': method({
    args: pruneArgsSchema,
    result: prunePlanSchema,
    job: false,
    summary: 'Exactly which images a prune would remove, what keeps every other image, and the bytes really freed.',
  }),
  'images.prune': method({
    args: pruneArgsSchema,
    result: jobStartedSchema,
    job: true,
    summary: 'Prunes images as a job (one prune at a time); the result compares what the engine did with the preview.',
  }),
} as const;
