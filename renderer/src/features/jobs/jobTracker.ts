/** Follows jobs from pushed events and `jobs.list` snapshots; pure so it is tested without a UI. */
import type { JobInfo, JobProgress, JobState, StrataEvent } from '../../../../shared/api';

export interface TrackedJob {
  readonly jobId: string;
  readonly state: JobState;
  readonly progress: JobProgress | undefined;
  /** The final record once the job ended (result or error). */
  readonly end: JobInfo | undefined;
  /** The job's title (the reference pulled), when known. */
  readonly title: string | undefined;
  /**
   * The job's record as jobs.list or its end told it (kind, engine, start); undefined for a job seen only from
   * progress events so far.
   */
  readonly info: JobInfo | undefined;
}

export type JobsById = Readonly<Record<string, TrackedJob>>;

export type TrackerAction =
  | { readonly type: 'event'; readonly event: StrataEvent }
  | { readonly type: 'snapshot'; readonly jobs: readonly JobInfo[] };

function fromInfo(job: JobInfo): TrackedJob {
  return {
    jobId: job.id,
    state: job.state,
    progress: job.progress,
    end: job.state === 'running' ? undefined : job,
    title: job.title,
    info: job,
  };
}

export function trackJobs(state: JobsById, action: TrackerAction): JobsById {
  if (action.type === 'snapshot') {
    let next: Record<string, TrackedJob> | undefined;
    for (const job of action.jobs) {
      const known = state[job.id];
      // An end seen live stays.
      if (known?.end !== undefined) continue;
      if (known?.progress !== undefined && job.state === 'running') {
        // Live progress is at least as new as a snapshot fetched meanwhile: only learn what the job is.
        if (known.info !== undefined) continue;
        next ??= { ...state };
        next[job.id] = { ...known, title: job.title, info: job };
        continue;
      }
      next ??= { ...state };
      next[job.id] = fromInfo(job);
    }
    return next ?? state;
  }
  const event = action.event;
  switch (event.type) {
    case 'job.progress': {
      const known = state[event.jobId];
      if (known?.end !== undefined) return state;
      return {
        ...state,
        [event.jobId]: {
          jobId: event.jobId,
          state: 'running',
          progress: event.progress,
          end: undefined,
          title: known?.title,
          info: known?.info,
        },
      };
    }
    case 'job.end':
      return { ...state, [event.job.id]: fromInfo(event.job) };
    case 'engine.status':
    case 'engine.events':
    case 'watch.logs':
    case 'watch.stats':
    case 'watch.end':
      return state;
  }
}

/** The jobs known only from progress events: what they are (kind, title, engine, start) is not known yet. */
export function undescribedJobIds(state: JobsById): readonly string[] {
  return Object.values(state)
    .filter((job) => job.info === undefined)
    .map((job) => job.jobId);
}

export function layerPercent(layer: { current: number; total: number; done: boolean }): number | undefined {
  if (layer.done) return 100;
  if (layer.total > 0) return Math.min(100, Math.max(0, Math.round((layer.current / layer.total) * 100)));
  return undefined;
}
