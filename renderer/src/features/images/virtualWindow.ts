/** Which rows of a fixed-row-height list to render for a scroll position. */

export interface WindowInput {
  readonly scrollTop: number;
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly rowCount: number;
  /** Rows rendered beyond each edge so fast scrolling shows no gaps. */
  readonly overscan: number;
}

export interface VirtualWindow {
  /** First row index to render (inclusive). */
  readonly start: number;
  /** Last row index to render (exclusive). */
  readonly end: number;
  /** Height of the spacer holding every row, in px. */
  readonly totalHeight: number;
}

export function computeWindow(input: WindowInput): VirtualWindow {
  const { rowHeight, rowCount, overscan } = input;
  const totalHeight = rowCount * rowHeight;
  if (rowCount === 0 || rowHeight <= 0) return { start: 0, end: 0, totalHeight: Math.max(0, totalHeight) };
  const viewport = Math.max(0, input.viewportHeight);
  const maxScroll = Math.max(0, totalHeight - viewport);
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxScroll);
  const firstVisible = Math.floor(scrollTop / rowHeight);
  const lastVisible = Math.ceil((scrollTop + viewport) / rowHeight);
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(rowCount, Math.max(lastVisible, firstVisible + 1) + overscan);
  return { start, end, totalHeight };
}

/** The scrollTop that brings row `index` into view, or undefined when it already is. */
export function scrollToRow(index: number, current: WindowInput): number | undefined {
  const top = index * current.rowHeight;
  const bottom = top + current.rowHeight;
  if (top < current.scrollTop) return top;
  if (bottom > current.scrollTop + current.viewportHeight) return Math.max(0, bottom - current.viewportHeight);
  return undefined;
}
