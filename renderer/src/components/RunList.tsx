import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { RunSummary } from '../../../shared/domain/run';
import { RunRow } from './RunRow';

/** Must equal --row-h in styles. */
const ROW_HEIGHT = 52;
const OVERSCAN = 6;

interface Props {
  runs: RunSummary[];
  onOpen(runId: string): void;
  /** Lets the search box move focus into the list with ArrowDown. */
  listRef?: React.RefObject<HTMLDivElement | null>;
}

/**
 * A hand-written windowed listbox: only the rows in view (plus a few) are in the DOM, between two SVG
 * spacers whose height attributes stand for the rows above and below (no inline styles under the CSP).
 * Arrow keys, Home/End and Page Up/Down move the active row; Enter opens it.
 */
export function RunList({ runs, onOpen, listRef }: Props) {
  const ownRef = useRef<HTMLDivElement | null>(null);
  const ref = listRef ?? ownRef;
  // The first row in view, not the scroll offset: scrolling within a row renders nothing.
  const [top, setTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  // The active row is remembered by run id, so a refreshed or re-sorted list keeps it.
  const [activeId, setActiveId] = useState<string | null>(null);
  const active = useMemo(() => (activeId ? runs.findIndex((r) => r.run_id === activeId) : -1), [runs, activeId]);
  const n = runs.length;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setViewport(el.clientHeight || 600);
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);

  const moveTo = useCallback(
    (i: number) => {
      if (n === 0) return;
      const idx = Math.max(0, Math.min(n - 1, i));
      setActiveId(runs[idx].run_id);
      const el = ref.current;
      if (!el) return;
      const top = idx * ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    },
    [n, ref, runs],
  );

  const perPage = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);

  function onKeyDown(e: React.KeyboardEvent) {
    const cur = active < 0 ? -1 : active;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(cur + 1);
        break;
      case 'ArrowUp':
        moveTo(cur <= 0 ? 0 : cur - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(n - 1);
        break;
      case 'PageDown':
        moveTo(cur + perPage);
        break;
      case 'PageUp':
        moveTo(cur - perPage);
        break;
      case 'Enter':
      case ' ':
        if (cur >= 0 && runs[cur]) onOpen(runs[cur].run_id);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  const openIndex = useCallback(
    (idx: number) => {
      if (!runs[idx]) return;
      setActiveId(runs[idx].run_id);
      onOpen(runs[idx].run_id);
    },
    [runs, onOpen],
  );

  // Rendered in the scroll event itself (not on React's later task), so the rows that scroll into view
  // are painted in the same frame instead of one frame of blank spacer.
  function onScroll(e: React.UIEvent<HTMLDivElement>) {
    const idx = Math.floor(e.currentTarget.scrollTop / ROW_HEIGHT);
    if (idx !== top) flushSync(() => setTop(idx));
  }

  const first = Math.max(0, top - OVERSCAN);
  const last = Math.min(n, top + Math.ceil(viewport / ROW_HEIGHT) + 1 + OVERSCAN);
  const rows: React.ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const run = runs[i];
    rows.push(<RunRow key={run.run_id} run={run} index={i} setSize={n} active={i === active} onOpen={openIndex} />);
  }

  return (
    <div
      ref={ref}
      className="runlist-scroll"
      role="listbox"
      tabIndex={0}
      aria-label={`Runs, ${n} shown. Use the arrow keys to move and Enter to open.`}
      aria-activedescendant={active >= 0 && active >= first && active < last ? `run-option-${active}` : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (active < 0 && n > 0) moveTo(Math.floor((ref.current?.scrollTop ?? 0) / ROW_HEIGHT));
      }}
      onScroll={onScroll}
      data-testid="run-list"
    >
      <svg className="list-spacer" width="1" height={first * ROW_HEIGHT} aria-hidden="true" focusable="false" />
      {rows}
      <svg className="list-spacer" width="1" height={(n - last) * ROW_HEIGHT} aria-hidden="true" focusable="false" />
    </div>
  );
}
