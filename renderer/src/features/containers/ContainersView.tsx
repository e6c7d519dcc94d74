/**
 * The Containers view: every container, grouped by compose project, with actions and multi-select. This file holds
 * the view's state and actions; the table (ContainersTable, ContainerRow) and the toolbars (ContainersToolbar,
 * ContainersBulkBar) are next to it.
 */
import { useMemo, useState } from 'react';
import type { ContainerAction, ContainerSummary } from '../../../../shared/api';
import type { ErrorShape } from '../../../../shared/errors';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useContainers, useContainersSized, useEngineStatus } from '../../app/queries';
import { useNow } from '../../app/useNow';
import { useUi } from '../../app/uiStore';
import { EngineUnavailable } from '../engine/EngineUnavailable';
import { AllEnginesContainers } from './AllEnginesContainers';
import { BatchActionDialog, type BatchAction } from './BatchActionDialog';
import { RemoveContainerDialog, RenameDialog, StopDialog } from './ContainerActionDialogs';
import { ContainerRow } from './ContainerRow';
import { ContainersTable } from './ContainersTable';
import { ContainersBulkBar, ContainersToolbar } from './ContainersToolbar';
import { useContainerAction, type ContainerItem } from './useContainerAction';
import { containerLabel, filterContainers, groupByProject } from './containersViewModel';
import './containers.css';

type OpenDialog =
  | { readonly kind: 'stop' | 'remove' | 'rename'; readonly item: ContainerItem }
  | { readonly kind: 'batch'; readonly action: BatchAction; readonly items: readonly ContainerItem[] };

const toItem = (c: ContainerSummary): ContainerItem => ({ id: c.id, label: containerLabel(c), state: c.state });

