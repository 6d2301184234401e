import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { computeWindow, nearEnd, scrollToShow } from './virtual-window';

/**
 * VirtualList renders only the rows in view (fixed row height) of a
 * keyboard-navigable listbox: arrows, Home/End, PageUp/PageDown move the
 * active row (aria-activedescendant), Enter and Space act on it. Near the
 * end it asks for more rows (keyset paging).
 */
export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  label: string;
  keyOf: (item: T) => string;
  renderRow: (item: T, index: number, active: boolean) => ComponentChildren;
  activeIndex: number;
  onActiveChange: (index: number) => void;
  onEnter?: (item: T, index: number) => void;
  onSpace?: (item: T, index: number) => void;
  onEndReached?: () => void;
  /** Shown under the rows (loading more, the end). */
  footer?: ComponentChildren;
  multiselectable?: boolean;
  idPrefix: string;
}

const OVERSCAN = 4;
const END_THRESHOLD_ROWS = 8;

export function VirtualList<T>(props: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) {
      return undefined;
    }
    setHeight(el.clientHeight || 600);
    if (typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 600));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const input = { scrollTop, viewportHeight: height, rowHeight: props.rowHeight, count: props.items.length, overscan: OVERSCAN };
  const win = computeWindow(input);

  useEffect(() => {
    if (props.onEndReached && props.items.length > 0 && nearEnd(input, END_THRESHOLD_ROWS)) {
      props.onEndReached();
    }
  }, [scrollTop, height, props.items.length]);

  const moveTo = (index: number) => {
    const n = props.items.length;
    if (n === 0) {
      return;
    }
    const i = Math.max(0, Math.min(n - 1, index));
    props.onActiveChange(i);
    const el = ref.current;
    if (el) {
      el.scrollTop = scrollToShow(i, el.scrollTop, el.clientHeight, props.rowHeight);
      setScrollTop(el.scrollTop);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / props.rowHeight) - 1);
    const i = props.activeIndex;
    const item = props.items[i];
    switch (e.key) {
      case 'ArrowDown':
        moveTo(i + 1);
        break;
      case 'ArrowUp':
        moveTo(i - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(props.items.length - 1);
        break;
      case 'PageDown':
        moveTo(i + page);
        break;
      case 'PageUp':
        moveTo(i - page);
        break;
      case 'Enter':
        if (item !== undefined) {
          props.onEnter?.(item, i);
        }
        break;
      case ' ':
        if (item !== undefined && props.onSpace) {
          props.onSpace(item, i);
          break;
        }
        return;
      default:
        return;
    }
    e.preventDefault();
  };

  const active = props.items[props.activeIndex];
  return (
    <div
      class="vlist"
      ref={ref}
      role="listbox"
      aria-label={props.label}
      aria-multiselectable={props.multiselectable ? 'true' : undefined}
      aria-activedescendant={active !== undefined ? `${props.idPrefix}-${props.keyOf(active)}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <div class="vlist-spacer" style={{ height: `${win.total}px` }}>
        <div class="vlist-rows" style={{ transform: `translateY(${win.offset}px)` }}>
          {props.items.slice(win.start, win.end).map((item, k) => {
            const index = win.start + k;
            return (
              <div key={props.keyOf(item)} class="vlist-row" style={{ height: `${props.rowHeight}px` }}>
                {props.renderRow(item, index, index === props.activeIndex)}
              </div>
            );
          })}
        </div>
      </div>
      {props.footer}
    </div>
  );
}
