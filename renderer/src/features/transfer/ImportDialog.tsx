/** Import a root filesystem tarball as a new image, with an optional repo:tag, Dockerfile changes and message. */
import { useState } from 'react';
import { changeSchema } from '../../../../shared/api';
import { parseReference } from '../../../../shared/reference';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { useUi, type DialogState } from '../../app/uiStore';
import { shortId } from '../../lib/format';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobFooter } from '../jobs/JobFooter';
import { jobResult } from '../jobs/jobResult';
import { useJobRun } from '../jobs/useJobRun';
import { FilePicker, sourceOf, TransferJobPanel, UploadProgress, type PickedFile } from './TransferJob';

/** One change a line; blank lines are ignored. The first invalid line's reason, if any. */
export function parseChanges(text: string): {
  readonly changes: readonly string[];
  readonly error: string | undefined;
} {
  const changes = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  for (const [index, change] of changes.entries()) {
    const parsed = changeSchema.safeParse(change);
    if (!parsed.success) {
      return { changes, error: `Line ${index + 1}: ${parsed.error.issues[0]?.message ?? 'not a valid change'}` };
    }
  }
  return { changes, error: undefined };
}

export function ImportDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'import' }> }) {
  void dialog;
  const strata = useStrata();
  const closeDialog = useUi((s) => s.closeDialog);
  const [picked, setPicked] = useState<PickedFile>(undefined);
  const [reference, setReference] = useState('');
  const [changesText, setChangesText] = useState('');
  const [message, setMessage] = useState('');
  const [upload, setUpload] = useState<{ sent: number; total: number } | undefined>(undefined);
  const transfer = useJobRun();
  const imported = jobResult(transfer.job, 'import');
  const importedAs = imported?.reference ?? undefined;

  const parsedRef = parseReference(reference.trim());
  const referenceError =
    reference.trim() === ''
      ? undefined
      : !parsedRef.ok
        ? parsedRef.reason
        : parsedRef.value.digest !== undefined
          ? 'An imported image gets a tag, not a digest: use repo:tag.'
          : undefined;
  const { changes, error: changesError } = parseChanges(changesText);
  const canStart =
    picked !== undefined &&
    referenceError === undefined &&
    changesError === undefined &&
    !transfer.running &&
    !transfer.starting;

  const run = (): Promise<void> =>
    transfer.start(async () => {
      if (picked === undefined) return undefined;
      try {
        const source = await sourceOf(strata, picked, (sent, total) => setUpload({ sent, total }));
        return unwrap(
          await strata.images.import({
            source,
            ...(reference.trim() === '' ? {} : { reference: reference.trim() }),
            changes: [...changes],
            ...(message.trim() === '' ? {} : { message: message.trim() }),
          }),
        ).jobId;
      } finally {
        setUpload(undefined);
      }
    });

  return (
    <Dialog
      label="Import image"
      title="Import a filesystem as an image"
      onClose={closeDialog}
      footer={
        <JobFooter run={transfer} cancelLabel="Cancel import" onClose={closeDialog}>
          <button type="button" className="button button-primary" disabled={!canStart} onClick={() => void run()}>
            {transfer.starting ? 'Starting…' : 'Import'}
          </button>
        </JobFooter>
      }
    >
      <FilePicker
        id="import-file"
        label="Root filesystem tarball (.tar or .tar.gz)"
        title="Import a root filesystem tarball"
        picked={picked}
        onPick={setPicked}
        disabled={transfer.running || transfer.starting}
      />
      <div className="transfer-field">
        <label className="field-label" htmlFor="import-reference">
          Repository and tag (optional)
        </label>
        <input
          id="import-reference"
          className={`input input-wide${referenceError === undefined ? '' : ' is-invalid'}`}
          value={reference}
          onChange={(event) => setReference(event.target.value)}
          placeholder="team/rootfs:1.0"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={referenceError !== undefined}
        />
        {referenceError === undefined ? null : <p className="field-error">{referenceError}</p>}
      </div>
      <div className="transfer-field">
        <label className="field-label" htmlFor="import-changes">
          Dockerfile changes (one a line, optional)
        </label>
        <textarea
          id="import-changes"
          className={`input input-wide transfer-changes${changesError === undefined ? '' : ' is-invalid'}`}
          value={changesText}
          onChange={(event) => setChangesText(event.target.value)}
          placeholder={'CMD ["/bin/sh"]\nENV LANG=C.UTF-8'}
          spellCheck={false}
          aria-invalid={changesError !== undefined}
        />
        {changesError === undefined ? null : <p className="field-error">{changesError}</p>}
      </div>
      <div className="transfer-field">
        <label className="field-label" htmlFor="import-message">
          Commit message (optional)
        </label>
        <input
          id="import-message"
          className="input input-wide"
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          autoComplete="off"
        />
      </div>
      <UploadProgress upload={upload} />
      {transfer.startError === undefined ? null : (
        <ErrorNotice>Could not start the import: {transfer.startError}</ErrorNotice>
      )}
      <TransferJobPanel
        state={transfer}
        kind="import"
        done={
          <p>
            Imported as{' '}
            {importedAs === undefined ? 'an untagged image' : <span className="cell-mono">{importedAs}</span>}
            {imported === undefined ? null : <span className="cell-mono"> ({shortId(imported.imageId)})</span>}.
          </p>
        }
      />
    </Dialog>
  );
}
