/** Load images from a tar (plain or gzip): a file dialog on the desktop, an upload in browser mode. */
import { useState } from 'react';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { useUi, type DialogState } from '../../app/uiStore';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobFooter } from '../jobs/JobFooter';
import { jobResult } from '../jobs/jobResult';
import { useJobRun } from '../jobs/useJobRun';
import { FilePicker, sourceOf, TransferJobPanel, UploadProgress, type PickedFile } from './TransferJob';

export function LoadDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'load' }> }) {
  void dialog;
  const strata = useStrata();
  const closeDialog = useUi((s) => s.closeDialog);
  const [picked, setPicked] = useState<PickedFile>(undefined);
  const [upload, setUpload] = useState<{ sent: number; total: number } | undefined>(undefined);
  const transfer = useJobRun();
  const loaded = jobResult(transfer.job, 'load')?.loaded ?? [];
  const canStart = picked !== undefined && !transfer.running && !transfer.starting;

  const load = (): Promise<void> =>
    transfer.start(async () => {
      if (picked === undefined) return undefined;
      try {
        const source = await sourceOf(strata, picked, (sent, total) => setUpload({ sent, total }));
        return unwrap(await strata.images.load({ source })).jobId;
      } finally {
        setUpload(undefined);
      }
    });

  return (
    <Dialog
      label="Load images"
      title="Load images"
      onClose={closeDialog}
      footer={
        <JobFooter run={transfer} cancelLabel="Cancel load" onClose={closeDialog}>
          <button type="button" className="button button-primary" disabled={!canStart} onClick={() => void load()}>
            {transfer.starting ? (upload === undefined ? 'Starting…' : 'Uploading…') : 'Load'}
          </button>
        </JobFooter>
      }
    >
      <FilePicker
        id="load-file"
        label="Image archive (.tar or .tar.gz)"
        title="Load images from an archive"
        picked={picked}
        onPick={setPicked}
        disabled={transfer.running || transfer.starting}
      />
      <p className="field-hint">The archive is checked to its end before anything is loaded.</p>
      <UploadProgress upload={upload} />
      {transfer.startError === undefined ? null : (
        <ErrorNotice>Could not start the load: {transfer.startError}</ErrorNotice>
      )}
      <TransferJobPanel
        state={transfer}
        kind="load"
        done={
          loaded.length === 0 ? (
            <p>The archive held no image to load.</p>
          ) : (
            <>
              <p>
                Loaded {loaded.length} {loaded.length === 1 ? 'image' : 'images'}:
              </p>
              <ul className="transfer-list" aria-label="Loaded images">
                {loaded.map((item) => (
                  <li key={item} className="cell-mono">
                    {item}
                  </li>
                ))}
              </ul>
            </>
          )
        }
      />
    </Dialog>
  );
}
