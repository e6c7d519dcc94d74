/**
 * Image build from a context folder.
 */
import { z } from 'zod';
import { absolutePathSchema, jobStartedSchema, method, referenceSchema } from './common';

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

/** `images.build` job result. */
export const buildResultSchema = z.object({ imageId: z.string(), tags: z.array(z.string()) });

export const buildMethods = {
  'images.build': method({
    args: buildArgsSchema,
    result: jobStartedSchema,
    job: true,
    summary: 'Builds an image from a context folder (.dockerignore respected); the log streams step by step.',
  }),
} as const;
