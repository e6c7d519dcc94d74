import type { ImageHistory } from '../../../../shared/api';
import { CopyButton } from './CopyButton';
import { layerRows, ONLY_THIS_IMAGE, UNLABELLED } from './historyViewModel';

/** The image's layers, bottom first: diff ID, chain ID, the step that made it, size, and who shares it. */
export function LayersTable({ history }: { readonly history: ImageHistory }) {
  const rows = layerRows(history);
  return (
    <table className="history-table layers-table" aria-label="Layers">
      <colgroup>
        <col className="col-number" />
        <col className="col-id" />
        <col className="col-id" />
        <col className="col-step" />
        <col className="col-size" />
        <col className="col-shared" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col" className="cell-numeric">
            #
          </th>
          <th scope="col">Diff ID</th>
          <th scope="col">Chain ID</th>
          <th scope="col">Step</th>
          <th scope="col" className="cell-numeric">
            Size
          </th>
          <th scope="col">Shared with</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.number} className={row.inBase ? 'is-base' : undefined} aria-label={`Layer ${row.number}`}>
            <td className="cell-numeric">{row.number}</td>
            <IdCell id={row.diffId} short={row.diffShort} copyLabel={`Copy diff ID of layer ${row.number}`} />
            <IdCell id={row.chainId} short={row.chainShort} copyLabel={`Copy chain ID of layer ${row.number}`} />
            <td className={row.step === UNLABELLED ? 'muted' : 'cell-text'} title={row.step}>
              {row.step}
            </td>
            <td className="cell-numeric">{row.size}</td>
            <td className={row.sharedWith === ONLY_THIS_IMAGE ? 'muted cell-wrap' : 'cell-wrap'}>{row.sharedWith}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A 12-hex ID with the full one on hover and a copy button. */
function IdCell({ id, short, copyLabel }: { readonly id: string; readonly short: string; readonly copyLabel: string }) {
  return (
    <td>
      <span className="id-cell">
        <span className="cell-mono" title={id}>
          {short}
        </span>
        <CopyButton text={id} label={copyLabel} />
      </span>
    </td>
  );
}
