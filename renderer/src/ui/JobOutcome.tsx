import type { ReactNode } from 'react';
import type { JobState } from '../../../shared/api';
import type { ErrorShape } from '../../../shared/errors';
import { ErrorNotice } from './ErrorNotice';

/**
 * How a job started from a dialog ended, at the end of the dialog: what it did, "The pull failed: …" or "The pull
 * was cancelled." Nothing while it runs or while its state is not known.
 */
export function JobOutcome({
  state,
  error,
  verb,
  done,
  doneNotice = true,
  cancelled,
  reportFailure = true,
  errorDetail = false,
}: {
  readonly state: JobState | undefined;
  /** The failed job's error. */
  readonly error: ErrorShape | null | undefined;
  /** The job in a word, for the failed and cancelled notices: `pull` → "The pull failed: …". */
  readonly verb: string;
  /** What to say when the job is done; nothing is shown when it is null or undefined. */
  readonly done: ReactNode;
  /** `done` is put in a status notice (true), or shown as it is because it brings its own notices (false). */
  readonly doneNotice?: boolean;
  /** The cancelled notice; "The <verb> was cancelled." by default. */
  readonly cancelled?: string;
  /** false when the dialog shows the failure elsewhere (the build log, at the failed step). */
  readonly reportFailure?: boolean;
  /** The failed notice also shows the error's detail, in parentheses. */
  readonly errorDetail?: boolean;
}) {
  switch (state) {
    case 'done':
      if (done === null || done === undefined) return null;
      return doneNotice ? (
        <div className="notice notice-ok" role="status">
          {done}
        </div>
      ) : (
        <>{done}</>
      );
    case 'failed':
      return reportFailure ? (
        <ErrorNotice>
          The {verb} failed: {error?.message ?? 'no reason given'}
          {!errorDetail || error?.detail === undefined ? null : <span className="muted"> ({error.detail})</span>}
        </ErrorNotice>
      ) : null;
    case 'cancelled':
      return (
        <p className="notice" role="status">
          {cancelled ?? `The ${verb} was cancelled.`}
        </p>
      );
    case 'running':
    case undefined:
      return null;
  }
}
