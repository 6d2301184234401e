// Fixed-height windowing: which rows of a long list to render for a
// scroll position, so the inbox stays fast with thousands of rows.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Rows rendered beyond each edge, for smooth scrolling. */
  overscan: number;
}

export interface WindowRange {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Pixels above the first rendered row. */
  offset: number;
  /** Height of the whole list. */
  total: number;
}

export function computeWindow(w: WindowInput): WindowRange {
  const total = w.count * w.rowHeight;
  if (w.count === 0 || w.rowHeight <= 0) {
    return { start: 0, end: 0, offset: 0, total };
  }
  const first = Math.floor(Math.max(0, w.scrollTop) / w.rowHeight);
  const visible = Math.ceil(Math.max(0, w.viewportHeight) / w.rowHeight) + 1;
  const start = Math.max(0, Math.min(w.count - 1, first) - w.overscan);
  const end = Math.min(w.count, first + visible + w.overscan);
  return { start, end, offset: start * w.rowHeight, total };
}

/** Near enough to the end to ask for the next page. */
export function nearEnd(w: WindowInput, thresholdRows: number): boolean {
  const bottom = w.scrollTop + w.viewportHeight;
  return bottom >= w.count * w.rowHeight - thresholdRows * w.rowHeight;
}

/** The scrollTop that shows row `index` entirely, moving as little as possible. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) {
    return top;
  }
  if (bottom > scrollTop + viewportHeight) {
    return bottom - viewportHeight;
  }
  return scrollTop;
}
