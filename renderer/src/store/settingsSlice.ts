import type { SettingsView } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import type { SliceCreator } from './types';

export interface SettingsSlice {
  settings: SettingsView | null;
  settingsLoading: boolean;
  settingsError: string | null;
  loadSettings(): Promise<void>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get) => ({
  settings: null,
  settingsLoading: false,
  settingsError: null,
  async loadSettings() {
    set({ settingsLoading: true });
    try {
      set({ settings: await call('settings.get', {}), settingsError: null });
    } catch (e) {
      set({ settingsError: errorMessage(e) });
      get().reportError('Could not read the settings', e);
    } finally {
      set({ settingsLoading: false });
    }
  },
});
