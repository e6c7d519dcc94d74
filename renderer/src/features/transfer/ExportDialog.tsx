/** Export a container's filesystem to a tar: a file dialog on the desktop, a download in browser mode. */
import { useState } from 'react';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { useContainers } from '../../app/queries';
import { useUi, type DialogState } from '../../app/uiStore';
import { formatBytes } from '../../lib/format';
import { useAutoDownload } from './SaveDialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobFooter } from '../jobs/JobFooter';
import { jobResult } from '../jobs/jobResult';
import { useJobRun } from '../jobs/useJobRun';
import { TransferJobPanel } from './TransferJob';

export function ExportDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'export' }> }) {
  const strata = useStrata();
  const closeDialog = useUi((s) => s.closeDialog);
  const containers = useContainers();
  const [container, setContainer] = useState(dialog.container ?? '');
  const transfer = useJobRun();
  const desktop = strata.files.mode === 'desktop';
  const done = jobResult(transfer.job, 'export');
  const download = useAutoDownload(desktop ? undefined : done);
  const canStart = container !== '' && !transfer.running && !transfer.starting;

  const run = (): Promise<void> =>
    transfer.start(async () => {
      const defaultName = `${container.replace(/[^A-Za-z0-9._-]+/g, '-')}.tar`;
      if (desktop) {
        const path = await strata.files.chooseSavePath({
          title: `Export the filesystem of ${container}`,
          defaultName,
          filters: [{ name: 'Tar archive', extensions: ['tar'] }],
        });
        if (path === null) return undefined;
        // The system's save dialog already asked before replacing a file.
        return unwrap(
          await strata.containers.export({ container, destination: { kind: 'path', path, overwrite: true } }),
        ).jobId;
      }
      return unwrap(
        await strata.containers.export({ container, destination: { kind: 'download', fileName: defaultName } }),
      ).jobId;
    });

  const list = containers.data ?? [];
  const known = list.some((c) => c.name === container);

  return (
    <Dialog
      label="Export container"
      title="Export a container's filesystem"
      onClose={closeDialog}
      footer={
        <JobFooter run={transfer} cancelLabel="Cancel export" onClose={closeDialog}>
          <button type="button" className="button button-primary" disabled={!canStart} onClick={() => void run()}>
            {transfer.starting ? 'Starting…' : desktop ? 'Export as…' : 'Export and download'}
          </button>
        </JobFooter>
      }
    >
      <div className="transfer-field">
        <label className="field-label" htmlFor="export-container">
          Container
        </label>
        <select
          id="export-container"
          className="input input-wide"
          value={container}
          disabled={transfer.running}
          onChange={(event) => setContainer(event.target.value)}
        >
          <option value="">{containers.isPending ? 'Loading containers…' : 'Choose a container'}</option>
          {container !== '' && !known ? <option value={container}>{container}</option> : null}
          {list.map((c) => (
            <option key={c.id} value={c.name}>
              {c.name} ({c.image}, {c.state})
            </option>
          ))}
        </select>
        {containers.isError ? (
          <p className="field-error">Could not list containers: {containers.error.message}</p>
        ) : null}
      </div>
      {transfer.startError === undefined ? null : (
        <ErrorNotice>Could not start the export: {transfer.startError}</ErrorNotice>
      )}
      <TransferJobPanel
        state={transfer}
        kind="export"
        done={
          done === undefined ? (
            'Exported.'
          ) : (
            <>
              <p>
                Exported {container} to <span className="cell-mono">{done.path ?? done.fileName}</span> (
                {formatBytes(done.bytes)}).
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
