/**
 * Building blocks of the contract: references, engine ids, paths and files, and the shape of a method.
 */
import { z } from 'zod';
import { parseReference } from '../reference';

/** An image reference or ID, checked against the distribution/reference grammar. */
export const referenceSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseReference(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
});

/** Methods that take no arguments. */
export const emptyArgsSchema = z.object({}).strict();

/** The engine Strata finds from `--engine`, DOCKER_HOST, the docker context or the default socket. */
export const DEFAULT_ENGINE_ID = 'default';

/** Which engine a call goes to (IPC argument / `X-Strata-Engine` header); absent means the default engine. */
export const engineIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Not an engine id.');

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
  z
    .object({
      kind: z.literal('path'),
      path: absolutePathSchema,
      /** Replace a file already there (the desktop save dialog asked); without it an existing file is refused. */
      overwrite: z.boolean().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('download'), fileName: z.string().regex(/^[^/\\\0]{1,200}$/) }).strict(),
]);
export type FileDestination = z.infer<typeof fileDestinationSchema>;

/** What a job method answers at once; progress and the end come as events. */
export const jobStartedSchema = z.object({ jobId: z.string() });

export interface MethodSpec<A extends z.ZodType, R extends z.ZodType> {
  readonly args: A;
  readonly result: R;
  /** Jobs answer `{ jobId }` at once, stream progress as events, and can be cancelled. */
  readonly job: boolean;
  readonly summary: string;
}

export function method<A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>): MethodSpec<A, R> {
  return spec;
}
