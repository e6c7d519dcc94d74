/** The Containers view: every container, grouped by compose project, with actions and multi-select. */
import { useMemo, useState } from 'react';
import type { ContainerAction, ContainerSummary } from '../../../../shared/api';
import type { ErrorShape } from '../../../../shared/errors';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useContainers, useContainersSized, useEngineStatus } from '../../app/queries';
import { useNow } from '../../app/useNow';
import { useUi } from '../../app/uiStore';
import { formatBytes, formatExact, formatRelative } from '../../lib/format';
import { EngineUnavailable } from '../engine/EngineUnavailable';
import { AllEnginesContainers } from './AllEnginesContainers';
import { BatchActionDialog, type BatchAction } from './BatchActionDialog';
import { RemoveContainerDialog, RenameDialog, StopDialog } from './ContainerActionDialogs';
import { useContainerAction, type ContainerItem } from './useContainerAction';
import {
  ACTION_LABELS,
  actionsFor,
  containerLabel,
  filterContainers,
  formatPorts,
  groupByProject,
} from './containersViewModel';
import './containers.css';

type OpenDialog =
  | { readonly kind: 'stop' | 'remove' | 'rename'; readonly item: ContainerItem }
  | { readonly kind: 'batch'; readonly action: BatchAction; readonly items: readonly ContainerItem[] };

const toItem = (c: ContainerSummary): ContainerItem => ({ id: c.id, label: containerLabel(c), state: c.state });

const COLUMN_COUNT = 9;

interface RowProps {
  readonly container: ContainerSummary;
  readonly checked: boolean;
  readonly onCheck: (checked: boolean) => void;
  readonly sized: ContainerSummary | undefined;
  readonly sizesAsked: boolean;
  readonly now: number;
  readonly busy: ContainerAction | undefined;
  readonly onAction: (action: ContainerAction | 'rename' | 'logs') => void;
}

function SizeCell({
  sized,
  sizesAsked,
}: {
  readonly sized: ContainerSummary | undefined;
  readonly sizesAsked: boolean;
}) {
  if (sized?.sizeRw === null || sized?.sizeRw === undefined) {
    return <span className="muted">{sizesAsked && sized === undefined ? '…' : '—'}</span>;
  }
  const virtual = sized.sizeRootFs === null ? '' : ` (virtual ${formatBytes(sized.sizeRootFs)})`;
  return (
    <span title={`Writable layer ${sized.sizeRw} bytes${virtual}`}>
      {formatBytes(sized.sizeRw)}
      {virtual === '' ? null : <span className="muted">{virtual}</span>}
    </span>
  );
}

