import type { Progress } from '../../../shared/progress';
import type { EvidenceRecord } from '../../../shared/domain/evidence';
import type { CsvColumnMapping } from '../../../shared/domain/csv-mapping';
import type { PreRun } from '../../../shared/domain/run';
import type { IntakeReport, PathGrant, RunView } from '../../../shared/ipc/contract';
import { call, errorCode, errorMessage, grantForFile } from '../api';
import { plural, humanize } from '../format';
import type { SliceCreator } from './types';

/** What a form needs back from an action: success, or the message to show beside it. */
type ActionResult = { ok: true } | { ok: false; message: string };
/** `private_address`: the URL is on a loopback or private network; the form asks before allowing it. */
type CallbackResult = { ok: true; generatedSecret?: string } | { ok: false; message: string; privateAddress?: true };

export interface CurrentRunSlice {
  currentRunId: string | null;
  view: RunView | null;
  runLoading: boolean;
  runError: string | null;
  /** The evidence action in progress, e.g. "Adding files", or null. */
  runBusy: string | null;
  /** While files are taken in: the latest counts of each phase (copying bytes, scanning files). */
  intakeProgress: { copied?: Progress; scanned?: Progress } | null;
  openRun(runId: string): Promise<void>;
  refreshRun(): Promise<void>;
  acceptView(view: RunView): void;
  setPreRun(pre: Partial<PreRun>): Promise<ActionResult>;
  setCallback(url: string, secret: string, allowPrivate?: boolean): Promise<CallbackResult>;
  addRecord(record: EvidenceRecord): Promise<ActionResult>;
  paste(text: string): Promise<ActionResult>;
  /** Adds what the operator chose (grants from the open dialog or a drop: the renderer never names a path). */
  addFiles(picks: PathGrant[]): Promise<ActionResult>;
  addDroppedFiles(files: File[]): Promise<ActionResult>;
  /** A drop with no run open: open a run named for what was dropped, and add it (the app's `pack DIR`). */
  startRunWithDrop(files: File[]): Promise<ActionResult>;
  pickAndAddFiles(): Promise<ActionResult>;
  removeEvidence(evidenceId: string): Promise<ActionResult>;
  excludeFile(fileId: string, reason: string): Promise<ActionResult>;
  replaceFile(fileId: string): Promise<ActionResult>;
  attestFile(fileId: string, attestedBy: string): Promise<ActionResult>;
  redactFile(fileId: string): Promise<ActionResult>;
  /** Reads a CSV whose headers were not recognised with the operator's column mapping. */
  mapColumns(fileId: string, mapping: CsvColumnMapping): Promise<ActionResult>;
  attestAllUnscannable(attestedBy: string): Promise<ActionResult>;
}

let openSeq = 0;