export function ContainersView() {
  const status = useEngineStatus();
  const containers = useContainers();
  const now = useNow();
  const [filterText, setFilterText] = useState('');
  const [runningOnly, setRunningOnly] = useState(false);
  const [sizesAsked, setSizesAsked] = useState(false);
  const sizedQuery = useContainersSized(sizesAsked);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<OpenDialog | undefined>(undefined);
  const [busy, setBusy] = useState<ReadonlyMap<string, ContainerAction>>(new Map());
  const [actionError, setActionError] = useState<{ readonly text: string; readonly error: ErrorShape } | undefined>(
    undefined,
  );
  const act = useContainerAction();
  const { openDialog, openContainer } = useUi.getState();
  const allEngines = useUi((s) => s.allEngines);
  const setAllEngines = useUi((s) => s.setAllEngines);
  const filter = useMemo(() => ({ text: filterText, runningOnly }), [filterText, runningOnly]);

  const all = useMemo(() => containers.data ?? [], [containers.data]);
  const shown = useMemo(() => filterContainers(all, { text: filterText, runningOnly }), [all, filterText, runningOnly]);
  const grouped = useMemo(() => groupByProject(shown), [shown]);
  const sizedById = useMemo(() => new Map((sizedQuery.data ?? []).map((c) => [c.id, c])), [sizedQuery.data]);

  // IDs of containers that are gone stay in `checked` harmlessly: only listed containers count.
  const setOne = (id: string, on: boolean): void =>
    setChecked((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const checkedRows = all.filter((c) => checked.has(c.id));
  const allShownChecked = shown.length > 0 && shown.every((c) => checked.has(c.id));
  const someShownChecked = shown.some((c) => checked.has(c.id));

  const runAction = async (c: ContainerSummary, action: ContainerAction): Promise<void> => {
    const item = toItem(c);
    setActionError(undefined);
    setBusy((previous) => new Map(previous).set(c.id, action));
    const failed = await act(item, action);
    setBusy((previous) => {
      const next = new Map(previous);
      next.delete(c.id);
      return next;
    });
    if (failed !== undefined) setActionError({ text: `Could not ${action} ${item.label}`, error: failed });
  };

  const onAction = (c: ContainerSummary, action: ContainerAction | 'rename' | 'logs'): void => {
    const item = toItem(c);
    switch (action) {
      case 'stop':
      case 'remove':
      case 'rename':
        setDialog({ kind: action, item });
        return;
      case 'logs':
        openContainer({ id: c.id, name: item.label, tab: 'logs' });
        return;
      default:
        void runAction(c, action);
    }
  };

  const connected = status.data?.state === 'connected';
  const renderRows = (list: readonly ContainerSummary[]) =>
    list.map((c) => (
      <ContainerRow
        key={c.id}
        container={c}
        checked={checked.has(c.id)}
        onCheck={(on) => setOne(c.id, on)}
        sized={sizedById.get(c.id)}
        sizesAsked={sizesAsked}
        now={now}
        busy={busy.get(c.id)}
        onAction={(action) => onAction(c, action)}
      />
    ));

  let body;
  if (allEngines) {
    body = <AllEnginesContainers filter={filter} now={now} />;
  } else if (!connected && containers.data === undefined) {
    body = <EngineUnavailable status={status.data} error={status.error} />;
  } else if (containers.error !== null && containers.data === undefined) {
    body = (
      <div className="empty-state" role="alert">
        <h2>Could not list containers</h2>
        <p>{containers.error.message}</p>
      </div>
    );
  } else if (containers.data === undefined) {
    body = <p className="notice">Loading containers…</p>;
  } else if (all.length === 0) {
    body = (
      <div className="empty-state">
        <h2>No containers yet</h2>
        <p>This engine has no containers. Run one from an image.</p>
      </div>
    );
  } else if (shown.length === 0) {
    body = (
      <div className="empty-state">
        <h2>No matching containers</h2>
        <p>No container matches the filter{runningOnly ? ' among running ones' : ''}.</p>
      </div>
    );
  } else {
    body = (
      <div className="view-scroll">
        <ContainersTable
          grouped={grouped}
          allShownChecked={allShownChecked}
          someShownChecked={someShownChecked}
          onCheckShown={(on) =>
            setChecked((previous) => {
              const next = new Set(previous);
              for (const c of shown) {
                if (on) next.add(c.id);
                else next.delete(c.id);
              }
              return next;
            })
          }
          renderRows={renderRows}
        />
      </div>
    );
  }

  const batch = (action: BatchAction): void => setDialog({ kind: 'batch', action, items: checkedRows.map(toItem) });
  const bulkBar =
    allEngines || checkedRows.length === 0 ? null : (
      <ContainersBulkBar
        count={checkedRows.length}
        connected={connected}
        onBatch={batch}
        onClear={() => setChecked(new Set())}
      />
    );

  const running = all.filter((c) => c.state === 'running').length;
  const closeLocal = (): void => setDialog(undefined);

  return (
    <section className="view" aria-labelledby="containers-title">
      <header className="view-header">
        <h1 id="containers-title">Containers</h1>
        {allEngines || containers.data === undefined ? null : (
          <span className="muted count" aria-live="polite">
            {shown.length === all.length ? all.length : `${shown.length} of ${all.length}`}{' '}
            {all.length === 1 ? 'container' : 'containers'} · {running} running
          </span>
        )}
        <ContainersToolbar
          filterText={filterText}
          onFilterText={setFilterText}
          runningOnly={runningOnly}
          onRunningOnly={setRunningOnly}
          allEngines={allEngines}
          onAllEngines={setAllEngines}
          connected={connected}
          sizesAsked={sizesAsked}
          sizesFetching={sizedQuery.isFetching}
          onSizes={() => {
            if (sizesAsked) void sizedQuery.refetch();
            else setSizesAsked(true);
          }}
          onRun={() => openDialog({ kind: 'run', image: undefined })}
        />
      </header>
      {bulkBar}
      {sizedQuery.isError ? <ErrorNotice>Could not compute sizes: {sizedQuery.error.message}</ErrorNotice> : null}
      {actionError === undefined ? null : (
        <ErrorNotice>
          {actionError.text}: {actionError.error.message}
        </ErrorNotice>
      )}
      <div className="view-body">{body}</div>
      {dialog?.kind === 'stop' ? <StopDialog item={dialog.item} onClose={closeLocal} /> : null}
      {dialog?.kind === 'remove' ? <RemoveContainerDialog item={dialog.item} onClose={closeLocal} /> : null}
      {dialog?.kind === 'rename' ? <RenameDialog item={dialog.item} onClose={closeLocal} /> : null}
      {dialog?.kind === 'batch' ? (
        <BatchActionDialog action={dialog.action} items={dialog.items} onClose={closeLocal} />
      ) : null}
    </section>
  );
}
