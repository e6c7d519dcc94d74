/** Volumes on disk: the fast list at once, sizes and ref counts when /system/df arrives; remove and prune. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { VolumeSummary } from '../../../../shared/api';
import { dockerHumanSize } from '../../../../shared/disk';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { queryKeys } from '../../app/queryKeys';
import { useUi } from '../../app/uiStore';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function SizeCell({ value, measuring }: { readonly value: number | null; readonly measuring: boolean }) {
  if (value !== null) return <span title={`${value} bytes`}>{dockerHumanSize(value)}</span>;
  if (measuring) return <span className="muted">Measuring…</span>;
  return (
    <span className="muted" title="The engine does not say">
      —
    </span>
  );
}

export function VolumesPanel({
  volumes,
  measuring,
  error,
}: {
  readonly volumes: readonly VolumeSummary[] | undefined;
  /** disk.usage has not answered yet: sizes and ref counts are on their way. */
  readonly measuring: boolean;
  readonly error: string | undefined;
}) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const openDialog = useUi((s) => s.openDialog);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<{ readonly name: string; readonly message: string } | undefined>(undefined);

  const remove = async (name: string): Promise<void> => {
    setBusy(name);
    setFailure(undefined);
    try {
      unwrap(await strata.volumes.remove({ name }));
      setConfirming(undefined);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.volumes() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.disk() }),
      ]);
    } catch (caught) {
      setFailure({ name, message: messageOf(caught) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="disk-section" aria-labelledby="disk-volumes-title">
      <div className="disk-section-header">
        <h2 id="disk-volumes-title">Volumes</h2>
        <button type="button" className="button" onClick={() => openDialog({ kind: 'cleanup', preset: 'volumes' })}>
          Prune unused volumes…
        </button>
      </div>
      {error === undefined ? null : <ErrorNotice>Could not list the volumes: {error}</ErrorNotice>}
      {failure === undefined ? null : (
        <ErrorNotice>
          Could not remove {failure.name}: {failure.message}
        </ErrorNotice>
      )}
      {volumes === undefined ? (
        error === undefined ? (
          <p className="muted">Loading volumes…</p>
        ) : null
      ) : volumes.length === 0 ? (
        <p className="muted">No volumes.</p>
      ) : (
        <div className="disk-table-wrap">
          <table className="disk-table" aria-label="Volumes">
            <thead>
              <tr>
                <th>Name</th>
                <th>Driver</th>
                <th>Mountpoint</th>
                <th className="cell-numeric">Size</th>
                <th className="cell-numeric">Ref count</th>
                <th>Used by</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {volumes.map((v) => (
                <tr key={v.name}>
                  <td className="cell-mono disk-cell-wrap">
                    {v.name}
                    {v.anonymous ? (
                      <>
                        {' '}
                        <span className="badge">anonymous</span>
                      </>
                    ) : null}
                  </td>
                  <td>{v.driver}</td>
                  <td className="cell-mono disk-cell-wrap">{v.mountpoint}</td>
                  <td className="cell-numeric">
                    <SizeCell value={v.size} measuring={measuring} />
                  </td>
                  <td className="cell-numeric">
                    {v.refCount !== null ? (
                      String(v.refCount)
                    ) : measuring ? (
                      <span className="muted">Measuring…</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    {v.usedBy.length === 0 ? (
                      <span className="muted">unused</span>
                    ) : (
                      v.usedBy.map((c) => `${c.name} (${c.state})`).join(', ')
                    )}
                  </td>
                  <td className="disk-actions">
                    {confirming === v.name ? (
                      <>
                        <button
                          type="button"
                          className="button button-small button-danger"
                          disabled={busy !== undefined}
                          aria-label={`Confirm removing volume ${v.name}`}
                          onClick={() => void remove(v.name)}
                        >
                          {busy === v.name ? 'Removing…' : 'Remove'}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          disabled={busy !== undefined}
                          onClick={() => setConfirming(undefined)}
                        >
                          Keep
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`Remove volume ${v.name}`}
                        onClick={() => {
                          setFailure(undefined);
                          setConfirming(v.name);
                        }}
                      >
                        Remove…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
