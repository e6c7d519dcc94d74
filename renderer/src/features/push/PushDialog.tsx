/** Push a tag to the registry it names, as a job: target, per-layer progress, cancel, the digest it got. */
import { parseReference } from '../../../../shared/reference';
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
import './push.css';

export interface PushTarget {
  /** `127.0.0.1:5000`, or Docker Hub when the reference names no registry. */
  readonly registry: string;
  readonly hub: boolean;
  readonly repository: string;
  readonly tag: string;
}

/** Where a reference goes when pushed; undefined when it cannot be pushed (an ID, a digest, invalid). */
export function pushTargetOf(reference: string): PushTarget | undefined {
  const parsed = parseReference(reference);
  if (!parsed.ok || parsed.value.digest !== undefined || /^sha256:/.test(reference)) return undefined;
  const { domain, path, tag } = parsed.value;
  const hub = domain === undefined || domain === 'docker.io';
  return { registry: hub ? 'Docker Hub (docker.io)' : domain, hub, repository: path, tag: tag ?? 'latest' };
}

export function PushDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'push' }> }) {
  const strata = useStrata();
  const closeDialog = useUi((s) => s.closeDialog);
  const run = useJobRun();
  const { jobId, job, running, starting, startError, cancelError, overall } = run;

  const target = pushTargetOf(dialog.reference);
  const canStart = target !== undefined && !running && !starting && job?.state !== 'done';

  const start = (): Promise<void> =>
    run.start(async () => unwrap(await strata.images.push({ reference: dialog.reference })).jobId);

  const progress = job?.progress;
  const digest = jobResult(job, 'push')?.digest ?? null;

  return (
    <Dialog
      label="Push image"
      title="Push image"
      onClose={closeDialog}
      footer={
        <JobFooter run={run} cancelLabel="Cancel push" onClose={closeDialog}>
          <button type="button" className="button button-primary" disabled={!canStart} onClick={() => void start()}>
            {starting ? 'Starting…' : job?.state === 'failed' || job?.state === 'cancelled' ? 'Push again' : 'Push'}
          </button>
        </JobFooter>
      }
    >
      {target === undefined ? (
        <ErrorNotice>
          {dialog.reference} cannot be pushed: only a tag (registry/repository:tag) can. Tag the image first.
        </ErrorNotice>
      ) : (
        <dl className="push-target" aria-label="Push target">
          <dt>Registry</dt>
          <dd>{target.registry}</dd>
          <dt>Repository</dt>
          <dd className="cell-mono">{target.repository}</dd>
          <dt>Tag</dt>
          <dd className="cell-mono">{target.tag}</dd>
        </dl>
      )}
      {target?.hub === true && jobId === undefined ? (
        <p className="field-hint">Pushing to Docker Hub needs an internet connection and a login to docker.io.</p>
      ) : null}

      {startError === undefined ? null : <ErrorNotice>Could not start the push: {startError}</ErrorNotice>}

      {jobId === undefined ? null : (
        <section className="pull-progress" aria-label="Push progress">
          <div className="pull-progress-head">
            <strong>{job?.title ?? dialog.reference}</strong>
            <span className="muted">{describeJobState(job?.state, 'Pushing…')}</span>
          </div>
          {job === undefined || job.state === 'running' ? (
            <ProgressBar label="Overall progress" percent={overall} />
          ) : null}
          {progress?.message === undefined || progress.message === '' ? null : (
            <p className="muted pull-message">{progress.message}</p>
          )}
          <JobOutcome
            state={job?.state}
            error={job?.end?.error}
            verb="push"
            done={
              <>
                Pushed {job?.title ?? dialog.reference}.
                {digest === null ? null : (
                  <>
                    {' '}
                    Digest: <span className="cell-mono push-digest">{digest}</span>
                  </>
                )}
              </>
            }
          />
          {cancelError === undefined ? null : <ErrorNotice>Could not cancel: {cancelError}</ErrorNotice>}
          <LayerProgressList layers={progress?.layers ?? []} />
        </section>
      )}
    </Dialog>
  );
}
