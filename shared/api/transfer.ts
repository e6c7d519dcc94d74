/**
 * Images to and from files: save, load, import (export is a container method), and their results.
 */
import { z } from 'zod';
import { fileDestinationSchema, fileSourceSchema, jobStartedSchema, method, referenceSchema } from './common';

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

export const transferMethods = {
  'images.save': method({
    args: z
      .object({
        references: z.array(referenceSchema).min(1).max(200),
        compress: z.boolean().default(false),
        destination: fileDestinationSchema,
      })
      .strict(),
    result: jobStartedSchema,
    job: true,
    summary: 'Saves images to a .tar (or .tar.gz), checked before it is put in place; a download in browser mode.',
  }),
  'images.load': method({
    args: z.object({ source: fileSourceSchema }).strict(),
    result: jobStartedSchema,
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
    result: jobStartedSchema,
    job: true,
    summary: 'Imports a root filesystem tarball as a new one-layer image, with optional Dockerfile changes.',
  }),
} as const;