function ContainerRow({ container: c, checked, onCheck, sized, sizesAsked, now, busy, onAction }: RowProps) {
  const label = containerLabel(c);
  const ports = formatPorts(c.ports);
  const { openContainer, openDetails } = useUi.getState();
  return (
    <tr aria-label={label} data-state={c.state} className="container-row">
      <td className="ctr-check">
        <input
          type="checkbox"
          aria-label={`Select ${label}`}
          checked={checked}
          onChange={(event) => onCheck(event.target.checked)}
        />
      </td>
      <td className="cell-text">
        <button
          type="button"
          className="link-button"
          title={c.id}
          onClick={() => openContainer({ id: c.id, name: label })}
        >
          {label}
        </button>
      </td>
      <td className="cell-text">
        <button
          type="button"
          className="link-button"
          title={c.imageId}
          aria-label={`Image ${c.image} of ${label}`}
          onClick={() => openDetails({ imageId: c.imageId, label: c.image })}
        >
          {c.image}
        </button>
      </td>
      <td className="cell-state">
        <span className="state-line">
          <span className={`state-badge state-${c.state}`}>{c.state}</span>
          {c.health === null ? null : <span className={`health-badge health-${c.health}`}>{c.health}</span>}
        </span>
        <span className="muted status-text">{c.status}</span>
      </td>
      <td className="cell-created" title={formatExact(c.created * 1000)}>
        {formatRelative(c.created * 1000, now)}
      </td>
      <td className="cell-ports">
        {ports.length === 0 ? <span className="muted">—</span> : ports.map((p) => <div key={p}>{p}</div>)}
      </td>
      <td className="cell-mono cell-command" title={c.command}>
        {c.command}
      </td>
      <td className="cell-numeric">
        <SizeCell sized={sized} sizesAsked={sizesAsked} />
      </td>
      <td className="ctr-actions">
        {busy !== undefined ? <span className="muted">{ACTION_LABELS[busy]}…</span> : null}
        {actionsFor(c.state).map((action) => (
          <button
            key={action}
            type="button"
            className="button button-small button-quiet"
            disabled={busy !== undefined}
            aria-label={`${ACTION_LABELS[action]} ${label}`}
            onClick={() => onAction(action)}
          >
            {action === 'stop' || action === 'remove' ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
          </button>
        ))}
        <button
          type="button"
          className="button button-small button-quiet"
          aria-label={`Rename ${label}`}
          onClick={() => onAction('rename')}
        >
          Rename…
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          aria-label={`Logs of ${label}`}
          onClick={() => onAction('logs')}
        >
          Logs
        </button>
      </td>
    </tr>
  );
}

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
        <table className="containers-table" aria-label="Containers">
          <thead>
            <tr>
              <th className="ctr-check">
                <input
                  type="checkbox"
                  aria-label="Select all shown containers"
                  checked={allShownChecked}
                  ref={(node) => {
                    if (node !== null) node.indeterminate = someShownChecked && !allShownChecked;
                  }}
                  onChange={(event) => {
                    const on = event.target.checked;
                    setChecked((previous) => {
                      const next = new Set(previous);
                      for (const c of shown) {
                        if (on) next.add(c.id);
                        else next.delete(c.id);
                      }
                      return next;
                    });
                  }}
                />
              </th>
              <th scope="col">Name</th>
              <th scope="col">Image</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Ports</th>
              <th scope="col">Command</th>
              <th scope="col" className="cell-numeric">
                Size
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {grouped.projects.map((group) => (
            <tbody key={`project:${group.project}`} aria-label={`Compose project ${group.project}`}>
              <tr className="project-row">
                <th colSpan={COLUMN_COUNT} scope="rowgroup">
                  <span className="project-name">{group.project}</span>{' '}
                  <span className="muted">
                    {group.containers.length} {group.containers.length === 1 ? 'container' : 'containers'},{' '}
                    {group.running} running
                  </span>
                </th>
              </tr>
              {renderRows(group.containers)}
            </tbody>
          ))}
          {grouped.ungrouped.length === 0 ? null : (
            <tbody aria-label={grouped.projects.length === 0 ? 'All containers' : 'Other containers'}>
              {grouped.projects.length === 0 ? null : (
                <tr className="project-row">
                  <th colSpan={COLUMN_COUNT} scope="rowgroup">
                    <span className="muted">Not in a compose project</span>
                  </th>
                </tr>
              )}
              {renderRows(grouped.ungrouped)}
            </tbody>
          )}
        </table>
      </div>
    );
  }

  const batch = (action: BatchAction): void => setDialog({ kind: 'batch', action, items: checkedRows.map(toItem) });
  const bulkBar =
    allEngines || checkedRows.length === 0 ? null : (
      <div className="bulk-bar" role="toolbar" aria-label="Checked containers">
        <span>{checkedRows.length} checked</span>
        <button type="button" className="button" disabled={!connected} onClick={() => batch('start')}>
          Start {checkedRows.length}…
        </button>
        <button type="button" className="button" disabled={!connected} onClick={() => batch('stop')}>
          Stop {checkedRows.length}…
        </button>
        <button type="button" className="button button-danger" disabled={!connected} onClick={() => batch('remove')}>
          Remove {checkedRows.length}…
        </button>
        <button type="button" className="button button-quiet" onClick={() => setChecked(new Set())}>
          Clear
        </button>
      </div>
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
        <div className="toolbar">
          <input
            type="search"
            className="input filter-input"
            aria-label="Filter containers"
            placeholder="Filter by name, image, ID or project"
            value={filterText}
            onChange={(event) => setFilterText(event.target.value)}
          />
          <label className="checkbox">
            <input type="checkbox" checked={runningOnly} onChange={(event) => setRunningOnly(event.target.checked)} />
            Running only
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={allEngines} onChange={(event) => setAllEngines(event.target.checked)} />
            All engines
          </label>
          <button
            type="button"
            className="button"
            disabled={!connected || sizedQuery.isFetching}
            onClick={() => {
              if (sizesAsked) void sizedQuery.refetch();
              else setSizesAsked(true);
            }}
          >
            {sizedQuery.isFetching ? 'Computing sizes…' : sizesAsked ? 'Refresh sizes' : 'Show sizes'}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!connected}
            onClick={() => openDialog({ kind: 'run', image: undefined })}
          >
            Run…
          </button>
        </div>
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
