import { useEffect, useRef, useState } from 'react';
import { useStore } from '../store';
import { formatNumber } from '../format';
import { RunList } from '../components/RunList';
import { NewRunDialog } from '../components/NewRunDialog';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { ScreenHeading } from '../components/ScreenHeading';

const SEARCH_DEBOUNCE_MS = 150;

export function RunsScreen() {
  const runs = useStore((s) => s.runs);
  const total = useStore((s) => s.runsTotal);
  const runsFor = useStore((s) => s.runsFor);
  const loaded = useStore((s) => s.runsLoaded);
  const query = useStore((s) => s.runsQuery);
  const setQuery = useStore((s) => s.setRunsQuery);
  const loadRuns = useStore((s) => s.loadRuns);
  const go = useStore((s) => s.go);
  const [newOpen, setNewOpen] = useState(false);
  const listRef = useRef<HTMLDivElement | null>(null);

  const navCount = useStore((s) => s.navCount);

  // Reload on every visit (the CLI may have written runs meanwhile) and, debounced, on every search.
  useEffect(() => {
    const t = setTimeout(() => void loadRuns(), query ? SEARCH_DEBOUNCE_MS : 0);
    return () => clearTimeout(t);
  }, [query, loadRuns, navCount]);

  // Coming back to the window is another moment the list may be stale.
  useEffect(() => {
    const onFocus = () => void loadRuns();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [loadRuns]);

  const filtered = query.trim() !== '';

  return (
    <div className="screen screen-fill">
      <div className="screen-head">
        <div>
          <ScreenHeading>Runs</ScreenHeading>
          <p>
            {loaded
              ? filtered
                ? runsFor === query.trim()
                  ? `${formatNumber(runs.length)} of ${formatNumber(total)} runs match`
                  : 'Searching…'
                : `${formatNumber(total)} run${total === 1 ? '' : 's'}, newest first`
              : 'Loading runs…'}
          </p>
        </div>
        <div className="screen-actions">
          <button type="button" className="btn btn-primary" onClick={() => setNewOpen(true)}>
            <Icon name="plus" /> New run
          </button>
        </div>
      </div>

      <div className="runs-toolbar">
        <div className="search">
          <span className="search-icon">
            <Icon name="search" />
          </span>
          <input
            className="input"
            type="search"
            aria-label="Search runs"
            placeholder="Search by title, run id, state or status…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                listRef.current?.focus();
              }
            }}
          />
        </div>
        <span className="subtle">↑ ↓ to move, Enter to open</span>
      </div>

      <div className="card runlist">
        <div className="runlist-head" aria-hidden="true">
          <span>Run</span>
          <span>State</span>
          <span>Evidence</span>
          <span>Score</span>
          <span>Steps</span>
          <span>Exceptions</span>
          <span>Updated</span>
        </div>
        {loaded && runs.length === 0 ? (
          filtered ? (
            <EmptyState icon="search" title={`No runs match “${query.trim()}”`}>
              <span>Try a run id, part of a title, or a state such as “partial”.</span>
            </EmptyState>
          ) : (
            <EmptyState icon="runs" title="No runs yet">
              <span>
                Drop a folder of evidence anywhere in this window to start a run with it, or choose New run and walk its
                six evidence steps.
              </span>
            </EmptyState>
          )
        ) : (
          <RunList runs={runs} listRef={listRef} onOpen={(id) => go({ name: 'run', runId: id })} />
        )}
      </div>
      <NewRunDialog open={newOpen} onClose={() => setNewOpen(false)} />
    </div>
  );
}
