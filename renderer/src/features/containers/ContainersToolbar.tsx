/** The Containers view's toolbar (filter, Running only, All engines, sizes, Run…) and its bar of checked containers. */
import type { BatchAction } from './BatchActionDialog';

export interface ContainersToolbarProps {
  readonly filterText: string;
  readonly onFilterText: (text: string) => void;
  readonly runningOnly: boolean;
  readonly onRunningOnly: (on: boolean) => void;
  readonly allEngines: boolean;
  readonly onAllEngines: (on: boolean) => void;
  readonly connected: boolean;
  /** Sizes were asked for once: the button refreshes them. */
  readonly sizesAsked: boolean;
  readonly sizesFetching: boolean;
  readonly onSizes: () => void;
  readonly onRun: () => void;
}

export function ContainersToolbar({
  filterText,
  onFilterText,
  runningOnly,
  onRunningOnly,
  allEngines,
  onAllEngines,
  connected,
  sizesAsked,
  sizesFetching,
  onSizes,
  onRun,
}: ContainersToolbarProps) {
  return (
    <div className="toolbar">
      <input
        type="search"
        className="input filter-input"
        aria-label="Filter containers"
        placeholder="Filter by name, image, ID or project"
        value={filterText}
        onChange={(event) => onFilterText(event.target.value)}
      />
      <label className="checkbox">
        <input type="checkbox" checked={runningOnly} onChange={(event) => onRunningOnly(event.target.checked)} />
        Running only
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={allEngines} onChange={(event) => onAllEngines(event.target.checked)} />
        All engines
      </label>
      <button type="button" className="button" disabled={!connected || sizesFetching} onClick={onSizes}>
        {sizesFetching ? 'Computing sizes…' : sizesAsked ? 'Refresh sizes' : 'Show sizes'}
      </button>
      <button type="button" className="button button-primary" disabled={!connected} onClick={onRun}>
        Run…
      </button>
    </div>
  );
}

export interface ContainersBulkBarProps {
  /** How many containers are checked (at least one). */
  readonly count: number;
  readonly connected: boolean;
  readonly onBatch: (action: BatchAction) => void;
  readonly onClear: () => void;
}

/** Start, Stop or Remove every checked container, or clear the checks. */
export function ContainersBulkBar({ count, connected, onBatch, onClear }: ContainersBulkBarProps) {
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Checked containers">
      <span>{count} checked</span>
      <button type="button" className="button" disabled={!connected} onClick={() => onBatch('start')}>
        Start {count}…
      </button>
      <button type="button" className="button" disabled={!connected} onClick={() => onBatch('stop')}>
        Stop {count}…
      </button>
      <button type="button" className="button button-danger" disabled={!connected} onClick={() => onBatch('remove')}>
        Remove {count}…
      </button>
      <button type="button" className="button button-quiet" onClick={onClear}>
        Clear
      </button>
    </div>
  );
}
