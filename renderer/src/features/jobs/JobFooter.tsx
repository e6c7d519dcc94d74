import type { ReactNode } from 'react';
import type { JobRun } from './useJobRun';

/** A job dialog's footer: "Cancel …" while the job runs, then Close and the dialog's own buttons (children). */
export function JobFooter({
  run,
  cancelLabel,
  onClose,
  closeLabel = 'Close',
  children,
}: {
  readonly run: Pick<JobRun, 'running' | 'cancel'>;
  readonly cancelLabel: string;
  readonly onClose: () => void;
  readonly closeLabel?: string;
  readonly children: ReactNode;
}) {
  return (
    <>
      {run.running ? (
        <button type="button" className="button button-danger" onClick={() => void run.cancel()}>
          {cancelLabel}
        </button>
      ) : null}
      <span className="spacer" />
      <button type="button" className="button" onClick={onClose}>
        {closeLabel}
      </button>
      {children}
    </>
  );
}
