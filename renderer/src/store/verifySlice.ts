import type { PathGrant, VerifyView } from '../../../shared/ipc/contract';
import { call, errorMessage, grantForFile } from '../api';
import type { SliceCreator } from './types';

/** What is verified: a bundle the operator chose (a grant), or the bundle a run exported. */
export type VerifyTarget = { kind: 'file'; pick: PathGrant } | { kind: 'run'; run_id: string; display: string };

interface VerifyHistoryEntry {
  target: VerifyTarget;
  result: VerifyView;
}

export interface VerifySlice {
  verifying: boolean;
  verifyTarget: VerifyTarget | null;
  verifyResult: VerifyView | null;
  verifyError: string | null;
  /** Bundles checked in this session, newest first. */
  verifyHistory: VerifyHistoryEntry[];
  /** While the operator's "trust this signer" is being recorded. */
  trustingSigner: boolean;
  verifyBundle(target: VerifyTarget): Promise<VerifyView | null>;
  pickAndVerify(): Promise<void>;
  verifyDropped(files: File[]): Promise<void>;
  /** Trusts the signer of the bundle on screen under `name`, then verifies it again. */
  trustSigner(name: string): Promise<{ ok: true } | { ok: false; message: string }>;
}

export const targetLabel = (t: VerifyTarget): string => (t.kind === 'file' ? t.pick.display : t.display);
const targetKey = (t: VerifyTarget): string => (t.kind === 'file' ? `file:${t.pick.display}` : `run:${t.run_id}`);

export const createVerifySlice: SliceCreator<VerifySlice> = (set, get) => ({
  verifying: false,
  verifyTarget: null,
  verifyResult: null,
  verifyError: null,
  verifyHistory: [],
  trustingSigner: false,

  async verifyBundle(target) {
    set({ verifying: true, verifyTarget: target, verifyResult: null, verifyError: null });
    try {
      const result =
        target.kind === 'file'
          ? await call('bundle.verify', { grant: target.pick.token })
          : await call('bundle.verifyRun', { run_id: target.run_id });
      const key = targetKey(target);
      set({
        verifyResult: result,
        verifyHistory: [{ target, result }, ...get().verifyHistory.filter((h) => targetKey(h.target) !== key)].slice(
          0,
          8,
        ),
      });
      return result;
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
      const { picks } = await call('dialog.pickPaths', { purpose: 'bundle' });
      if (picks[0]) await get().verifyBundle({ kind: 'file', pick: picks[0] });
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
      await get().verifyBundle({ kind: 'file', pick: await grantForFile(files[0]) });
    } catch (e) {
      get().reportError('Could not read the dropped bundle', e);
    }
  },

  async trustSigner(name) {
    const target = get().verifyTarget;
    const fingerprint = get().verifyResult?.signer;
    if (!target || target.kind !== 'file' || !fingerprint)
      return { ok: false, message: 'Verify a bundle first: its signer is what gets trusted.' };
    set({ trustingSigner: true });
    try {
      await call('trust.addSigner', { grant: target.pick.token, name, fingerprint });
      get().pushToast({ kind: 'success', title: `Trusted ${name}`, message: fingerprint });
      await get().verifyBundle(target);
      return { ok: true };
    } catch (e) {
      return { ok: false, message: errorMessage(e) };
    } finally {
      set({ trustingSigner: false });
    }
  },
});
