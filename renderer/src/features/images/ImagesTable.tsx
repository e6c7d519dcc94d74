import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useUi } from '../../app/uiStore';
import { formatBytes, formatExact, formatRelative } from '../../lib/format';
import type { SortColumn, SortState } from '../../app/imageSort';
import type { ImageRow } from './viewModel';
import { computeWindow, scrollToRow } from './virtualWindow';
import './selection.css';

export const ROW_HEIGHT = 32;
const OVERSCAN = 8;
/** Used until the scroll box is measured (and in environments without layout). */
const FALLBACK_VIEWPORT = 640;

const COLUMNS: readonly { readonly id: SortColumn; readonly label: string; readonly numeric?: boolean }[] = [
  { id: 'repository', label: 'Repository' },
  { id: 'tag', label: 'Tag' },
  { id: 'id', label: 'Image ID' },
  { id: 'created', label: 'Created' },
  { id: 'size', label: 'Size', numeric: true },
  { id: 'containers', label: 'Containers', numeric: true },
];

export interface RowAction {
  readonly id: string;
  readonly label: string;
  /** The button's accessible name for a row: `Tag lab/app:1.0`. */
  readonly ariaLabel: (name: string) => string;
  readonly run: (row: ImageRow) => void;
  /** Shown only for rows this answers true for (Push needs a tag). */
  readonly applies?: (row: ImageRow) => boolean;
}

export interface ImagesTableProps {
  readonly rows: readonly ImageRow[];
  readonly sort: SortState;
  readonly onSort: (column: SortColumn) => void;
  readonly selectedKey: string | undefined;
  readonly onSelect: (key: string) => void;
  readonly onRemove: (row: ImageRow) => void;
  /** Opens the History view for the row's image. */
  readonly onHistory?: (row: ImageRow) => void;
  /** Further row actions (Details, Tag, Push, Save), shown before History and Remove. */
  readonly actions?: readonly RowAction[];
  /** Row index to bring into view (changes trigger a scroll). */
  readonly scrollToIndex?: number | undefined;
  readonly now: number;
  /** Row keys ticked for a batch action; when given (with onCheck), a checkbox column shows. */
  readonly checkedKeys?: ReadonlySet<string>;
  /** Ticks or unticks rows (the header checkbox passes every row). */
  readonly onCheck?: (keys: readonly string[], checked: boolean) => void;
}

function ariaSort(sort: SortState, column: SortColumn): 'ascending' | 'descending' | 'none' {
  if (sort.column !== column) return 'none';
  return sort.direction === 'asc' ? 'ascending' : 'descending';
}

