/** Push a tag to the registry it names, as a job: target, per-layer progress, cancel, the digest it got. */
import { useState } from 'react';
import { jobResultSchemas } from '../../../../shared/api';
import { parseReference } from '../../../../shared/reference';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../app/Dialog';
import { ProgressBar } from '../../app/ProgressBar';
import { useUi, type DialogState } from '../../app/uiStore';
import { LayerProgressList } from '../jobs/LayerProgressList';
import { useJobTracker } from '../jobs/useJobTracker';
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
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | undefined>(undefined);
  const [cancelError, setCancelError] = useState<string | undefined>(undefined);
  const job = useJobTracker(jobId);

  const target = pushTargetOf(dialog.reference);
  const running = jobId !== undefined && (job === undefined || job.state === 'running');
  const canStart = target !== undefined && !running && !starting && job?.state !== 'done';

  const start = async (): Promise<void> => {
    setStarting(true);
    setStartError(undefined);
    setCancelError(undefined);
    try {
      const { jobId: started } = unwrap(await strata.images.push({ reference: dialog.reference }));
      setJobId(started);
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

  const progress = job?.progress;
  const overall =
    progress?.fraction === null || progress?.fraction === undefined ? undefined : Math.round(progress.fraction * 100);
  const result = job?.state === 'done' ? jobResultSchemas.push.safeParse(job.end?.result) : undefined;
  const digest = result?.success === true ? result.data.digest : null;

  return (
    <Dialog
      label="Push image"
      title="Push image"
      onClose={closeDialog}
      footer={
        <>
          {running ? (
            <button type="button" className="button button-danger" onClick={() => void cancel()}>
              Cancel push
            </button>
          ) : null}
          <span className="spacer" />
          <button type="button" className="button" onClick={closeDialog}>
            Close
          </button>
          <button type="button" className="button button-primary" disabled={!canStart} onClick={() => void start()}>
            {starting ? 'Starting…' : job?.state === 'failed' || job?.state === 'cancelled' ? 'Push again' : 'Push'}
          </button>
        </>
      }
    >
      {target === undefined ? (
        <p className="notice notice-error" role="alert">
          {dialog.reference} cannot be pushed: only a tag (registry/repository:tag) can. Tag the image first.
        </p>
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

      {startError === undefined ? null : (
        <p className="notice notice-error" role="alert">
          Could not start the push: {startError}
        </p>
      )}

      {jobId === undefined ? null : (
        <section className="pull-progress" aria-label="Push progress">
          <div className="pull-progress-head">
            <strong>{job?.title ?? dialog.reference}</strong>
            <span className="muted">{describeState(job?.state)}</span>
          </div>
          {job === undefined || job.state === 'running' ? (
            <ProgressBar label="Overall progress" percent={overall} />
          ) : null}
          {progress?.message === undefined || progress.message === '' ? null : (
            <p className="muted pull-message">{progress.message}</p>
          )}
          {job?.state === 'done' ? (
            <p className="notice notice-ok" role="status">
              Pushed {job.title ?? dialog.reference}.
              {digest === null ? null : (
                <>
                  {' '}
                  Digest: <span className="cell-mono push-digest">{digest}</span>
                </>
              )}
            </p>
          ) : null}
          {job?.state === 'failed' ? (
            <p className="notice notice-error" role="alert">
              The push failed: {job.end?.error?.message ?? 'no reason given'}
            </p>
          ) : null}
          {job?.state === 'cancelled' ? (
            <p className="notice" role="status">
              The push was cancelled.
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

function describeState(state: string | undefined): string {
  switch (state) {
    case undefined:
    case 'running':
      return 'Pushing…';
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
