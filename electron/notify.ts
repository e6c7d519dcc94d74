/**
 * Desktop notifications for long jobs: when a job that ran a while ends while the window is not
 * focused, the user is told (issue 6). The decision is a pure function, unit-tested without Electron.
 */
import type { JobInfo } from '../shared/api';

/** Jobs shorter than this end without a notification: the user is likely still looking. */
export const NOTIFY_AFTER_MS = 10_000;

const VERBS: Readonly<Record<JobInfo['kind'], string>> = {
  pull: 'Pull',
  push: 'Push',
  build: 'Build',
  save: 'Save',
  load: 'Load',
  import: 'Import',
  export: 'Export',
  prune: 'Prune',
  cleanup: 'Cleanup',
};

/** What to show when a job ends, or undefined when nothing should be shown. */
export function jobEndNotice(
  job: JobInfo,
  windowFocused: boolean,
): { readonly title: string; readonly body: string } | undefined {
  if (windowFocused || job.state === 'running' || job.state === 'cancelled' || job.endedAt === null) return undefined;
  const tookMs = Date.parse(job.endedAt) - Date.parse(job.startedAt);
  if (!(tookMs >= NOTIFY_AFTER_MS)) return undefined;
  const verb = VERBS[job.kind];
  return job.state === 'done'
    ? { title: `${verb} finished`, body: job.title }
    : { title: `${verb} failed`, body: `${job.title}: ${job.error?.message ?? 'no reason given'}` };
}
