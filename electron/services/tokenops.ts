/**
 * The TokenOps services facade: one object that the Electron main process, the CLI and the
 * end-to-end bridge all drive. `handlers` implements every service channel of the IPC contract.
 */
import type { CsvColumnMapping } from '../../shared/domain/csv-mapping';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { TokenOpsError } from '../../shared/errors';
import type { Run, RunSummary } from '../../shared/domain/run';
import { DEFAULT_PRE_RUN } from '../../shared/domain/run';
import type {
  CallbackView,
  IpcOutput,
  PackageOutcome,
  ReplayOutcome,
  RunView,
  ServiceChannel,
  ServiceInput,
  ServiceOutput,
} from '../../shared/ipc/contract';
import { IPC_CHANNELS, SHELL_CHANNELS } from '../../shared/ipc/contract';
import { buildToolManifest } from '../../shared/manifest';
import { buildEvidenceManifest } from '../../shared/builders';
import type { EvidenceManifest } from '../../shared/domain/outputs';
import type { Progress } from '../../shared/progress';
import { Outbox, type RetryPolicy } from './callbacks';
import type { ServiceContext } from './context';
import { homeLayout } from './home';
import { newId, nowIso } from './ids';
import type { KeyProtector, LoadedSigner } from './keys';
import { loadOrCreateSigner } from './keys';
import { exists, keyPaths } from './keys/key-file';
import { keyIdOf } from './keys/key-id';
import { addTrustedKey, listTrustedKeys, removeTrustedKey, type TrustedKey } from './keys/trusted-keys';
import type { VerifyView } from '../../shared/ipc/contract';
import { Ledgers } from './ledgers';
import { callbackView, markDelivered, sendCallback, setCallback } from './packaging/callback-commands';
import { packageRun, receiptIdOf } from './packaging/package-run';
import { checkOutPath } from './packaging/out-path';
import { replayRun } from './packaging/replay-run';
import { verifyBundleView } from './packaging/verify-view';
import { verifyBundle } from './bundle/verify-bundle';
import { checkDestinationUrl } from './callbacks/destinations';
import * as evidence from './runs/evidence-commands';
import { summarize, viewOf } from './runs/run-view';
import { openRunStore } from './store';
import { CLI_COMMANDS, CLI_SPECS, usageArguments, type CliSpec } from './cli-commands';

export interface TokenOpsOptions {
  home: string;
  /** Readers take no writer lock (run list, show, verify while the app is open). */
  readOnly?: boolean;
  keyProtector?: KeyProtector;
  onProgress?: (p: Progress & { run_id?: string }) => void;
  lockWaitMs?: number;
  callbackRetry?: Partial<RetryPolicy>;
  callbackTimeoutMs?: number;
}

/** The services' handlers, keyed like the IPC contract but taking real paths (the CLI, MCP, and main after grants). */
export type ServiceHandlers = { [C in ServiceChannel]: (input: ServiceInput<C>) => Promise<ServiceOutput<C>> };

export interface PackInput {
  dir: string;
  out: string;
  title?: string;
  callbackUrl?: string;
  callbackSecret?: string;
  /** The callback URL may be on a loopback or private-network address (the operator said so). */
  allowPrivate?: boolean;
  /** Who attests every unscannable file (images, PDFs) of the folder, after looking at them. */
  attestUnscannable?: string;
  /** Overwrite an existing file at `out` that is not a TokenOps bundle. */
  force?: boolean;
  /** The operator's column mapping for CSV exports no layout recognises (`--csv-map`); remembered once used. */
  csvMapping?: CsvColumnMapping;
}

export interface PackResult extends PackageOutcome {
  callback: IpcOutput<'callback.send'> | null;
  /** What the folder gave: files taken in, and every entry left out with its reason (never silent). */
  intake: {
    added_files: number;
    added_records: number;
    skipped: Array<{ path: string; reason: string }>;
    attested: string[];
    /** Files kept whose content could not be read as records, each with why (a CSV whose headers are not known…). */
    unread: Array<{ file_id: string; name: string; problem: string }>;
  };
}

export class TokenOps {
  readonly handlers: ServiceHandlers;
  private signerPromise?: Promise<LoadedSigner>;
  private readonly cancels = new Map<string, { cancelled: boolean }>();

  private constructor(
    readonly ctx: ServiceContext,
    readonly ledgers: Ledgers,
    readonly outbox: Outbox,
    private readonly opts: TokenOpsOptions,
  ) {
    this.handlers = this.buildHandlers();
  }