/** The images table, virtualised by hand: fixed row height, only visible rows (+ overscan) in the DOM. */
export function ImagesTable({
  rows,
  sort,
  onSort,
  selectedKey,
  onSelect,
  onRemove,
  onHistory,
  actions = [],
  scrollToIndex,
  now,
  checkedKeys,
  onCheck,
}: ImagesTableProps) {
  const checkable = checkedKeys !== undefined && onCheck !== undefined;
  const checkedCount = checkable ? rows.filter((row) => checkedKeys.has(row.key)).length : 0;
  const allChecked = rows.length > 0 && checkedCount === rows.length;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT);

  useLayoutEffect(() => {
    const node = scroller.current;
    if (node === null) return undefined;
    const measure = (): void => {
      if (node.clientHeight > 0) setViewportHeight(node.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const node = scroller.current;
    if (scrollToIndex === undefined || node === null) return;
    const target = scrollToRow(scrollToIndex, {
      scrollTop: node.scrollTop,
      viewportHeight,
      rowHeight: ROW_HEIGHT,
      rowCount: rows.length,
      overscan: OVERSCAN,
    });
    if (target !== undefined) {
      node.scrollTop = target;
      setScrollTop(target);
    }
    // Only when asked to scroll to another row, not on every resize.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollToIndex]);

  const onScroll = useCallback(() => {
    const node = scroller.current;
    if (node !== null) setScrollTop(node.scrollTop);
  }, []);

  const win = computeWindow({
    scrollTop,
    viewportHeight,
    rowHeight: ROW_HEIGHT,
    rowCount: rows.length,
    overscan: OVERSCAN,
  });
  const visible = rows.slice(win.start, win.end);

  return (
    <div
      className={`images-table${checkable ? ' has-checks' : ''}`}
      role="table"
      aria-label="Images"
      aria-rowcount={rows.length + 1}
    >
      <div className="images-head" role="rowgroup">
        <div className="images-row images-row-head" role="row" aria-rowindex={1}>
          {COLUMNS.map((column) => (
            <div
              key={column.id}
              role="columnheader"
              aria-sort={ariaSort(sort, column.id)}
              className={column.numeric === true ? 'cell-numeric' : undefined}
            >
              <button type="button" className="sort-button" onClick={() => onSort(column.id)}>
                {column.label}
                <span className="sort-indicator" aria-hidden="true">
                  {sort.column === column.id ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            </div>
          ))}
          <div role="columnheader" className="cell-actions">
            <span className="visually-hidden">Actions</span>
          </div>
          {checkable ? (
            <div role="columnheader" className="cell-check">
              <input
                type="checkbox"
                aria-label="Select all shown images"
                checked={allChecked}
                ref={(node) => {
                  if (node !== null) node.indeterminate = checkedCount > 0 && !allChecked;
                }}
                onChange={(event) =>
                  onCheck(
                    rows.map((row) => row.key),
                    event.target.checked,
                  )
                }
              />
            </div>
          ) : null}
        </div>
      </div>
      <div className="images-body" role="rowgroup" ref={scroller} onScroll={onScroll} data-testid="images-scroll">
        <div className="images-spacer" style={{ height: win.totalHeight }}>
          {visible.map((row, i) => {
            const index = win.start + i;
            const selected = row.key === selectedKey;
            return (
              <div
                key={row.key}
                role="row"
                aria-rowindex={index + 2}
                aria-selected={selected}
                aria-label={row.dangling ? `${row.repoTag} ${row.shortId}` : row.repoTag}
                data-testid={`image-row:${row.repoTag}`}
                className={`images-row${selected ? ' is-selected' : ''}${index % 2 === 1 ? ' is-odd' : ''}`}
                style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
                onClick={() => onSelect(row.key)}
              >
                <div
                  role="cell"
                  className={`cell-text${row.repository === '<none>' ? ' is-none' : ''}`}
                  title={row.repository}
                >
                  {row.repository}
                </div>
                <div role="cell" className={`cell-text${row.tag === '<none>' ? ' is-none' : ''}`} title={row.tag}>
                  {row.tag}
                </div>
                <div role="cell" className="cell-mono" title={row.imageId}>
                  {row.shortId}
                </div>
                <div role="cell" title={formatExact(row.created * 1000)}>
                  {formatRelative(row.created * 1000, now)}
                </div>
                <div role="cell" className="cell-numeric">
                  {formatBytes(row.size)}
                </div>
                <div role="cell" className="cell-numeric">
                  {row.containers < 0 ? '—' : row.containers}
                </div>
                <div role="cell" className="cell-actions">
                  {actions
                    .filter((action) => action.applies?.(row) ?? true)
                    .map((action) => (
                      <button
                        key={action.id}
                        type="button"
                        className={`button button-small button-quiet button-${action.id}`}
                        aria-label={action.ariaLabel(row.dangling ? row.shortId : row.repoTag)}
                        onClick={(event) => {
                          event.stopPropagation();
                          action.run(row);
                        }}
                      >
                        {action.label}
                      </button>
                    ))}
                  {onHistory === undefined ? null : (
                    <button
                      type="button"
                      className="button button-small button-quiet button-history"
                      aria-label={`History of ${row.dangling ? row.shortId : row.repoTag}`}
                      onClick={(event) => {
                        event.stopPropagation();
                        onHistory(row);
                      }}
                    >
                      History
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-small button-quiet button-run"
                    aria-label={`Run ${row.dangling ? row.shortId : row.repoTag}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      useUi.getState().openDialog({ kind: 'run', image: row.dangling ? row.imageId : row.repoTag });
                    }}
                  >
                    Run…
                  </button>
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    aria-label={`Remove ${row.dangling ? row.shortId : row.repoTag}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      onRemove(row);
                    }}
                  >
                    Remove
                  </button>
                </div>
                {checkable ? (
                  <div role="cell" className="cell-check">
                    <input
                      type="checkbox"
                      aria-label={`Select ${row.dangling ? row.shortId : row.repoTag}`}
                      checked={checkedKeys.has(row.key)}
                      onClick={(event) => event.stopPropagation()}
                      onChange={(event) => onCheck([row.key], event.target.checked)}
                    />
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