export const createCurrentRunSlice: SliceCreator<CurrentRunSlice> = (set, get) => {
  /** Runs one evidence action against the current run, reporting failure both inline and as a toast. */
  async function act<T>(
    busy: string,
    failure: string,
    fn: (runId: string) => Promise<T>,
    onOk?: (value: T) => void,
  ): Promise<ActionResult> {
    const runId = get().currentRunId;
    if (!runId) {
      const message = 'Open a run first: evidence is always added to one run.';
      get().pushToast({ kind: 'error', title: failure, message });
      return { ok: false, message };
    }
    set({ runBusy: busy, intakeProgress: null });
    try {
      const value = await fn(runId);
      onOk?.(value);
      return { ok: true };
    } catch (e) {
      get().reportError(failure, e);
      return { ok: false, message: errorMessage(e) };
    } finally {
      set({ runBusy: null, intakeProgress: null });
    }
  }

  /** Grants for dropped files (main issues them), or the failure already reported to the person. */
  async function droppedGrants(files: File[]): Promise<{ picks: PathGrant[] } | { ok: false; message: string }> {
    try {
      const picks: PathGrant[] = [];
      for (const f of files) picks.push(await grantForFile(f));
      return { picks };
    } catch (e) {
      get().reportError('Could not read the dropped files', e);
      return { ok: false, message: errorMessage(e) };
    }
  }

  function intakeToast(report: IntakeReport): void {
    const parts = [plural(report.added_files.length, 'file'), plural(report.added_records, 'record')];
    const flagged = report.added_files.filter((f) => f.scan_status === 'findings').length;
    if (report.skipped.length) {
      get().pushToast({
        kind: 'error',
        title: `Skipped ${plural(report.skipped.length, 'path')}`,
        message: report.skipped.map((s) => `${s.path}: ${s.reason}`).join(' · '),
      });
    }
    if (report.added_files.length || report.added_records) {
      get().pushToast({
        kind: flagged ? 'error' : 'success',
        title: flagged
          ? `Added ${parts.join(', ')}: ${plural(flagged, 'file')} holds a secret`
          : `Added ${parts.join(' and ')}`,
        message: report.added_files
          .map(
            (f) =>
              `${f.name} → ${f.classified_as ? humanize(f.classified_as.kind) : f.problem ? 'not readable as evidence' : 'kept as a file'}`,
          )
          .join(' · '),
      });
    }
  }

  return {
    currentRunId: null,
    view: null,
    runLoading: false,
    runError: null,
    runBusy: null,
    intakeProgress: null,

    async openRun(runId) {
      const seq = ++openSeq;
      const same = get().view?.run.run_id === runId;
      set({ currentRunId: runId, runLoading: true, runError: null, ...(same ? {} : { view: null }) });
      try {
        const view = await call('runs.get', { run_id: runId });
        if (seq !== openSeq) return;
        set({ view, runLoading: false });
      } catch (e) {
        if (seq !== openSeq) return;
        set({ runLoading: false, runError: errorMessage(e) });
        get().reportError('Could not open the run', e);
      }
    },

    async refreshRun() {
      const id = get().currentRunId;
      if (id) await get().openRun(id);
    },

    acceptView(view) {
      const current = get().currentRunId;
      if (current === null || current === view.run.run_id) set({ view, currentRunId: view.run.run_id, runError: null });
    },

    setPreRun(pre) {
      return act(
        'Saving',
        'Could not save trust, quote and credit',
        (run_id) => call('runs.setPreRun', { run_id, pre_run: pre }),
        (view) => {
          get().acceptView(view);
          get().pushToast({ kind: 'success', title: 'Trust, quote and credit saved' });
        },
      );
    },

    async setCallback(url, secret, allowPrivate) {
      const runId = get().currentRunId;
      if (!runId) return { ok: false, message: 'Open a run first.' };
      set({ runBusy: 'Saving' });
      try {
        const { generated_secret, ...view } = await call('runs.setCallback', {
          run_id: runId,
          url,
          ...(secret ? { secret } : {}),
          ...(allowPrivate ? { allow_private: true } : {}),
        });
        get().acceptView(view);
        get().pushToast({ kind: 'success', title: 'Callback destination saved', message: view.run.callback?.url });
        // Kept only in the form that shows it once, never in the store.
        return { ok: true, ...(generated_secret ? { generatedSecret: generated_secret } : {}) };
      } catch (e) {
        // Not a failure to report: the form asks the operator whether that address is meant.
        if (errorCode(e) === 'private_destination')
          return { ok: false, message: errorMessage(e), privateAddress: true };
        get().reportError('Could not save the callback destination', e);
        return { ok: false, message: errorMessage(e) };
      } finally {
        set({ runBusy: null });
      }
    },

    addRecord(record) {
      return act(
        'Adding record',
        `Could not add the ${humanize(record.kind).toLowerCase()}`,
        (run_id) => call('evidence.addRecord', { run_id, record, source: 'form' }),
        (view) => {
          get().acceptView(view);
          get().pushToast({ kind: 'success', title: `Added ${humanize(record.kind).toLowerCase()}` });
        },
      );
    },

    paste(text) {
      return act(
        'Reading pasted evidence',
        'Could not read the pasted evidence',
        (run_id) => call('evidence.paste', { run_id, text }),
        (res) => {
          get().acceptView(res.view);
          const kinds = [...new Set(res.added.map((a) => humanize(a.kind).toLowerCase()))];
          get().pushToast({
            kind: res.added.length ? 'success' : 'info',
            title: res.added.length
              ? `Added ${plural(res.added.length, 'record')} from the paste`
              : 'Nothing was added from the paste',
            message: kinds.length ? `Read as: ${kinds.join(', ')}` : undefined,
          });
        },
      );
    },

    addFiles(picks) {
      return act(
        'Adding files',
        'Could not add the files',
        (run_id) => call('evidence.addFiles', { run_id, grants: picks.map((p) => p.token) }),
        (res) => {
          get().acceptView(res.view);
          intakeToast(res.report);
        },
      );
    },

    async addDroppedFiles(files) {
      if (!files.length) return { ok: true };
      const dropped = await droppedGrants(files);
      return 'picks' in dropped ? get().addFiles(dropped.picks) : dropped;
    },

    async startRunWithDrop(files) {
      if (!files.length) return { ok: true };
      const dropped = await droppedGrants(files);
      if (!('picks' in dropped)) return dropped;
      const { picks } = dropped;
      const first = picks[0].name || 'dropped evidence';
      const title =
        picks.length === 1 ? `Evidence from ${first}` : `Evidence from ${first} and ${picks.length - 1} more`;
      const runId = await get().createRun({ title });
      if (!runId) return { ok: false, message: 'The run could not be created.' };
      return get().addFiles(picks);
    },

    async pickAndAddFiles() {
      let picks: PathGrant[];
      try {
        picks = (await call('dialog.pickPaths', { purpose: 'evidence' })).picks;
      } catch (e) {
        get().reportError('Could not open the file chooser', e);
        return { ok: false, message: errorMessage(e) };
      }
      if (!picks.length) return { ok: true };
      return get().addFiles(picks);
    },

    removeEvidence(evidenceId) {
      return act(
        'Removing',
        'Could not remove the record',
        (run_id) => call('evidence.remove', { run_id, evidence_id: evidenceId }),
        (view) => {
          get().acceptView(view);
          get().pushToast({ kind: 'success', title: 'Record removed' });
        },
      );
    },

    excludeFile(fileId, reason) {
      return act(
        'Excluding file',
        'Could not exclude the file',
        (run_id) => call('files.exclude', { run_id, file_id: fileId, reason }),
        (view) => {
          get().acceptView(view);
          const name = view.run.files.find((f) => f.file_id === fileId)?.name ?? 'The file';
          get().pushToast({
            kind: 'success',
            title: 'File excluded',
            message: `${name} will not be evaluated or packaged.`,
          });
        },
      );
    },

    async replaceFile(fileId) {
      let picks: PathGrant[];
      try {
        picks = (await call('dialog.pickPaths', { purpose: 'replacement' })).picks;
      } catch (e) {
        get().reportError('Could not open the file chooser', e);
        return { ok: false, message: errorMessage(e) };
      }
      if (!picks.length) return { ok: true };
      return act(
        'Replacing file',
        'Could not replace the file',
        (run_id) => call('files.replace', { run_id, file_id: fileId, grant: picks[0].token }),
        (res) => {
          get().acceptView(res.view);
          intakeToast(res.report);
        },
      );
    },

    attestFile(fileId, attestedBy) {
      return act(
        'Attesting',
        'Could not record the attestation',
        (run_id) => call('files.attest', { run_id, file_id: fileId, attested_by: attestedBy }),
        (view) => {
          get().acceptView(view);
          get().pushToast({ kind: 'success', title: 'Attestation recorded', message: `Attested by ${attestedBy}.` });
        },
      );
    },

    redactFile(fileId) {
      return act(
        'Redacting',
        'Could not redact the file',
        (run_id) => call('files.redact', { run_id, file_id: fileId }),
        (res) => {
          get().acceptView(res.view);
          const copy = res.report.added_files[0];
          get().pushToast({
            kind: 'success',
            title: 'File redacted',
            message: `${res.masked} finding${res.masked === 1 ? '' : 's'} masked; ${copy?.name ?? 'the copy'} is the evidence now.`,
          });
        },
      );
    },

    mapColumns(fileId, mapping) {
      return act(
        'Reading the columns',
        'Could not read the file with this mapping',
        (run_id) => call('files.mapColumns', { run_id, file_id: fileId, mapping }),
        (view) => {
          get().acceptView(view);
          const file = view.run.files.find((f) => f.file_id === fileId);
          const records = file?.classified_as?.records ?? 0;
          get().pushToast({
            kind: 'success',
            title: 'Columns mapped',
            message: `${file?.name ?? 'The file'} reads as ${records} ${mapping.layout === 'credit_ledger' ? 'credit ledger' : 'usage'} row${records === 1 ? '' : 's'}; exports with these headers are read this way from now on.`,
          });
        },
      );
    },

    attestAllUnscannable(attestedBy) {
      return act(
        'Attesting',
        'Could not record the attestation',
        (run_id) => call('files.attestUnscannable', { run_id, attested_by: attestedBy }),
        (res) => {
          get().acceptView(res.view);
          get().pushToast({
            kind: 'success',
            title: `${res.attested.length} file${res.attested.length === 1 ? '' : 's'} attested`,
            message: `Attested by ${attestedBy}.`,
          });
        },
      );
    },
  };
};
