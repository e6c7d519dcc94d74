/** Save images to a .tar / .tar.gz: a file dialog on the desktop, a download in browser mode. */
import { useEffect, useRef, useState } from 'react';
import type { FileResult } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { useUi, type DialogState } from '../../app/uiStore';
import { formatBytes } from '../../lib/format';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobFooter } from '../jobs/JobFooter';
import { jobResult } from '../jobs/jobResult';
import { useJobRun } from '../jobs/useJobRun';
import { TransferJobPanel } from './TransferJob';

/** `lab/app:1.0` → `lab-app-1.0.tar`; several images → `images.tar`. */
export function defaultArchiveName(references: readonly string[], compress: boolean): string {
  const first = references[0];
  const base =
    references.length === 1 && first !== undefined
      ? first
          .replace(/^sha256:/, '')
          .replace(/[^A-Za-z0-9._-]+/g, '-')
          .slice(0, 100)
      : 'images';
  return `${base}.tar${compress ? '.gz' : ''}`;
}

/** In browser mode: hands the finished file to the browser once, and offers it again. */
export function useAutoDownload(result: FileResult | undefined): {
  readonly error: string | undefined;
  readonly again: () => void;
} {
  const strata = useStrata();
  const [error, setError] = useState<string | undefined>(undefined);
  const fetched = useRef<string | undefined>(undefined);
  const fetchIt = (done: FileResult): void => {
    if (done.downloadId === null) return;
    setError(undefined);
    strata.files.download(done.downloadId, done.fileName).catch((caught: unknown) => {
      setError(caught instanceof Error ? caught.message : String(caught));
    });
  };
  useEffect(() => {
    if (result?.downloadId === undefined || result.downloadId === null) return;
    if (fetched.current === result.downloadId) return;
    fetched.current = result.downloadId;
    fetchIt(result);
    // fetchIt only reads the bridge, which does not change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result?.downloadId]);
  return { error, again: () => (result === undefined ? undefined : fetchIt(result)) };
}

export function SaveDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'save' }> }) {
  const strata = useStrata();
  const closeDialog = useUi((s) => s.closeDialog);
  const [compress, setCompress] = useState(false);
  const transfer = useJobRun();
  const references = dialog.references;
  const desktop = strata.files.mode === 'desktop';
  const done = jobResult(transfer.job, 'save');
  const download = useAutoDownload(desktop ? undefined : done);
  const canStart = references.length > 0 && !transfer.running && !transfer.starting;

  const save = (): Promise<void> =>
    transfer.start(async () => {
      const defaultName = defaultArchiveName(references, compress);
      if (desktop) {
        const path = await strata.files.chooseSavePath({
          title: references.length === 1 ? `Save ${references[0] ?? ''}` : `Save ${references.length} images`,
          defaultName,
          filters: [
            { name: compress ? 'Compressed image archive' : 'Image archive', extensions: [compress ? 'gz' : 'tar'] },
          ],
        });
        if (path === null) return undefined;
        return unwrap(
          await strata.images.save({
            references: [...references],
            compress,
            // The system's save dialog already asked before replacing a file.
            destination: { kind: 'path', path, overwrite: true },
          }),
        ).jobId;
      }
      return unwrap(
        await strata.images.save({
          references: [...references],
          compress,
          destination: { kind: 'download', fileName: defaultName },
        }),
      ).jobId;
    });

  return (
    <Dialog
      label="Save images"
      title={references.length === 1 ? 'Save image' : `Save ${references.length} images`}
      onClose={closeDialog}
      footer={
        <JobFooter run={transfer} cancelLabel="Cancel save" onClose={closeDialog}>
          <button type="button" className="button button-primary" disabled={!canStart} onClick={() => void save()}>
            {transfer.starting ? 'Starting…' : desktop ? 'Save as…' : 'Save and download'}
          </button>
        </JobFooter>
      }
    >
      <p className="field-label">Images</p>
      <ul className="transfer-list" aria-label="Images to save">
        {references.map((reference) => (
          <li key={reference} className="cell-mono">
            {reference}
          </li>
        ))}
      </ul>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={compress}
          disabled={transfer.running}
          onChange={(event) => setCompress(event.target.checked)}
        />{' '}
        Compress (.tar.gz)
      </label>
      <p className="field-hint">
        {desktop
          ? 'You choose where the archive goes; it is checked before it is put there.'
          : 'The archive is checked, then downloaded by your browser.'}
      </p>
      {transfer.startError === undefined ? null : (
        <ErrorNotice>Could not start the save: {transfer.startError}</ErrorNotice>
      )}
      <TransferJobPanel
        state={transfer}
        kind="save"
        done={
          done === undefined ? (
            'Saved.'
          ) : (
            <>
              <p>
                Saved {references.length === 1 ? references[0] : `${references.length} images`} to{' '}
                <span className="cell-mono">{done.path ?? done.fileName}</span> ({formatBytes(done.bytes)}).
              </p>
              {done.downloadId === null ? null : (
                <button type="button" className="button button-small" onClick={download.again}>
                  Download again
                </button>
              )}
            </>
          )
        }
      />
      {download.error === undefined ? null : <ErrorNotice>The download failed: {download.error}</ErrorNotice>}
    </Dialog>
  );
}
