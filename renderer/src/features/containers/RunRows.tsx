/** The Run dialog's repeated rows: published ports and volumes (binds), each row checked on its own. */
import { emptyPortRow, emptyVolumeRow, PROTOCOLS, type PortRow, type Protocol, type VolumeRow } from './runForm';

interface RowsProps<Row> {
  readonly rows: readonly Row[];
  /** The first problem with one of the row's fields, if any. */
  readonly rowError: (index: number, fields: readonly string[]) => string | undefined;
  readonly onRow: (index: number, patch: Partial<Row>) => void;
  readonly onRows: (rows: Row[]) => void;
}

export function PortRows({ rows, rowError, onRow, onRows }: RowsProps<PortRow>) {
  return (
    <fieldset className="run-fieldset">
      <legend>Ports</legend>
      <div className="run-rows">
        {rows.map((row, index) => {
          const n = index + 1;
          const problem = rowError(index, ['hostIp', 'hostPort', 'containerPort', 'row']);
          return (
            <div key={index}>
              <div className="run-row">
                <input
                  className="input"
                  aria-label={`Port ${n} host IP`}
                  placeholder="host IP (all)"
                  value={row.hostIp}
                  onChange={(event) => onRow(index, { hostIp: event.target.value })}
                />
                <input
                  className="input"
                  aria-label={`Port ${n} host port`}
                  placeholder="host port (any)"
                  inputMode="numeric"
                  value={row.hostPort}
                  onChange={(event) => onRow(index, { hostPort: event.target.value })}
                />
                <span aria-hidden="true">→</span>
                <input
                  className="input"
                  aria-label={`Port ${n} container port`}
                  placeholder="container port"
                  inputMode="numeric"
                  value={row.containerPort}
                  onChange={(event) => onRow(index, { containerPort: event.target.value })}
                />
                <select
                  className="input"
                  aria-label={`Port ${n} protocol`}
                  value={row.protocol}
                  onChange={(event) => onRow(index, { protocol: event.target.value as Protocol })}
                >
                  {PROTOCOLS.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="button button-small button-quiet"
                  aria-label={`Remove port ${n}`}
                  onClick={() => onRows(rows.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </div>
              {problem === undefined ? null : (
                <p className="field-error">
                  Port {n}: {problem}
                </p>
              )}
            </div>
          );
        })}
        <div>
          <button type="button" className="button button-small" onClick={() => onRows([...rows, emptyPortRow])}>
            Add port
          </button>
        </div>
      </div>
    </fieldset>
  );
}

export function VolumeRows({ rows, rowError, onRow, onRows }: RowsProps<VolumeRow>) {
  return (
    <fieldset className="run-fieldset">
      <legend>Volumes and binds</legend>
      <div className="run-rows">
        {rows.map((row, index) => {
          const n = index + 1;
          const problem = rowError(index, ['source', 'target', 'row']);
          return (
            <div key={index}>
              <div className="run-row">
                <input
                  className="input"
                  aria-label={`Volume ${n} source`}
                  placeholder="/host/path, volume name, or empty"
                  value={row.source}
                  onChange={(event) => onRow(index, { source: event.target.value })}
                />
                <span aria-hidden="true">→</span>
                <input
                  className="input"
                  aria-label={`Volume ${n} target`}
                  placeholder="/path/in/container"
                  value={row.target}
                  onChange={(event) => onRow(index, { target: event.target.value })}
                />
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={row.readOnly}
                    onChange={(event) => onRow(index, { readOnly: event.target.checked })}
                  />
                  Read-only
                </label>
                <button
                  type="button"
                  className="button button-small button-quiet"
                  aria-label={`Remove volume ${n}`}
                  onClick={() => onRows(rows.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </div>
              {problem === undefined ? null : (
                <p className="field-error">
                  Volume {n}: {problem}
                </p>
              )}
            </div>
          );
        })}
        <div>
          <button type="button" className="button button-small" onClick={() => onRows([...rows, emptyVolumeRow])}>
            Add volume
          </button>
        </div>
      </div>
    </fieldset>
  );
}
