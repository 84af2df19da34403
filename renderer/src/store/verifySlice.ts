import type { VerifyView } from '../../../shared/ipc/contract';
import { call, errorMessage, pathForFile } from '../api';
import type { SliceCreator } from './types';

export interface VerifySlice {
  verifying: boolean;
  verifyPath: string | null;
  verifyResult: VerifyView | null;
  verifyError: string | null;
  /** Bundles checked in this session, newest first. */
  verifyHistory: VerifyView[];
  verifyBundle(path: string): Promise<VerifyView | null>;
  pickAndVerify(): Promise<void>;
  verifyDropped(files: File[]): Promise<void>;
}

export const createVerifySlice: SliceCreator<VerifySlice> = (set, get) => ({
  verifying: false,
  verifyPath: null,
  verifyResult: null,
  verifyError: null,
  verifyHistory: [],

  async verifyBundle(path) {
    set({ verifying: true, verifyPath: path, verifyResult: null, verifyError: null });
    try {
      const res = await call('bundle.verify', { path });
      set({
        verifyResult: res,
        verifyHistory: [res, ...get().verifyHistory.filter((h) => h.file !== res.file)].slice(0, 8),
      });
      return res;
    } catch (e) {
      set({ verifyError: errorMessage(e) });
      get().reportError('Could not verify the bundle', e);
      return null;
    } finally {
      set({ verifying: false });
    }
  },

  async pickAndVerify() {
    try {
      const { paths } = await call('dialog.pickPaths', { purpose: 'bundle' });
      if (paths[0]) await get().verifyBundle(paths[0]);
    } catch (e) {
      get().reportError('Could not open the file chooser', e);
    }
  },

  async verifyDropped(files) {
    if (!files.length) return;
    if (files.length > 1)
      get().pushToast({
        kind: 'info',
        title: 'One bundle at a time',
        message: `Verifying ${files[0].name}; drop the others one by one.`,
      });
    try {
      await get().verifyBundle(await pathForFile(files[0]));
    } catch (e) {
      get().reportError('Could not read the dropped bundle', e);
    }
  },
});
