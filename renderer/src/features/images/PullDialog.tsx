import { useEffect, useState } from 'react';
import { parseReference } from '../../../../shared/reference';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../app/Dialog';
import { ProgressBar } from '../../app/ProgressBar';
import { useUi } from '../../app/uiStore';
import { LayerProgressList } from '../jobs/LayerProgressList';
import { useJobTracker } from '../jobs/useJobTracker';
import { expectedRepoTag } from './viewModel';

/** Pull an image: reference checked on every keystroke, per-layer and overall progress, cancel. */
export function PullDialog() {
  const strata = useStrata();
  const reference = useUi((s) => s.pullReference);
  const jobId = useUi((s) => s.pullJobId);
  const { setPullReference, setPullJob, closePull, setHighlight } = useUi.getState();
  const job = useJobTracker(jobId);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | undefined>(undefined);
  const [cancelError, setCancelError] = useState<string | undefined>(undefined);

  const parsed = parseReference(reference);
  const invalidReason = reference === '' ? undefined : parsed.ok ? undefined : parsed.reason;
  const running = jobId !== undefined && (job === undefined || job.state === 'running');
  const canStart = parsed.ok && !running && !starting;

  // When the pull ends well, point the Images table at the new row.
  const doneJob = job?.state === 'done' ? job : undefined;
  useEffect(() => {
    if (doneJob === undefined) return;
    const imageId = doneJob.end?.result?.['imageId'];
    const target = expectedRepoTag(doneJob.title ?? '') ?? (typeof imageId === 'string' ? imageId : undefined);
    if (target !== undefined) setHighlight(target);
  }, [doneJob, setHighlight]);

  const start = async (): Promise<void> => {
    if (!parsed.ok) return;
    setStarting(true);
    setStartError(undefined);
    setCancelError(undefined);
    try {
      const { jobId: started } = unwrap(await strata.images.pull({ reference }));
      setPullJob(started);
    } catch (error) {
      setStartError(error instanceof Error ? error.message : String(error));
    } finally {
      setStarting(false);
    }
  };

  const cancel = async (): Promise<void> => {
    if (jobId === undefined) return;
    try {
      unwrap(await strata.jobs.cancel({ jobId }));
    } catch (error) {
      setCancelError(error instanceof Error ? error.message : String(error));
    }
  };

  const close = (): void => {
    // A finished job is forgotten; a running one keeps going and is shown again on reopening.
    if (!running) setPullJob(undefined);
    closePull();
  };

  const progress = job?.progress;
  const overall =
    progress?.fraction === null || progress?.fraction === undefined ? undefined : Math.round(progress.fraction * 100);

  return (
    <Dialog
      label="Pull image"
      title="Pull image"
      onClose={close}
      footer={
        <>
          {running ? (
            <button type="button" className="button button-danger" onClick={() => void cancel()}>
              Cancel pull
            </button>
          ) : null}
          <span className="spacer" />
          <button type="button" className="button" onClick={close}>
            Close
          </button>
          <button
            type="submit"
            form="pull-form"
            className="button button-primary"
            disabled={!canStart}
            aria-describedby={invalidReason === undefined ? undefined : 'pull-reference-error'}
          >
            {starting ? 'Starting…' : 'Start pull'}
          </button>
        </>
      }
    >
      <form
        id="pull-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (canStart) void start();
        }}
      >
        <label className="field-label" htmlFor="pull-reference">
          Image reference
        </label>
        <input
          id="pull-reference"
          className={`input input-wide${invalidReason === undefined ? '' : ' is-invalid'}`}
          value={reference}
          onChange={(event) => setPullReference(event.target.value)}
          placeholder="alpine:3.19 or 127.0.0.1:5000/team/app:v1"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalidReason !== undefined}
          aria-describedby={invalidReason === undefined ? 'pull-reference-hint' : 'pull-reference-error'}
        />
        {invalidReason === undefined ? (
          <p id="pull-reference-hint" className="field-hint">
            name[:tag] or name@digest; the tag defaults to latest.
          </p>
        ) : (
          <p id="pull-reference-error" className="field-error">
            {invalidReason}
          </p>
        )}
      </form>

      {startError === undefined ? null : (
        <p className="notice notice-error" role="alert">
          Could not start the pull: {startError}
        </p>
      )}

      {jobId === undefined ? null : (
        <section className="pull-progress" aria-label="Pull progress">
          <div className="pull-progress-head">
            <strong>{job?.title ?? reference}</strong>
            <span className="muted">{describeJobState(job)}</span>
          </div>
          {job?.state === 'running' || job === undefined ? (
            <ProgressBar label="Overall progress" percent={overall} />
          ) : null}
          {progress?.message === undefined || progress.message === '' ? null : (
            <p className="muted pull-message">{progress.message}</p>
          )}
          {job?.state === 'done' ? (
            <p className="notice notice-ok" role="status">
              Pulled {job.title ?? reference}. It is now in the Images list.
            </p>
          ) : null}
          {job?.state === 'failed' ? (
            <p className="notice notice-error" role="alert">
              The pull failed: {job.end?.error?.message ?? 'no reason given'}
              {job.end?.error?.detail === undefined ? null : <span className="muted"> ({job.end.error.detail})</span>}
            </p>
          ) : null}
          {job?.state === 'cancelled' ? (
            <p className="notice" role="status">
              The pull was cancelled.
            </p>
          ) : null}
          {cancelError === undefined ? null : (
            <p className="notice notice-error" role="alert">
              Could not cancel: {cancelError}
            </p>
          )}
          <LayerProgressList layers={progress?.layers ?? []} />
        </section>
      )}
    </Dialog>
  );
}

function describeJobState(job: { readonly state: string } | undefined): string {
  switch (job?.state) {
    case undefined:
    case 'running':
      return 'Pulling…';
    case 'done':
      return 'Done';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
    default:
      return '';
  }
}