  static async open(opts: TokenOpsOptions): Promise<TokenOps> {
    const layout = homeLayout(opts.home);
    if (!opts.readOnly) await mkdir(opts.home, { recursive: true });
    const store = await openStore(opts);
    const ctx: ServiceContext = { layout, store, now: nowIso, newId: (p) => newId(p), onProgress: opts.onProgress };
    const outbox = new Outbox({
      home: opts.home,
      ...(opts.callbackRetry ? { retry: opts.callbackRetry } : {}),
      ...(opts.callbackTimeoutMs ? { timeoutMs: opts.callbackTimeoutMs } : {}),
    });
    const holder: { t?: TokenOps } = {};
    const ledgers = new Ledgers(layout, () => holder.t!.signer());
    ctx.receiptFor = async (runId) => {
      const { receipts } = await ledgers.open();
      const line = await receipts.get(receiptIdOf(runId));
      return line?.entry.receipt_id;
    };
    holder.t = new TokenOps(ctx, ledgers, outbox, opts);
    return holder.t;
  }

  /** The home's signing key, created on first use. */
  signer(): Promise<LoadedSigner> {
    this.signerPromise ??= loadOrCreateSigner(
      this.opts.home,
      this.opts.keyProtector ? { protect: this.opts.keyProtector } : {},
    );
    return this.signerPromise;
  }

  async close(): Promise<void> {
    await this.ctx.store.close();
  }

  /**
   * Runs `wait` with the writer lock released, so other commands (and the app) can use the data folder
   * meanwhile, then takes the lock again and reads afresh what they changed. For waits a person did not
   * ask to block on: a receiver's Retry-After between callback attempts.
   */
  async whileUnlocked<T>(wait: () => Promise<T>): Promise<T> {
    if (this.opts.readOnly) return wait();
    await this.ctx.store.close();
    this.ledgers.forget();
    try {
      return await wait();
    } finally {
      this.ctx.store = await openStore(this.opts);
    }
  }

  /**
   * \`callback send\` for the CLI: the attempts due within \`budgetMs\` (30 s by default), sleeping between them
   * without the writer lock; a receiver that asks for longer (Retry-After: 3600) leaves the message pending
   * with its next attempt time rather than this command sleeping for an hour.
   */
  sendCallbackWithin(runId: string, budgetMs = CALLBACK_SEND_BUDGET_MS): Promise<CallbackView> {
    return this.attemptWithin(() => this.handlers['callback.send']({ run_id: runId }), budgetMs);
  }

  /** \`callback retry MESSAGE\`: a failed callback is requeued (same webhook-id), then sent like \`callback send\`. */
  async retryCallback(messageId: string, budgetMs = CALLBACK_SEND_BUDGET_MS): Promise<CallbackView> {
    const queued = await this.outbox.requeue(messageId);
    return this.attemptWithin(async () => {
      const sent = await this.outbox.deliverUntilSettled(messageId, { maxWaitMs: 0 });
      if (sent.state === 'delivered') await markDelivered(this.ctx, queued.run_id, messageId).catch(ignoreNotFound);
      return callbackView(sent);
    }, budgetMs);
  }

  /**
   * The app's background delivery: every pending callback that is due now gets its attempt, and a delivered
   * one completes its run. Main calls this on a timer, so a receiver that asked for an hour gets its retry.
   */
  async deliverDueCallbacks(): Promise<CallbackView[]> {
    const processed = await this.outbox.deliverDue();
    for (const m of processed)
      if (m.state === 'delivered') await markDelivered(this.ctx, m.run_id, m.message_id).catch(ignoreNotFound);
    return processed.map(callbackView);
  }

  private async attemptWithin(step: () => Promise<CallbackView>, budgetMs: number): Promise<CallbackView> {
    const deadline = Date.now() + budgetMs;
    let sent = await step();
    while (sent.state === 'pending' && sent.next_attempt_at) {
      const wait = Math.max(0, Date.parse(sent.next_attempt_at) - Date.now());
      if (Date.now() + wait > deadline) break;
      await this.whileUnlocked(() => new Promise((r) => setTimeout(r, wait)));
      sent = await step();
    }
    return sent;
  }

