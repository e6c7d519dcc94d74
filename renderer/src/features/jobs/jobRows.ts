/** Pure view model of the Jobs drawer: rows from the tracked jobs, durations, results in words. */
import type { JobInfo, JobKind, JobProgress, JobState } from '../../../../shared/api';
import type { ErrorShape } from '../../../../shared/errors';
import { jobResult, type JobRecord } from './jobResult';
import type { JobsById, TrackedJob } from './jobTracker';

export interface JobRow {
  readonly id: string;
  /** The engine the job runs on; unknown only for a job seen from a progress event before its snapshot. */
  readonly engineId: string | undefined;
  /** Unknown only for a job seen from a progress event before its snapshot arrived. */
  readonly kind: JobKind | undefined;
  readonly title: string;
  readonly state: JobState;
  readonly progress: JobProgress | undefined;
  readonly error: ErrorShape | null;
  readonly result: JobInfo['result'];
  readonly startedAt: string | undefined;
  readonly endedAt: string | null;
}

function fromInfo(job: JobInfo): JobRow {
  return {
    id: job.id,
    engineId: job.engineId,
    kind: job.kind,
    title: job.title,
    state: job.state,
    progress: job.progress,
    error: job.error,
    result: job.result,
    startedAt: job.startedAt,
    endedAt: job.endedAt,
  };
}

/** One row per job, newest first: what jobs.list or the end told about it, with the live state and progress. */
export function jobRows(jobs: JobsById): readonly JobRow[] {
  return Object.values(jobs).map(rowOf).sort(newestFirst);
}

function rowOf(job: TrackedJob): JobRow {
  if (job.end !== undefined) return fromInfo(job.end);
  const info = job.info;
  return {
    id: job.jobId,
    engineId: info?.engineId,
    kind: info?.kind,
    title: info?.title ?? job.title ?? '',
    state: job.state,
    progress: job.progress ?? info?.progress,
    error: info?.error ?? null,
    result: info?.result ?? null,
    startedAt: info?.startedAt,
    endedAt: info?.endedAt ?? null,
  };
}

function newestFirst(a: JobRow, b: JobRow): number {
  // A job without a known start was just seen live: it is the newest.
  if (a.startedAt === undefined) return b.startedAt === undefined ? 0 : -1;
  if (b.startedAt === undefined) return 1;
  const diff = Date.parse(b.startedAt) - Date.parse(a.startedAt);
  return diff !== 0 ? diff : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** "0 s", "12 s", "3 min 4 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) {
    const seconds = total % 60;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Running: started → now; ended: endedAt − startedAt; unknown start: undefined. */
export function jobDuration(row: Pick<JobRow, 'startedAt' | 'endedAt'>, now: number): string | undefined {
  if (row.startedAt === undefined) return undefined;
  const start = Date.parse(row.startedAt);
  const end = row.endedAt === null ? now : Date.parse(row.endedAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  return formatDuration(end - start);
}

/** "1.5 MB" style sizes (decimal units, as Docker shows them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** A download a finished browser-mode save/export offers. */
export interface JobDownload {
  readonly downloadId: string;
  readonly fileName: string;
}

/** What a finished job produced, in words (nothing when the result does not parse), and a download if any. */
export function describeResult(
  job: JobRecord,
): { readonly text: string; readonly download: JobDownload | undefined } | undefined {
  switch (job.kind) {
    case undefined:
      return undefined;
    case 'pull': {
      const r = jobResult(job, 'pull');
      return r === undefined
        ? undefined
        : { text: `Pulled ${r.reference} (${shortId(r.imageId)})`, download: undefined };
    }
    case 'push': {
      const r = jobResult(job, 'push');
      if (r === undefined) return undefined;
      const digest = r.digest === null ? '' : ` · ${r.digest}`;
      return { text: `Pushed ${r.reference}${digest}`, download: undefined };
    }
    case 'build': {
      const r = jobResult(job, 'build');
      if (r === undefined) return undefined;
      const tags = r.tags.length === 0 ? 'no tags' : r.tags.join(', ');
      return { text: `Built ${shortId(r.imageId)} · ${tags}`, download: undefined };
    }
    case 'save':
    case 'export': {
      const r = jobResult(job, job.kind);
      if (r === undefined) return undefined;
      const verb = job.kind === 'save' ? 'Saved' : 'Exported';
      return {
        text: `${verb} ${r.path ?? r.fileName} · ${formatBytes(r.bytes)}`,
        download: r.downloadId === null ? undefined : { downloadId: r.downloadId, fileName: r.fileName },
      };
    }
    case 'load': {
      const r = jobResult(job, 'load');
      if (r === undefined) return undefined;
      return { text: r.loaded.length === 0 ? 'Loaded nothing' : `Loaded ${r.loaded.join(', ')}`, download: undefined };
    }
    case 'import': {
      const r = jobResult(job, 'import');
      return r === undefined
        ? undefined
        : { text: `Imported ${r.reference ?? shortId(r.imageId)}`, download: undefined };
    }
    case 'prune':
    case 'cleanup': {
      const r = jobResult(job, job.kind);
      if (r === undefined) return undefined;
      const match =
        r.differences.length === 0 ? 'as previewed' : `differs from the preview: ${r.differences.join('; ')}`;
      return { text: `Reclaimed ${formatBytes(r.spaceReclaimed)} · ${match}`, download: undefined };
    }
  }
}
