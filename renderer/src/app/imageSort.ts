/** The images table's sort: which column, which way, and what a click on a header does. */
export const SORT_COLUMNS = ['repository', 'tag', 'id', 'created', 'size', 'containers'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';
export interface SortState {
  readonly column: SortColumn;
  readonly direction: SortDirection;
}

/** Text columns sort A→Z first; numbers (newest, biggest, most used) first. */
export function defaultDirection(column: SortColumn): SortDirection {
  return column === 'repository' || column === 'tag' || column === 'id' ? 'asc' : 'desc';
}

/** Clicking a header: the same column flips, another column starts in its natural direction. */
export function nextSort(current: SortState, column: SortColumn): SortState {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: defaultDirection(column) };
}