  /**
   * Key ids of the signers this home trusts: its own signing key (if it has one; never created
   * here, so a read-only verify writes nothing) and the trust keyring.
   */
  async trustedKeyIds(): Promise<string[]> {
    const paths = keyPaths(this.opts.home);
    const own: string[] = [];
    if ((await exists(paths.pem)) || (await exists(paths.enc))) {
      // An OS-keychain key this process cannot open is simply not counted; the keyring still is.
      const signer = await this.signer().catch(() => null);
      if (signer) own.push(signer.keyId);
    }
    return [...own, ...(await listTrustedKeys(this.opts.home)).map((k) => k.key_id)];
  }

  /** Verify a bundle against the home's trusted signers, plus `extraKeyPems` trusted for this call only. */
  async verify(path: string, extraKeyPems: string[] = []): Promise<VerifyView> {
    const extra = extraKeyPems.map((pem) => keyIdOf(pem));
    return verifyBundleView(path, [...(await this.trustedKeyIds()), ...extra]);
  }

  /**
   * Trusts the signer of the bundle at `path`, as the operator saw it on the verify screen. The key comes
   * from the bundle itself and only once its signature verifies with it, and only if it is still the key
   * with `fingerprint`: a bundle swapped between the check and the click adds nothing.
   */
  async trustSigner(path: string, name: string, fingerprint: string): Promise<TrustedKey> {
    const report = await verifyBundle(path, { trustedKeyIds: [] });
    if (!report.signerPublicKeyPem)
      throw new TokenOpsError(
        'bundle_invalid',
        `${path} has no signature that verifies, so there is no signer to trust. Verify it again to see why.`,
      );
    if (report.signerFingerprint !== fingerprint)
      throw new TokenOpsError(
        'conflict',
        `The bundle is now signed by ${report.signerFingerprint}, not ${fingerprint} as checked; nothing was trusted. Verify it again.`,
      );
    return this.trustAdd(report.signerPublicKeyPem, name);
  }

  /** Verifies the bundle this run exported (its path comes from the store, never from the caller). */
  async verifyRunBundle(runId: string): Promise<VerifyView> {
    const run = await this.ctx.store.get(runId);
    const path = run.outputs?.bundle?.path;
    if (!path) throw new TokenOpsError('not_found', `Run ${runId} has not exported a bundle yet.`);
    return this.verify(path);
  }

  trustList(): Promise<TrustedKey[]> {
    return listTrustedKeys(this.opts.home);
  }

  trustAdd(publicKeyPem: string, name: string): Promise<TrustedKey> {
    return addTrustedKey(this.opts.home, publicKeyPem, name, nowIso());
  }

  trustRemove(ref: string): Promise<TrustedKey> {
    return removeTrustedKey(this.opts.home, ref);
  }

  /** The evidence summary: every usable record and file, where it came from and where it lies in the bundle. */
  async evidenceSummary(runId: string): Promise<EvidenceManifest> {
    const { run } = await this.handlers['runs.get']({ run_id: runId });
    return buildEvidenceManifest({
      run_id: run.run_id,
      now: nowIso(),
      pre_run: run.pre_run,
      evidence: run.evidence,
      files: run.files,
    });
  }

  async replay(runId: string, outPath?: string): Promise<ReplayOutcome> {
    return replayRun(this.packagingDeps(), runId, outPath);
  }

  /** One shot: a folder in, a signed bundle out (or an exception ticket), optionally the callback sent. */
  async pack(input: PackInput): Promise<PackResult> {
    // Refuse a missing folder before a run exists, so a typo leaves no empty run behind.
    const dir = await stat(input.dir).catch(() => null);
    if (!dir)
      throw new TokenOpsError(
        'not_found',
        `No folder at ${input.dir}: it does not exist. Give the folder that holds the run's evidence.`,
      );
    if (!dir.isDirectory())
      throw new TokenOpsError(
        'usage',
        `${input.dir} is a file: pack takes the folder that holds the run's evidence (to add one file to a run, use tokenops evidence add RUN FILE).`,
      );
    if ((await readdir(input.dir)).length === 0)
      throw new TokenOpsError(
        'usage',
        `${input.dir} is empty: pack takes the folder that holds the run's evidence. Nothing was created.`,
      );
    await checkOutPath(input.out, this.ctx.layout.home, { force: input.force });
    // Before any run exists: a refused callback URL must not leave a half-made run behind.
    if (input.callbackUrl) checkDestinationUrl(input.callbackUrl, input.allowPrivate === true);
    const created = await this.handlers['runs.create']({ title: input.title ?? `pack ${input.dir}` });
    const runId = created.run.run_id;
    const added = await this.handlers['evidence.addFiles']({
      run_id: runId,
      paths: [input.dir],
      ...(input.csvMapping ? { csv_mapping: input.csvMapping } : {}),
    });
    let attested: string[] = [];
    if (input.attestUnscannable && added.report.added_files.some((f) => f.scan_status === 'unscannable')) {
      attested = (
        await this.handlers['files.attestUnscannable']({ run_id: runId, attested_by: input.attestUnscannable })
      ).attested;
    }
    const intake = {
      added_files: added.report.added_files.length,
      added_records: added.report.added_records,
      skipped: added.report.skipped,
      attested,
      unread: added.report.added_files.flatMap((f) =>
        f.problem ? [{ file_id: f.file_id, name: f.name, problem: f.problem }] : [],
      ),
    };
    if (input.callbackUrl) {
      await this.handlers['runs.setCallback']({
        run_id: runId,
        url: input.callbackUrl,
        ...(input.callbackSecret ? { secret: input.callbackSecret } : {}),
        ...(input.allowPrivate ? { allow_private: true } : {}),
      });
    }
    const pkg = await this.handlers['run.package']({
      run_id: runId,
      out_path: input.out,
      ...(input.force ? { force: true } : {}),
    });
    const callback = input.callbackUrl && pkg.packaged ? await this.sendCallbackWithin(runId) : null;
    return { ...pkg, callback, intake };
  }

