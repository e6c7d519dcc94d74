/**
 * Jobs: long operations (pulls) that answer an id at once, stream progress, end with a result or
 * an error, and can be cancelled. Finished jobs stay listed for the session.
 */
import type { JobInfo, JobKind, JobProgress, StrataEvent } from '../../../shared/api';
import { StrataError, toErrorShape } from '../../../shared/errors';
import { cancelledError } from '../core/errors';
import { settle, type HandlerSlice } from './context';
import type { Logger } from './logger';

export interface JobContext {
  readonly signal: AbortSignal;
  /** Reports progress; events are throttled per job. */
  readonly progress: (progress: JobProgress) => void;
}

export type JobRunner = (context: JobContext) => Promise<Record<string, unknown>>;

export interface JobManagerOptions {
  readonly engineId: string;
  readonly emit: (event: StrataEvent) => void;
  /** Minimum time between two progress events of one job. Default 100 ms (<= 10 events/s). */
  readonly progressIntervalMs?: number;
  readonly now?: () => Date;
  /** Failed and cancelled jobs are logged here. */
  readonly log?: Logger;
}

interface JobRecord {
  info: JobInfo;
  readonly controller: AbortController;
  readonly settled: Promise<void>;
  lastEmit: number;
  pending: JobProgress | undefined;
  timer: NodeJS.Timeout | undefined;
}

let counter = 0;

export class JobManager {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly options: JobManagerOptions;
  private readonly interval: number;

  constructor(options: JobManagerOptions) {
    this.options = options;
    this.interval = options.progressIntervalMs ?? 100;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Starts a job and answers its id at once. */
  start(kind: JobKind, title: string, run: JobRunner): string {
    counter += 1;
    // Unique across the engines of a hub: jobs.list and jobs.cancel see every engine's jobs.
    const id = `job-${this.options.engineId}-${Date.now().toString(36)}-${counter}`;
    const controller = new AbortController();
    const info: JobInfo = {
      id,
      kind,
      engineId: this.options.engineId,
      title,
      state: 'running',
      progress: { fraction: null, message: `Starting: ${title}`, layers: [] },
      error: null,
      result: null,
      startedAt: this.now().toISOString(),
      endedAt: null,
    };
    let resolveSettled: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => {
      resolveSettled = resolve;
    });
    const record: JobRecord = { info, controller, settled, lastEmit: 0, pending: undefined, timer: undefined };
    this.jobs.set(id, record);

    const context: JobContext = {
      signal: controller.signal,
      progress: (progress) => this.progress(record, progress),
    };
    // Run on the next tick so the caller has the id before any event about it.
    setImmediate(() => {
      run(context).then(
        (result) => {
          // A job that completed despite a late cancel did its work: it is done.
          this.finish(record, 'done', result, undefined);
          resolveSettled();
        },
        (error: unknown) => {
          this.finish(record, controller.signal.aborted ? 'cancelled' : 'failed', undefined, error);
          resolveSettled();
        },
      );
    });
    return id;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((record) => record.info);
  }

  get(id: string): JobInfo | undefined {
    return this.jobs.get(id)?.info;
  }

  /** Cancels a running job; false when it had already ended. Throws not_found for an unknown id. */
  cancel(id: string): boolean {
    const record = this.jobs.get(id);
    if (record === undefined) throw new StrataError('not_found', `There is no job "${id}" in this session.`);
    if (record.info.state !== 'running' || record.controller.signal.aborted) return false;
    record.controller.abort(cancelledError(record.info.title));
    return true;
  }

  /** Resolves when the job has ended (for tests and shutdown). */
  async settled(id: string): Promise<JobInfo> {
    const record = this.jobs.get(id);
    if (record === undefined) throw new StrataError('not_found', `There is no job "${id}" in this session.`);
    await record.settled;
    return record.info;
  }

  /** Cancels every running job and waits for them to end. */
  async close(): Promise<void> {
    const running = [...this.jobs.values()].filter((record) => record.info.state === 'running');
    for (const record of running) {
      if (!record.controller.signal.aborted) record.controller.abort(cancelledError(record.info.title));
    }
    await Promise.all(running.map((record) => record.settled));
  }

  private progress(record: JobRecord, progress: JobProgress): void {
    if (record.info.state !== 'running') return;
    record.info = { ...record.info, progress };
    const now = Date.now();
    const wait = record.lastEmit + this.interval - now;
    if (wait <= 0 && record.timer === undefined) {
      record.lastEmit = now;
      this.options.emit({ type: 'job.progress', jobId: record.info.id, progress });
      return;
    }
    record.pending = progress;
    if (record.timer === undefined) {
      record.timer = setTimeout(() => this.flush(record), Math.max(wait, 0));
    }
  }

  private flush(record: JobRecord): void {
    if (record.timer !== undefined) clearTimeout(record.timer);
    record.timer = undefined;
    const pending = record.pending;
    record.pending = undefined;
    if (pending === undefined) return;
    record.lastEmit = Date.now();
    this.options.emit({ type: 'job.progress', jobId: record.info.id, progress: pending });
  }

  private finish(
    record: JobRecord,
    state: 'done' | 'failed' | 'cancelled',
    result: Record<string, unknown> | undefined,
    error: unknown,
  ): void {
    if (record.info.state !== 'running') return;
    // The last progress goes out before the end.
    this.flush(record);
    const errorShape =
      state === 'done'
        ? null
        : state === 'cancelled'
          ? // A runner may say what it had done before the cancel ("already done: containers").
            error instanceof StrataError && error.code === 'cancelled'
            ? error.toShape()
            : cancelledError(record.info.title).toShape()
          : toErrorShape(error);
    const progress =
      state === 'done'
        ? { ...record.info.progress, fraction: 1 }
        : { ...record.info.progress, message: errorShape?.message ?? record.info.progress.message };
    record.info = {
      ...record.info,
      state,
      progress,
      error: errorShape,
      result: state === 'done' ? (result ?? {}) : null,
      endedAt: this.now().toISOString(),
    };
    this.options.emit({ type: 'job.end', job: record.info });
    if (state !== 'done') {
      const { id, kind, title, startedAt, endedAt } = record.info;
      const durationMs = Date.parse(endedAt ?? '') - Date.parse(startedAt);
      const fields = { jobId: id, kind, title, code: errorShape?.code, message: errorShape?.message, durationMs };
      if (state === 'failed') this.options.log?.warn('job failed', fields);
      else this.options.log?.info('job cancelled', fields);
    }
  }
}

/**
 * jobs.list and jobs.cancel of one engine's jobs. The engine hub answers them for every engine by asking each
 * engine's in turn.
 */
export function jobHandlers(jobs: JobManager): HandlerSlice<'jobs.list' | 'jobs.cancel'> {
  return {
    'jobs.list': settle(() => jobs.list()),

    'jobs.cancel': settle((args: { readonly jobId: string }) => {
      if (typeof args.jobId !== 'string' || args.jobId === '') {
        throw new StrataError('invalid_argument', 'jobs.cancel needs the id of a job.');
      }
      return { cancelled: jobs.cancel(args.jobId) };
    }),
  };
}
