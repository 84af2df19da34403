import type { LedgerView } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import type { SliceCreator } from './types';

export interface LedgerSlice {
  ledger: LedgerView | null;
  ledgerLoading: boolean;
  ledgerError: string | null;
  loadLedger(): Promise<void>;
}

export const createLedgerSlice: SliceCreator<LedgerSlice> = (set, get) => ({
  ledger: null,
  ledgerLoading: false,
  ledgerError: null,
  async loadLedger() {
    set({ ledgerLoading: true });
    try {
      set({ ledger: await call('ledger.get', {}), ledgerError: null });
    } catch (e) {
      set({ ledgerError: errorMessage(e) });
      get().reportError('Could not read the ledger', e);
    } finally {
      set({ ledgerLoading: false });
    }
  },
});
