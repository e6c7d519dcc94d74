/** Build cache records (from /system/df only) and the way to prune them. */
import type { BuildCacheRecord } from '../../../../shared/api';
import { dockerHumanSize } from '../../../../shared/disk';
import { useUi } from '../../app/uiStore';
import { formatExact, formatRelative, shortId } from '../../lib/format';

function when(iso: string | null, now: number) {
  if (iso === null) return <span className="muted">never</span>;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return <span className="muted">—</span>;
  return <span title={formatExact(ms)}>{formatRelative(ms, now)}</span>;
}

export function BuildCachePanel({
  records,
  now,
}: {
  /** Undefined while disk.usage is measuring. */
  readonly records: readonly BuildCacheRecord[] | undefined;
  readonly now: number;
}) {
  const openDialog = useUi((s) => s.openDialog);
  const sorted = records === undefined ? undefined : [...records].sort((a, b) => b.size - a.size);
  return (
    <section className="disk-section" aria-labelledby="disk-cache-title">
      <div className="disk-section-header">
        <h2 id="disk-cache-title">Build cache</h2>
        <button type="button" className="button" onClick={() => openDialog({ kind: 'cleanup', preset: 'build-cache' })}>
          Prune build cache…
        </button>
      </div>
      {sorted === undefined ? (
        <p className="muted disk-measuring" role="status">
          Measuring disk usage…
        </p>
      ) : sorted.length === 0 ? (
        <p className="muted">No build cache records.</p>
      ) : (
        <div className="disk-table-wrap">
          <table className="disk-table" aria-label="Build cache">
            <thead>
              <tr>
                <th>ID</th>
                <th>Type</th>
                <th>Description</th>
                <th className="cell-numeric">Size</th>
                <th>In use</th>
                <th>Shared</th>
                <th>Last used</th>
                <th className="cell-numeric">Usage count</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((r) => (
                <tr key={r.id}>
                  <td className="cell-mono">{shortId(r.id)}</td>
                  <td>{r.type}</td>
                  <td className="disk-cell-wrap">{r.description}</td>
                  <td className="cell-numeric" title={`${r.size} bytes`}>
                    {dockerHumanSize(r.size)}
                  </td>
                  <td>{r.inUse ? 'yes' : 'no'}</td>
                  <td>{r.shared ? 'yes' : 'no'}</td>
                  <td>{when(r.lastUsedAt, now)}</td>
                  <td className="cell-numeric">{r.usageCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
