import type { StateCreator } from 'zustand';
import type { NavSlice } from './navSlice';
import type { RunsSlice } from './runsSlice';
import type { CurrentRunSlice } from './currentRunSlice';
import type { ExportSlice } from './exportSlice';
import type { VerifySlice } from './verifySlice';
import type { LedgerSlice } from './ledgerSlice';
import type { SettingsSlice } from './settingsSlice';
import type { ToastsSlice } from './toastsSlice';

export type Store = NavSlice &
  RunsSlice &
  CurrentRunSlice &
  ExportSlice &
  VerifySlice &
  LedgerSlice &
  SettingsSlice &
  ToastsSlice;

export type SliceCreator<T> = StateCreator<Store, [], [], T>;
