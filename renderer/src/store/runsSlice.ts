import type { RunSummary } from '../../../shared/domain/run';
import { call } from '../api';
import type { SliceCreator } from './types';

export interface RunsSlice {
  runs: RunSummary[];
  runsTotal: number;
  runsQuery: string;
  /** The search the rows in `runs` answer ('' for all runs): until it equals runsQuery, a search is on its way. */
  runsFor: string;
  runsLoading: boolean;
  runsLoaded: boolean;
  runsError: string | null;
  setRunsQuery(q: string): void;
  loadRuns(): Promise<void>;
  createRun(input: { title?: string; pre_run?: Record<string, string> }): Promise<string | null>;
}

/** Every run fits: the index is small and the list is windowed, so 10,000 rows cost nothing to hold. */
const LIST_LIMIT = 100_000;
let loadSeq = 0;
/** The revision of the unfiltered list last loaded: a visit or a window focus with nothing new moves no rows. */
let loadedRevision: string | null = null;

export const createRunsSlice: SliceCreator<RunsSlice> = (set, get) => ({
  runs: [],
  runsTotal: 0,
  runsQuery: '',
  runsFor: '',
  runsLoading: false,
  runsLoaded: false,
  runsError: null,
  setRunsQuery(q) {
    set({ runsQuery: q });
  },
  async loadRuns() {
    const seq = ++loadSeq;
    const query = get().runsQuery.trim();
    set({ runsLoading: true });
    try {
      // Asked before the list, so a change in between only makes the next check reload.
      const { revision } = await call('runs.revision', {});
      if (!query && revision === loadedRevision && get().runsLoaded) {
        if (seq === loadSeq) set({ runsLoading: false });
        return;
      }
      const res = await call('runs.list', query ? { query, limit: LIST_LIMIT } : { limit: LIST_LIMIT });
      if (seq !== loadSeq) return; // a newer search won
      loadedRevision = query ? null : revision;
      set({
        runs: res.runs,
        runsFor: query,
        runsTotal: res.total,
        runsLoading: false,
        runsLoaded: true,
        runsError: null,
      });
    } catch (e) {
      if (seq !== loadSeq) return;
      set({ runsLoading: false, runsLoaded: true, runsError: e instanceof Error ? e.message : String(e) });
      get().reportError('Could not list the runs', e);
    }
  },
  async createRun(input) {
    try {
      const pre = Object.fromEntries(
        Object.entries(input.pre_run ?? {})
          .filter(([, v]) => v.trim() !== '')
          .map(([k, v]) => [k, v.trim()]),
      );
      const view = await call('runs.create', {
        ...(input.title?.trim() ? { title: input.title.trim() } : {}),
        ...(Object.keys(pre).length ? { pre_run: pre } : {}),
      });
      get().acceptView(view);
      get().pushToast({ kind: 'success', title: 'Run created', message: view.run.title });
      get().go({ name: 'run', runId: view.run.run_id });
      void get().loadRuns();
      return view.run.run_id;
    } catch (e) {
      get().reportError('Could not create the run', e);
      return null;
    }
  },
});
