import type { SliceCreator } from './types';

export type Screen =
  { name: 'runs' } | { name: 'run'; runId: string } | { name: 'verify' } | { name: 'ledger' } | { name: 'settings' };

export interface NavSlice {
  screen: Screen;
  /** Bumped on every navigation so the shell can move focus to the new screen's heading. */
  navCount: number;
  go(screen: Screen): void;
}

export const createNavSlice: SliceCreator<NavSlice> = (set, get) => ({
  screen: { name: 'runs' },
  navCount: 0,
  go(screen) {
    set({ screen, navCount: get().navCount + 1 });
    if (screen.name === 'run') void get().openRun(screen.runId);
  },
});
