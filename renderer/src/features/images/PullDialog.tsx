import { useEffect } from 'react';
import { pullableReference } from '../../../../shared/reference';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { ProgressBar } from '../../ui/ProgressBar';
import { useUi, type DialogState } from '../../app/uiStore';
import { describeJobState } from '../jobs/describeJobState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobOutcome } from '../../ui/JobOutcome';
import { JobFooter } from '../jobs/JobFooter';
import { LayerProgressList } from '../jobs/LayerProgressList';
import { jobResult } from '../jobs/jobResult';
import { useJobRun } from '../jobs/useJobRun';
import { expectedRepoTag } from './viewModel';

/** Pull an image: reference checked on every keystroke, per-layer and overall progress, cancel. */
export function PullDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'pull' }> }) {
  void dialog;
  const strata = useStrata();
  const reference = useUi((s) => s.pullReference);
  const pullJobId = useUi((s) => s.pullJobId);
  const { setPullReference, setPullJob, closeDialog, setHighlight } = useUi.getState();
  const run = useJobRun({ jobId: pullJobId, setJobId: setPullJob });
  const { jobId, job, running, starting, startError, cancelError, overall } = run;

  const parsed = pullableReference(reference);
  const invalidReason = reference === '' ? undefined : parsed.ok ? undefined : parsed.reason;
  const canStart = parsed.ok && !running && !starting;

  // When the pull ends well, point the Images table at the new row.
  const doneJob = job?.state === 'done' ? job : undefined;
  useEffect(() => {
    if (doneJob === undefined) return;
    const target = expectedRepoTag(doneJob.title ?? '') ?? jobResult(doneJob, 'pull')?.imageId;
    if (target !== undefined) setHighlight(target);
  }, [doneJob, setHighlight]);

  const start = async (): Promise<void> => {
    if (!parsed.ok) return;
    await run.start(async () => unwrap(await strata.images.pull({ reference })).jobId);
  };

  const close = (): void => {
    // A finished job is forgotten; a running one keeps going and is shown again on reopening.
    if (!running) setPullJob(undefined);
    closeDialog();
  };

  const progress = job?.progress;

  return (
    <Dialog
      label="Pull image"
      title="Pull image"
      onClose={close}
      footer={
        <JobFooter run={run} cancelLabel="Cancel pull" onClose={close}>
          <button
            type="submit"
            form="pull-form"
            className="button button-primary"
            disabled={!canStart}
            aria-describedby={invalidReason === undefined ? undefined : 'pull-reference-error'}
          >
            {starting ? 'Starting…' : 'Start pull'}
          </button>
        </JobFooter>
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

      {startError === undefined ? null : <ErrorNotice>Could not start the pull: {startError}</ErrorNotice>}

      {jobId === undefined ? null : (
        <section className="pull-progress" aria-label="Pull progress">
          <div className="pull-progress-head">
            <strong>{job?.title ?? reference}</strong>
            <span className="muted">{describeJobState(job?.state, 'Pulling…')}</span>
          </div>
          {job?.state === 'running' || job === undefined ? (
            <ProgressBar label="Overall progress" percent={overall} />
          ) : null}
          {progress?.message === undefined || progress.message === '' ? null : (
            <p className="muted pull-message">{progress.message}</p>
          )}
          <JobOutcome
            state={job?.state}
            error={job?.end?.error}
            verb="pull"
            done={`Pulled ${job?.title ?? reference}. It is now in the Images list.`}
            errorDetail
          />
          {cancelError === undefined ? null : <ErrorNotice>Could not cancel: {cancelError}</ErrorNotice>}
          <LayerProgressList layers={progress?.layers ?? []} />
        </section>
      )}
    </Dialog>
  );
}
