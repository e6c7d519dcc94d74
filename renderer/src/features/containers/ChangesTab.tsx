/** The Changes tab: paths added, changed and deleted in the container's filesystem (the engine's /changes). */
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { useEngineConnected } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { CHANGE_KINDS, CHANGE_MARKERS, countChanges, visibleChanges, type ChangeKind } from './containerDetailsModel';

const KIND_LABELS: Readonly<Record<ChangeKind, string>> = { added: 'Added', changed: 'Changed', deleted: 'Deleted' };
/** Rendered at most; the rest is counted (a container that unpacked a tree can change 100,000 paths). */
export const CHANGES_RENDER_LIMIT = 2000;

export function ChangesTab({ containerId }: { readonly containerId: string }) {
  const strata = useStrata();
  const connected = useEngineConnected();
  const changes = useQuery({
    queryKey: queryKeys.containerChanges(containerId),
    queryFn: async () => unwrap(await strata.containers.changes({ container: containerId })),
    enabled: connected,
  });
  const [kinds, setKinds] = useState<ReadonlySet<ChangeKind>>(() => new Set(CHANGE_KINDS));
  const all = useMemo(() => changes.data ?? [], [changes.data]);
  const counts = useMemo(() => countChanges(all), [all]);
  const shown = useMemo(() => visibleChanges(all, kinds), [all, kinds]);

  const toggle = (kind: ChangeKind): void => {
    const next = new Set(kinds);
    if (next.has(kind)) next.delete(kind);
    else next.add(kind);
    setKinds(next);
  };

  return (
    <section className="changes-tab" aria-label="Changes">
      <div className="changes-toolbar">
        {CHANGE_KINDS.map((kind) => (
          <label key={kind} className={`checkbox change-filter change-${kind}`}>
            <input type="checkbox" checked={kinds.has(kind)} onChange={() => toggle(kind)} />
            {KIND_LABELS[kind]} ({counts[kind]})
          </label>
        ))}
        <span className="spacer" />
        <button
          type="button"
          className="button button-small"
          disabled={changes.isFetching}
          onClick={() => void changes.refetch()}
        >
          {changes.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {changes.error !== null ? (
        <div className="notice notice-error" role="alert">
          <p>Could not read the changes: {changes.error.message}</p>
        </div>
      ) : null}
      {changes.data === undefined ? (
        changes.error === null ? (
          <p className="notice">Reading the changes…</p>
        ) : null
      ) : all.length === 0 ? (
        <p className="notice">No changes: the filesystem is as the image made it.</p>
      ) : (
        <>
          <ul className="changes-list" aria-label="Changed paths">
            {shown.slice(0, CHANGES_RENDER_LIMIT).map((change) => (
              <li
                key={`${change.kind}:${change.path}`}
                className={`change-row change-${change.kind}`}
                style={{ paddingLeft: 8 + change.depth * 14 }}
              >
                <span className="change-marker" title={KIND_LABELS[change.kind]} aria-label={KIND_LABELS[change.kind]}>
                  {CHANGE_MARKERS[change.kind]}
                </span>
                <span className="change-path">{change.path}</span>
              </li>
            ))}
          </ul>
          {shown.length > CHANGES_RENDER_LIMIT ? (
            <p className="muted">
              Showing {CHANGES_RENDER_LIMIT} of {shown.length} paths; untick a kind to narrow the list.
            </p>
          ) : null}
          {shown.length === 0 ? <p className="muted">No paths of the kinds ticked.</p> : null}
        </>
      )}
    </section>
  );
}
