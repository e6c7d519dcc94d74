import { useState } from 'react';
import { useRawStrata } from '../../api/engineScope';
import { useEngines } from '../../app/queries';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { ProgressBar } from '../../ui/ProgressBar';
import { useNow } from '../../app/useNow';
import { useUi } from '../../app/uiStore';
import { describeJobState } from './describeJobState';
import { describeResult, jobDuration, type JobRow } from './jobRows';
import { useJobs } from './useJobs';
import './jobs.css';

const KIND_LABEL: Readonly<Record<NonNullable<JobRow['kind']>, string>> = {
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

/** The header button: "Jobs · 2 running", toggling the drawer. */
export function JobsButton() {
  const jobs = useJobs();
  const open = useUi((s) => s.jobsOpen);
  const setOpen = useUi((s) => s.setJobsOpen);
  const running = jobs.filter((job) => job.state === 'running').length;
  return (
    <button
      type="button"
      className={['button', 'jobs-button', running > 0 ? 'jobs-button-busy' : ''].join(' ')}
      aria-expanded={open}
      aria-controls="jobs-drawer"
      onClick={() => setOpen(!open)}
    >
      {running > 0 ? `Jobs · ${running} running` : 'Jobs'}
    </button>
  );
}

/** Every job of the session, newest first, with live progress, cancel, duration and result or error. */
export function JobsDrawer() {
  const jobs = useJobs({ describe: true });
  const setOpen = useUi((s) => s.setJobsOpen);
  const now = useNow(1000);
  const engines = useEngines().data;
  // With more than one engine, each job says which engine it runs on.
  const engineNames =
    engines !== undefined && engines.length > 1 ? new Map(engines.map((e) => [e.id, e.name])) : undefined;
  return (
    <aside id="jobs-drawer" className="jobs-drawer" role="complementary" aria-label="Jobs">
      <div className="jobs-drawer-head">
        <h2>Jobs</h2>
        <span className="spacer" />
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
      {jobs.length === 0 ? (
        <p className="jobs-empty">
          No jobs yet this session. Pulls, pushes, builds, saves, loads and prunes show up here.
        </p>
      ) : (
        <ul className="jobs-list">
          {jobs.map((job) => (
            <JobItem
              key={job.id}
              job={job}
              now={now}
              engineName={
                engineNames === undefined || job.engineId === undefined
                  ? undefined
                  : (engineNames.get(job.engineId) ?? job.engineId)
              }
            />
          ))}
        </ul>
      )}
    </aside>
  );
}

function JobItem({
  job,
  now,
  engineName,
}: {
  readonly job: JobRow;
  readonly now: number;
  readonly engineName: string | undefined;
}) {
  const strata = useRawStrata();
  const [cancelling, setCancelling] = useState(false);
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  const running = job.state === 'running';
  const duration = jobDuration(job, now);
  const result = describeResult(job);
  const fraction = job.progress?.fraction;
  const percent = fraction === null || fraction === undefined ? undefined : Math.round(fraction * 100);
  const kind = job.kind === undefined ? 'Job' : KIND_LABEL[job.kind];
  const label = `${kind} ${job.title}`;

  const cancel = async () => {
    setCancelling(true);
    setActionError(undefined);
    try {
      const outcome = await strata.jobs.cancel({ jobId: job.id }, { engine: job.engineId });
      if (!outcome.ok) setActionError(outcome.error.message);
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    } finally {
      setCancelling(false);
    }
  };

  const download = async (downloadId: string, fileName: string) => {
    setActionError(undefined);
    try {
      await strata.files.download(downloadId, fileName);
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <li className={`job job-${job.state}`} aria-label={label}>
      <div className="job-head">
        <span className="job-kind">{kind}</span>
        <span className="job-title" title={job.title}>
          {job.title}
        </span>
      </div>
      <div className="job-meta">
        <span className="job-state">{describeJobState(job.state, 'Running')}</span>
        {engineName === undefined ? null : <span className="job-engine">on {engineName}</span>}
        {duration === undefined ? null : <span className="job-duration">{duration}</span>}
      </div>
      {running ? (
        <>
          <ProgressBar label={`Progress of ${label}`} percent={percent} />
          {job.progress !== undefined && job.progress.message !== '' ? (
            <p className="job-message">{job.progress.message}</p>
          ) : null}
          <div className="job-actions">
            <button
              type="button"
              className="button button-danger"
              disabled={cancelling}
              onClick={() => void cancel()}
              aria-label={`Cancel ${label}`}
            >
              Cancel
            </button>
          </div>
        </>
      ) : null}
      {result === undefined ? null : (
        <div className="job-result">
          <span>{result.text}</span>
          {result.download === undefined ? null : (
            <button
              type="button"
              className="button"
              onClick={() => {
                const d = result.download;
                if (d !== undefined) void download(d.downloadId, d.fileName);
              }}
            >
              Download
            </button>
          )}
        </div>
      )}
      {job.state === 'failed' && job.error !== null ? <ErrorNotice>{job.error.message}</ErrorNotice> : null}
      {actionError === undefined ? null : <ErrorNotice>{actionError}</ErrorNotice>}
    </li>
  );
}
