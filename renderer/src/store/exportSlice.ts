import type { CallbackView, IpcEvents, PackageOutcome, ReplayOutcome } from '../../../shared/ipc/contract';
import { call, onProgress } from '../api';
import type { SliceCreator } from './types';

export type ProgressEvent = IpcEvents['progress'];

export interface ExportSlice {
  /** The run being packaged (one export at a time), or null. */
  packagingRunId: string | null;
  cancelRequested: boolean;
  progress: ProgressEvent | null;
  /** The last package outcome per run (blockers, credits, ticket) from this session. */
  outcomes: Record<string, PackageOutcome>;
  replays: Record<string, ReplayOutcome>;
  replayingRunId: string | null;
  callbacks: Record<string, CallbackView>;
  sendingCallbackRunId: string | null;
  /**
   * Package & sign. A run ready for delivery first asks where to save the bundle (main's save dialog, with a
   * suggested name); cancelling it changes nothing. A run that is not ready issues its exception ticket.
   */
  packageRun(runId: string): Promise<PackageOutcome | null>;
  /** Shows the run's exported bundle in the file manager. */
  revealBundle(runId: string): Promise<void>;
  cancelPackage(): Promise<void>;
  replayRun(runId: string): Promise<ReplayOutcome | null>;
  sendCallback(runId: string): Promise<void>;
  /** Subscribes to progress events; returns the unsubscribe function. */
  listenForProgress(): () => void;
}

export const createExportSlice: SliceCreator<ExportSlice> = (set, get) => ({
  packagingRunId: null,
  cancelRequested: false,
  progress: null,
  outcomes: {},
  replays: {},
  replayingRunId: null,
  callbacks: {},
  sendingCallbackRunId: null,

  async packageRun(runId) {
    if (get().packagingRunId) {
      get().pushToast({
        kind: 'info',
        title: 'An export is already running',
        message: 'Wait for it to finish or cancel it.',
      });
      return null;
    }
    const view = get().view;
    const deliverable = view?.run.run_id === runId && view.evaluation.deliverable;
    let destination: string | undefined;
    if (deliverable) {
      try {
        const { pick } = await call('dialog.savePath', { suggested_name: `tokenops-${runId}.zip` });
        if (!pick) return null; // The operator cancelled: nothing is debited or written.
        destination = pick.token;
      } catch (e) {
        get().reportError('Could not open the save dialog', e);
        return null;
      }
    }
    set({ packagingRunId: runId, cancelRequested: false, progress: null });
    try {
      const outcome = await call('run.package', { run_id: runId, ...(destination ? { destination } : {}) });
      set({ outcomes: { ...get().outcomes, [runId]: outcome } });
      if (outcome.packaged) {
        get().pushToast({
          kind: 'success',
          title: 'Bundle signed and exported',
          message: outcome.bundle?.path.split(/[\\/]/).pop(),
        });
      } else {
        get().pushToast({
          kind: 'info',
          title: outcome.exception_ticket ? 'Not packaged: an exception ticket was issued' : 'Not packaged',
          message: outcome.blockers.join(' ') || undefined,
        });
      }
      return outcome;
    } catch (e) {
      if (get().cancelRequested)
        get().pushToast({
          kind: 'info',
          title: 'Export cancelled',
          message: 'No bundle was written and no credits were debited.',
        });
      else get().reportError('Could not package the run', e);
      return null;
    } finally {
      set({ packagingRunId: null, progress: null, cancelRequested: false });
      if (get().currentRunId === runId) await get().refreshRun();
    }
  },

  async revealBundle(runId) {
    try {
      await call('shell.revealBundle', { run_id: runId });
    } catch (e) {
      get().reportError('Could not show the bundle', e);
    }
  },

  async cancelPackage() {
    const runId = get().packagingRunId;
    if (!runId) return;
    set({ cancelRequested: true });
    try {
      await call('run.cancelPackage', { run_id: runId });
    } catch (e) {
      set({ cancelRequested: false });
      get().reportError('Could not cancel the export', e);
    }
  },

  async replayRun(runId) {
    set({ replayingRunId: runId });
    try {
      const outcome = await call('run.replay', { run_id: runId });
      set({ replays: { ...get().replays, [runId]: outcome } });
      if (outcome.package) set({ outcomes: { ...get().outcomes, [runId]: outcome.package } });
      get().acceptView(outcome.view);
      const packaged = outcome.package?.packaged;
      get().pushToast({
        kind: packaged ? 'success' : 'info',
        title: packaged ? 'Replayed: the run is packaged' : 'Replayed: evidence still missing',
        message: outcome.resumed_from ? `Resumed from “${outcome.resumed_from}”.` : undefined,
      });
      return outcome;
    } catch (e) {
      get().reportError('Could not replay the run', e);
      return null;
    } finally {
      set({ replayingRunId: null });
    }
  },

  async sendCallback(runId) {
    set({ sendingCallbackRunId: runId });
    try {
      const res = await call('callback.send', { run_id: runId });
      set({ callbacks: { ...get().callbacks, [runId]: res } });
      get().pushToast({
        kind: res.state === 'delivered' ? 'success' : 'info',
        title: `Callback ${res.state.replace(/_/g, ' ')}`,
      });
      if (get().currentRunId === runId) await get().refreshRun();
    } catch (e) {
      get().reportError('Could not send the callback', e);
    } finally {
      set({ sendingCallbackRunId: null });
    }
  },

  listenForProgress() {
    return onProgress((p) => {
      const active = get().packagingRunId;
      if (active && (!p.run_id || p.run_id === active)) set({ progress: p });
      // Intake reports two phases side by side (add-files.ts); keep the latest of each for the top bar.
      else if (get().runBusy && p.run_id === get().currentRunId && (p.phase === 'copying' || p.phase === 'scanning')) {
        set({ intakeProgress: { ...get().intakeProgress, [p.phase === 'copying' ? 'copied' : 'scanned']: p } });
      }
    });
  },
});
