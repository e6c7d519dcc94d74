/**
 * Events: the engine's own (its /events stream, as Strata keeps them), and the ones pushed to the renderer (IPC
 * `webContents.send`, or /api/events in browser mode).
 */
import { z } from 'zod';
import { errorShape } from '../errors';
import { method } from './common';
import { logLineSchema, statsSampleSchema } from './containers';
import { engineStatusSchema } from './engine';
import { jobInfoSchema, jobProgressSchema } from './jobs';

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

export const eventMethods = {
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
} as const;

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
