/** The app's one zustand store, assembled from slices (one concern each). */
import { create } from 'zustand';
import { createNavSlice } from './navSlice';
import { createRunsSlice } from './runsSlice';
import { createCurrentRunSlice } from './currentRunSlice';
import { createExportSlice } from './exportSlice';
import { createVerifySlice } from './verifySlice';
import { createLedgerSlice } from './ledgerSlice';
import { createSettingsSlice } from './settingsSlice';
import { createToastsSlice } from './toastsSlice';
import type { Store } from './types';

export const useStore = create<Store>()((...a) => ({
  ...createNavSlice(...a),
  ...createRunsSlice(...a),
  ...createCurrentRunSlice(...a),
  ...createExportSlice(...a),
  ...createVerifySlice(...a),
  ...createLedgerSlice(...a),
  ...createSettingsSlice(...a),
  ...createToastsSlice(...a),
}));

export type { Store } from './types';
export type { Screen } from './navSlice';
