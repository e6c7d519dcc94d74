/** What the four transfer dialogs share: following one job (bytes, cancel, a readable end) and picking a file. */
import { useState, type ReactNode } from 'react';
import type { JobKind } from '../../../../shared/api';
import { useStrata } from '../../api/StrataContext';
import { ProgressBar } from '../../ui/ProgressBar';
import { formatBytes } from '../../lib/format';
import { describeJobState } from '../jobs/describeJobState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobOutcome } from '../../ui/JobOutcome';
import type { JobRun } from '../jobs/useJobRun';
import './transfer.css';

export const TAR_FILTERS = [
  { name: 'Image archives', extensions: ['tar', 'gz', 'tgz'] },
  { name: 'All files', extensions: ['*'] },
] as const;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const VERBS: Readonly<Record<JobKind, string>> = {
  save: 'save',
  load: 'load',
  import: 'import',
  export: 'export',
  pull: 'pull',
  push: 'push',
  build: 'build',
  prune: 'prune',
  cleanup: 'cleanup',
};

/** The progress of one transfer job: bar, bytes, message, and how it ended. */
export function TransferJobPanel({
  state,
  kind,
  done,
}: {
  readonly state: JobRun;
  readonly kind: JobKind;
  /** What to say when the job is done (from its result: see `jobResult`). */
  readonly done: ReactNode;
}) {
  const { job, jobId, overall: percent } = state;
  if (jobId === undefined) return null;
  const progress = job?.progress;
  const bytes = progress?.bytes;
  const verb = VERBS[kind];
  return (
    <section className="transfer-progress" aria-label={`${verb[0]?.toUpperCase() ?? ''}${verb.slice(1)} progress`}>
      <div className="transfer-progress-head">
        <strong>{job?.title ?? ''}</strong>
        <span className="muted">{describeJobState(job?.state, 'Working…')}</span>
      </div>
      {job === undefined || job.state === 'running' ? <ProgressBar label="Progress" percent={percent} /> : null}
      {bytes === undefined ? null : (
        <p className="muted transfer-bytes">
          {bytes.total === null
            ? formatBytes(bytes.current)
            : `${formatBytes(bytes.current)} of ${kind === 'save' ? 'about ' : ''}${formatBytes(bytes.total)}`}
        </p>
      )}
      {progress?.message === undefined || progress.message === '' || job?.state !== 'running' ? null : (
        <p className="muted transfer-message">{progress.message}</p>
      )}
      <JobOutcome
        state={job?.state}
        error={job?.end?.error}
        verb={verb}
        done={done}
        cancelled={`The ${verb} was cancelled; nothing was kept.`}
      />
      {state.cancelError === undefined ? null : <ErrorNotice>Could not cancel: {state.cancelError}</ErrorNotice>}
    </section>
  );
}

/** A chosen input file: a path (desktop dialog) or a File (browser). */
export type PickedFile =
  { readonly kind: 'path'; readonly path: string } | { readonly kind: 'file'; readonly file: File } | undefined;

export function pickedName(picked: PickedFile): string | undefined {
  if (picked === undefined) return undefined;
  return picked.kind === 'path' ? picked.path : picked.file.name;
}

/** Desktop: a "Choose…" button opening the native dialog. Browser: a file input. */
export function FilePicker({
  id,
  label,
  title,
  picked,
  onPick,
  disabled,
}: {
  readonly id: string;
  readonly label: string;
  readonly title: string;
  readonly picked: PickedFile;
  readonly onPick: (picked: PickedFile) => void;
  readonly disabled: boolean;
}) {
  const strata = useStrata();
  const [error, setError] = useState<string | undefined>(undefined);
  if (strata.files.mode === 'browser') {
    return (
      <div className="transfer-field">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        <input
          id={id}
          type="file"
          className="input input-wide"
          accept=".tar,.gz,.tgz,application/x-tar,application/gzip"
          disabled={disabled}
          onChange={(event) => {
            const file = event.target.files?.[0];
            onPick(file === undefined ? undefined : { kind: 'file', file });
          }}
        />
      </div>
    );
  }
  const choose = async (): Promise<void> => {
    setError(undefined);
    try {
      const path = await strata.files.chooseOpenPath({ title, filters: TAR_FILTERS });
      if (path !== null) onPick({ kind: 'path', path });
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  return (
    <div className="transfer-field">
      <span className="field-label" id={`${id}-label`}>
        {label}
      </span>
      <div className="transfer-file-row">
        <button
          type="button"
          className="button"
          disabled={disabled}
          aria-describedby={`${id}-label`}
          onClick={() => void choose()}
        >
          Choose file…
        </button>
        <span className="cell-mono transfer-path">{pickedName(picked) ?? 'No file chosen'}</span>
      </div>
      {error === undefined ? null : <p className="field-error">{error}</p>}
    </div>
  );
}

/** Turns a picked file into a job source, uploading it first in browser mode. */
export async function sourceOf(
  strata: ReturnType<typeof useStrata>,
  picked: Exclude<PickedFile, undefined>,
  onUpload: (sent: number, total: number) => void,
): Promise<{ readonly kind: 'path'; readonly path: string } | { readonly kind: 'upload'; readonly uploadId: string }> {
  if (picked.kind === 'path') return { kind: 'path', path: picked.path };
  const uploadId = await strata.files.upload(picked.file, picked.file.name, onUpload);
  return { kind: 'upload', uploadId };
}

/** Upload progress, while a browser file goes up. */
export function UploadProgress({ upload }: { readonly upload: { sent: number; total: number } | undefined }) {
  if (upload === undefined) return null;
  const percent = upload.total > 0 ? Math.round((upload.sent / upload.total) * 100) : undefined;
  return (
    <div className="transfer-upload">
      <ProgressBar label="Upload" percent={percent} />
      <p className="muted">
        Uploading: {formatBytes(upload.sent)} of {formatBytes(upload.total)}
      </p>
    </div>
  );
}