  /** What this session restored from backups (damaged run files, a rebuilt index), for the CLI to say. */
  recoveries(): ReadonlyArray<{ file: string; from: string; reason: string }> {
    return this.ctx.store.recovered;
  }

  /** A view of a run whose file was restored says so, cross-checked with the receipt ledger. */
  private async withRecovery(view: RunView): Promise<RunView> {
    const id = view.run.run_id;
    const restored = this.ctx.store.recovered.find((r) => r.file.endsWith(`${id}.json`));
    if (!restored) return view;
    const receipt = view.run.outputs ? undefined : await this.ctx.receiptFor?.(id);
    return {
      ...view,
      recovered_from_backup: {
        from: restored.from,
        reason: restored.reason,
        ...(receipt ? { receipt_in_ledger: receipt } : {}),
      },
    };
  }

  private packagingDeps() {
    return {
      ctx: this.ctx,
      ledgers: this.ledgers,
      outbox: this.outbox,
      signer: () => this.signer(),
      cancelToken: (runId: string) => {
        const token = { cancelled: false };
        this.cancels.set(runId, token);
        return { token, release: () => this.cancels.delete(runId) };
      },
    };
  }

  private buildHandlers(): ServiceHandlers {
    const ctx = this.ctx;
    return {
      'manifest.get': async () =>
        buildToolManifest({
          ipcChannels: IPC_CHANNELS.filter((c) => !(SHELL_CHANNELS as readonly string[]).includes(c)),
          cliCommands: CLI_COMMANDS.map((name) => {
            const spec: CliSpec = CLI_SPECS[name];
            return {
              name,
              description: spec.summary,
              usage: spec.usage,
              arguments: usageArguments(spec.usage),
              flags: Object.entries(spec.options ?? {}).map(([flag, o]) => ({
                name: `--${flag}`,
                type: o.type,
                multiple: Boolean(o.multiple),
              })),
              document: spec.doc,
            };
          }),
        }) as unknown as Record<string, unknown>,
      'runs.list': async ({ query, limit }) => {
        const all = await ctx.store.list();
        const q = query?.trim().toLowerCase();
        const hits = q
          ? all.filter((r) => `${r.run_id} ${r.title} ${r.state} ${r.evidence_status}`.toLowerCase().includes(q))
          : all;
        hits.sort((a, b) =>
          a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : a.run_id.localeCompare(b.run_id),
        );
        return { total: all.length, runs: limit ? hits.slice(0, limit) : hits };
      },
      'runs.revision': async () => {
        const all = await ctx.store.list();
        const digest = createHash('sha256');
        for (const r of all) digest.update(`${r.run_id}\0${r.updated_at}\n`);
        return { revision: digest.digest('base64url').slice(0, 22), total: all.length };
      },
      'runs.create': async ({ title, pre_run }) => {
        const now = ctx.now();
        const runId = ctx.newId('run');
        const run: Run = {
          run_id: runId,
          title: title?.trim() || `Run ${runId.slice(-8)}`,
          created_at: now,
          updated_at: now,
          state: 'draft',
          state_history: [{ from: null, to: 'draft', at: now, reason: 'created' }],
          pre_run: { ...DEFAULT_PRE_RUN },
          evidence: [],
          files: [],
          exceptions: [],
        };
        await ctx.store.create(run);
        return pre_run && Object.keys(pre_run).length ? evidence.setPreRun(ctx, runId, pre_run) : viewOf(run);
      },
      'runs.get': async ({ run_id }) => this.withRecovery(viewOf(await ctx.store.get(run_id))),
      'runs.setPreRun': async ({ run_id, pre_run }) => evidence.setPreRun(ctx, run_id, pre_run),
      'runs.setCallback': async (input) => setCallback(ctx, this.outbox, input),
      'evidence.addRecord': async ({ run_id, record, source }) => evidence.addRecord(ctx, run_id, record, source),
      'evidence.paste': async ({ run_id, text }) => evidence.paste(ctx, run_id, text),
      'evidence.addFiles': async ({ run_id, paths, csv_mapping }) =>
        evidence.addFiles(ctx, run_id, paths, undefined, csv_mapping),
      'evidence.remove': async ({ run_id, evidence_id }) => evidence.removeEvidence(ctx, run_id, evidence_id),
      'files.exclude': async ({ run_id, file_id, reason }) => evidence.excludeFile(ctx, run_id, file_id, reason),
      'files.replace': async ({ run_id, file_id, path }) => evidence.replaceFile(ctx, run_id, file_id, path),
      'files.attest': async ({ run_id, file_id, attested_by }) =>
        evidence.attestFile(ctx, run_id, file_id, attested_by),
      'files.attestUnscannable': async ({ run_id, attested_by }) =>
        evidence.attestUnscannable(ctx, run_id, attested_by),
      'files.redact': async ({ run_id, file_id }) => evidence.redactFile(ctx, run_id, file_id),
      'files.csvPreview': async ({ run_id, file_id }) => evidence.csvPreview(ctx, run_id, file_id),
      'files.mapColumns': async ({ run_id, file_id, mapping }) => evidence.mapCsvColumns(ctx, run_id, file_id, mapping),
      'run.package': async ({ run_id, out_path, force }) =>
        packageRun(this.packagingDeps(), run_id, out_path, { force }),
      'run.cancelPackage': async ({ run_id }) => {
        const token = this.cancels.get(run_id);
        if (token) token.cancelled = true;
        return { cancelled: Boolean(token) };
      },
      'run.replay': async ({ run_id }) => this.replay(run_id),
      'exceptions.list': async ({ run_id }) => {
        const runs = run_id
          ? [await ctx.store.get(run_id)]
          : await Promise.all(
              (await ctx.store.list()).filter((s) => s.open_exceptions > 0).map((s) => ctx.store.get(s.run_id)),
            );
        return runs.flatMap((r) => r.exceptions);
      },
      'bundle.verify': async ({ path }) => this.verify(path),
      'bundle.verifyRun': async ({ run_id }) => this.verifyRunBundle(run_id),
      'trust.addSigner': async ({ path, name, fingerprint }) => {
        const k = await this.trustSigner(path, name, fingerprint);
        return { name: k.name, fingerprint: k.fingerprint, key_id: k.key_id, added_at: k.added_at };
      },
      'ledger.get': async () => this.ledgers.view(),
      'callback.send': async ({ run_id }) => sendCallback(ctx, this.outbox, run_id),
      'settings.get': async () => {
        const signer = await this.signer();
        return {
          home: ctx.layout.home,
          signer_fingerprint: signer.fingerprint,
          signer_key_id: signer.keyId,
          key_protection: this.opts.keyProtector?.available() ? 'safeStorage' : 'file-0600',
          destinations: await this.outbox.destinations.list(),
        };
      },
    };
  }
}

export function openTokenOps(opts: TokenOpsOptions): Promise<TokenOps> {
  return TokenOps.open(opts);
}

/** How long the CLI's \`callback send\` may spend on attempts in all before it returns the message pending. */
const CALLBACK_SEND_BUDGET_MS = 30_000;

function openStore(opts: TokenOpsOptions) {
  return openRunStore<Run, RunSummary>({
    home: opts.home,
    summarize,
    readOnly: opts.readOnly,
    ...(opts.lockWaitMs !== undefined ? { lockWaitMs: opts.lockWaitMs } : {}),
  });
}

/** A run deleted since its callback was queued: the delivery still counts, there is no run to move. */
function ignoreNotFound(err: unknown): void {
  if (!(err instanceof TokenOpsError) || err.code !== 'not_found') throw err;
}
