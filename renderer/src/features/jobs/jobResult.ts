/** The one way the renderer reads what a job produced: typed by the job's kind and parsed with that kind's schema. */
import type { z } from 'zod';
import { jobResultSchemas, type JobInfo, type JobKind, type JobResults, type JobState } from '../../../../shared/api';
import type { TrackedJob } from './jobTracker';

/** The schemas seen through the result map, so indexing one by a kind type parameter keeps the kind's type. */
const schemas: { readonly [K in JobKind]: z.ZodType<JobResults[K]> } = jobResultSchemas;

/** A job's record as jobs.list or its end tells it (also a Jobs drawer row, whose kind may not be known yet). */
export interface JobRecord {
  readonly kind: JobKind | undefined;
  readonly state: JobState;
  readonly result: JobInfo['result'];
}

/**
 * The result of a job that is done and of `kind`, or undefined: still running, failed or cancelled, of another kind,
 * or a result of another shape (it is parsed, never trusted). A tracked job is read from its end record.
 */
export function jobResult<K extends JobKind>(
  job: JobRecord | TrackedJob | undefined,
  kind: K,
): JobResults[K] | undefined {
  const record = job !== undefined && 'end' in job ? job.end : job;
  if (record === undefined || record.state !== 'done' || record.kind !== kind || record.result === null) {
    return undefined;
  }
  const parsed = schemas[kind].safeParse(record.result);
  return parsed.success ? parsed.data : undefined;
}
