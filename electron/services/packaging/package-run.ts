/**
 * Packaging a run: evaluate → (exception ticket + replay package) or (grant, debit once, build outputs,
 * write the signed bundle, record the receipt, freeze the run). Safe to call again at any point:
 * the debit is idempotent per run and a packaged run returns its existing bundle.
 */
import { join, resolve } from 'node:path';
import { copyFile, rename, stat } from 'node:fs/promises';
import type { Evaluation } from '../../../shared/domain/evaluation';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import type { Run } from '../../../shared/domain/run';
import type { UsageReceipt } from '../../../shared/domain/outputs';
import {
  buildCallbackPayload,
  buildEvidenceManifest,
  buildResultPackage,
  buildUsageReceipt,
} from '../../../shared/builders';
import { recordsOf } from '../../../shared/builders/evidence-view';
import { renderEvidenceReport } from '../../../shared/report/evidence-report';
import { TokenOpsError, isTokenOpsError } from '../../../shared/errors';
import type { PackageOutcome } from '../../../shared/ipc/contract';
import type { CancelToken } from '../../../shared/progress';
import { assertValid } from '../../../shared/validate';
import type { Outbox } from '../callbacks';
import type { ServiceContext } from '../context';
import type { LoadedSigner } from '../keys';
import type { Ledgers } from '../ledgers';
import { KeyedMutex } from '../store/keyed-mutex';
import { writeBundle, type BundlePayloadItem } from '../bundle/write-bundle';
import { moveTo, refreshState } from '../runs/refresh-state';
import { evaluate } from '../runs/run-view';
import { issueException } from './exception';
import { creditsForRun, ensureGranted } from './credits';
import { checkOutPath } from './out-path';
import { portablePath } from './portable-name';

export interface PackagingDeps {
  ctx: ServiceContext;
  ledgers: Ledgers;
  outbox: Outbox;
  signer: () => Promise<LoadedSigner>;
  cancelToken: (runId: string) => { token: CancelToken; release: () => void };
}

const PREDICATE_TYPE = 'https://tokenops.dev/result-bundle/v1';

/** One packaging of a given run at a time inside this process; other processes are serialised by the ledger lock. */
const packaging = new KeyedMutex();

/** The id of the usage receipt TokenOps issues for a run: one per run, so a retry finds it again. */
export function receiptIdOf(runId: string): string {
  return `usage_${runId.replace(/^run_/, '')}`;
}

export function packageRun(
  deps: PackagingDeps,
  runId: string,
  outPath?: string,
  opts: { force?: boolean } = {},
): Promise<PackageOutcome> {
  return packaging.run(`${deps.ctx.layout.home}\u0000${runId}`, () => packageRunLocked(deps, runId, outPath, opts));
}

async function packageRunLocked(
  deps: PackagingDeps,
  runId: string,
  askedOut: string | undefined,
  opts: { force?: boolean },
): Promise<PackageOutcome> {
  const { ctx } = deps;
  // Checked before anything is debited: a refused path costs the run nothing.
  const outPath = askedOut === undefined ? undefined : await checkOutPath(askedOut, ctx.layout.home, opts);
  const run = await ctx.store.get(runId);
  if (run.outputs?.bundle && (run.state === 'packaged' || run.state === 'delivered')) {
    const existing = await existingOutcome(run);
    // Asked for the bundle somewhere else: put a copy there rather than pretend it was written.
    if (outPath && existing.bundle && resolve(outPath) !== existing.bundle.path) {
      const target = resolve(outPath);
      await copyFile(existing.bundle.path, `${target}.partial`);
      await rename(`${target}.partial`, target);
      existing.bundle = { ...existing.bundle, path: target };
    }
    return existing;
  }
  const evaluation = evaluate(run);
  // A ledger deleted or swapped whole would restart the debits from the grants: refuse first.
  await deps.ledgers.assertAsLastSeen();
  const { credits } = await deps.ledgers.open();
  const priorDebit = await credits.debitFor(runId);
  if (!evaluation.deliverable) return notPackaged(deps, run, evaluation, priorDebit?.entry.credits ?? 0);

  // One paid receipt pays for one run: the same receipt in a second run would debit the entitlement twice.
  const { receipts: receiptLedger } = await deps.ledgers.open();
  const paidReceipt = recordsOf(run.evidence, run.files, 'usage_receipt')[0]?.receipt_id;
  const covered = typeof paidReceipt === 'string' ? await receiptLedger.forEvidenceReceipt(paidReceipt) : undefined;
  if (covered && covered.entry.run_id !== runId) {
    // Not an error of the tool but evidence that does not line up: a ticket says so, and a replay with
    // this run's own receipt resumes it. Nothing is debited.
    const detail =
      `Usage receipt ${paidReceipt} was already packaged by run ${String(covered.entry.run_id)} (TokenOps receipt ${covered.entry.receipt_id}); ` +
      `packaging it again would debit the credits twice. Supply this run's own usage receipt, or use run ${String(covered.entry.run_id)} if it is the same paid run.`;
    const reused: Evaluation = {
      ...evaluation,
      deliverable: false,
      checks: [
        ...evaluation.checks,
        { check_id: 'usage_receipt_pays_one_run', title: 'Usage receipt pays for one run', status: 'fail', detail },
      ],
    };
    return notPackaged(deps, run, reused, priorDebit?.entry.credits ?? 0, 'inconsistent_evidence');
  }

  // Credits: fund the entitlement from the run's ledger evidence (idempotent), then debit once for this run.
  const plan = creditsForRun(run);
  let debit: { debited: number; already_debited: boolean; remaining: number };
  try {
    await ensureGranted(credits, plan);
    const r = await credits.debitOnce({ entitlementId: plan.entitlementId, runId, credits: plan.debit });
    debit = { debited: r.entry.entry.credits, already_debited: r.alreadyDebited, remaining: r.balance };
  } catch (e) {
    if (isTokenOpsError(e) && e.code === 'insufficient_credits') {
      return notPackaged(deps, run, evaluation, 0, 'insufficient_credits', e.message);
    }
    throw e;
  }

  const now = ctx.now();
  // Once packaged, the next step is delivery, not packaging again.
  const delivered: Evaluation = { ...evaluation, next_actions: afterPackaging(runId, Boolean(run.callback)) };
  const callbackStatus = run.callback ? 'ready' : 'not_configured';
  // The receipt is recorded before the bundle is written, under an id that belongs to this run, so a retry
  // after a crash finds and reuses it instead of issuing a second one. The paid run's own receipt id is kept
  // as its `receipt_reference`.
  const { receipts } = await deps.ledgers.open();
  const receiptId = receiptIdOf(runId);
  const recorded = await receipts.get(receiptId);
  const usageReceipt =
    (recorded?.entry as unknown as UsageReceipt | undefined) ??
    buildUsageReceipt({
      run_id: runId,
      receipt_id: receiptId,
      now,
      pre_run: run.pre_run,
      evidence: run.evidence,
      files: run.files,
      evaluation: delivered,
      credits: { debited: debit.debited, remaining: debit.remaining, credit_entitlement_id: plan.entitlementId },
      callback_status: callbackStatus,
    });
  assertValid('usage_receipt', usageReceipt, 'The usage receipt');
  if (!recorded) await receipts.append(usageReceipt as unknown as Record<string, unknown> & { receipt_id: string });
  await deps.ledgers.remember(deps.ctx.now());
  const resultPackage = buildResultPackage({
    run_id: runId,
    package_id: ctx.newId('pkg'),
    now,
    pre_run: run.pre_run,
    evidence: run.evidence,
    files: run.files,
    evaluation: delivered,
    usage_receipt_id: usageReceipt.receipt_id,
    ...(run.callback ? { callback: { destination: run.callback.url, status: 'ready' as const } } : {}),
  });
  // The bundled callback payload cannot name the digest of the zip it sits in; the one sent carries it.
  const bundledCallback = buildCallbackPayload({
    run_id: runId,
    now,
    evaluation: delivered,
    result_package: resultPackage,
    usage_receipt: usageReceipt,
    exception_ticket: null,
    bundle_sha256: null,
  });
  const manifest = buildEvidenceManifest({
    run_id: runId,
    now,
    pre_run: run.pre_run,
    evidence: run.evidence,
    files: run.files,
    filePath: bundlePathOf,
  });
  assertValid('result_package', resultPackage, 'The result package');
  assertValid('callback_payload', bundledCallback, 'The callback payload');
  assertValid('evidence_manifest', manifest, 'The evidence manifest');

  const signer = await deps.signer();
  const target = outPath ? resolve(outPath) : join(ctx.layout.exports, `${runId}.tokenops.zip`);
  const { token, release } = deps.cancelToken(runId);
  let bundle;
  try {
    bundle = await writeBundle({
      outPath: target,
      bagName: `tokenops-${runId}`,
      bagInfo: { 'External-Identifier': runId, 'External-Description': `TokenOps result bundle for run ${runId}` },
      payload: payloadOf(ctx, run, manifest, {
        resultPackage,
        usageReceipt,
        bundledCallback,
        report: renderEvidenceReport({
          run,
          evaluation: delivered,
          usageReceipt,
          signerFingerprint: signer.fingerprint,
          generatedAt: now,
        }),
      }),
      predicateType: PREDICATE_TYPE,
      predicate: {
        run_id: runId,
        evidence_status: evaluation.evidence_status,
        evidence_score: evaluation.evidence_score,
        result_package: resultPackage.package_id,
        usage_receipt: usageReceipt.receipt_id,
        settlement_reference: resultPackage.settlement_reference,
        generated_at: now,
      },
      signer,
      cancel: token,
      onProgress: (p) => ctx.onProgress?.({ ...p, run_id: runId }),
      // Never report a bundle that its own verifier refuses (a name the writer let through, a disk fault):
      // the operator would deliver something the receiver cannot check.
      selfVerify: {
        failed: (self) => {
          const failed = self.checks.find((c) => !c.ok);
          return new TokenOpsError(
            'bundle_invalid',
            `The bundle written for run ${runId} failed its own verification (${failed ? `${failed.id}: ${failed.message}` : 'signer not trusted'}), so it was removed. ` +
              `The debit and receipt stand and are reused: run package again; if it fails again, report it with the run id.`,
          );
        },
      },
    });
  } finally {
    release();
  }

  const callbackPayload = { ...bundledCallback, bundle_sha256: bundle.sha256 };
  const record = {
    path: bundle.path,
    sha256: bundle.sha256,
    bytes: bundle.bytes,
    signer_key_id: signer.keyId,
    signer_fingerprint: signer.fingerprint,
    created_at: now,
  };
  const saved = await ctx.store.update(runId, (r) => {
    for (const t of r.exceptions)
      if (t.status !== 'resolved') Object.assign(t, { status: 'resolved', resolved_at: now });
    refreshState(r, 'evidence sufficient', now);
    r.outputs = {
      result_package: resultPackage,
      usage_receipt: usageReceipt,
      callback_payload: callbackPayload,
      bundle: record,
    };
    moveTo(r, 'packaged', `bundle ${bundle.sha256.slice(0, 12)}… written, ${debit.debited} credit(s) debited`, now);
  });
  return { ...(await existingOutcome(saved)), credits: debit };
}

function payloadOf(
  ctx: ServiceContext,
  run: Run,
  manifest: ReturnType<typeof buildEvidenceManifest>,
  out: { resultPackage: unknown; usageReceipt: unknown; bundledCallback: unknown; report: string },
): BundlePayloadItem[] {
  const json = (v: unknown) => ({ kind: 'bytes' as const, data: Buffer.from(`${JSON.stringify(v, null, 2)}\n`) });
  const usable = new Map(run.files.filter((f) => !f.excluded).map((f) => [`${f.name}\u0000${f.sha256}`, f]));
  const items: BundlePayloadItem[] = [
    { path: 'evidence-manifest.json', source: json(manifest) },
    { path: 'result-package.json', source: json(out.resultPackage) },
    { path: 'usage-receipt.json', source: json(out.usageReceipt) },
    { path: 'callback-payload.json', source: json(out.bundledCallback) },
    // The page a person reads first (shared/report/evidence-report.ts): self-contained, no scripts.
    { path: 'report.html', source: { kind: 'bytes', data: Buffer.from(out.report) } },
  ];
  const recordPaths = new Map(manifest.records.map((r) => [r.evidence_id, r.path]));
  for (const e of run.evidence as EvidenceItem[]) {
    const path = recordPaths.get(e.evidence_id);
    if (path) items.push({ path, source: json(e) });
  }
  for (const f of manifest.files) {
    const file = usable.get(`${f.name}\u0000${f.sha256}`);
    if (!file) throw new TokenOpsError('conflict', `File ${f.name} is in the manifest but not in run ${run.run_id}.`);
    items.push({
      path: f.path,
      source: {
        kind: 'file',
        path: join(ctx.layout.home, file.stored_path),
        expectedSha256: file.sha256,
        expectedSize: file.size,
        ...(file.stored_offset !== undefined ? { offset: file.stored_offset } : {}),
      },
    });
  }
  return items;
}

async function notPackaged(
  deps: PackagingDeps,
  run: Run,
  evaluation: Evaluation,
  alreadyDebited: number,
  exceptionType?: 'insufficient_credits' | 'inconsistent_evidence',
  reason?: string,
): Promise<PackageOutcome> {
  const { ctx } = deps;
  const { ticket, replay } = await issueException(ctx, run, evaluation, {
    alreadyDebited,
    ...(exceptionType ? { exceptionType } : {}),
  });
  const now = ctx.now();
  await ctx.store.update(run.run_id, (r) => {
    if (!r.exceptions.some((t) => t.ticket_id === ticket.ticket_id)) r.exceptions.push(ticket);
    moveTo(r, 'exception', `exception ticket ${ticket.ticket_id}: ${ticket.exception_type}`, now);
    r.updated_at = now;
  });
  return {
    run_id: run.run_id,
    packaged: false,
    evidence_status: evaluation.evidence_status,
    evidence_score: evaluation.evidence_score,
    result_package: null,
    usage_receipt: null,
    callback_payload: null,
    bundle: null,
    exception_ticket: ticket,
    replay_package: replay,
    credits: null,
    blockers: reason ? [reason] : evaluation.blockers,
  };
}

async function existingOutcome(run: Run): Promise<PackageOutcome> {
  const o = run.outputs!;
  const b = o.bundle!;
  const present = await stat(b.path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!present) {
    throw new TokenOpsError(
      'not_found',
      `Run ${run.run_id} was packaged to ${b.path}, but that file is gone. Its signed record is in the receipt ledger; restore the file from a backup.`,
    );
  }
  const evaluation = evaluate(run);
  return {
    run_id: run.run_id,
    packaged: true,
    evidence_status: evaluation.evidence_status,
    evidence_score: evaluation.evidence_score,
    result_package: o.result_package,
    usage_receipt: o.usage_receipt,
    callback_payload: o.callback_payload,
    bundle: { path: b.path, sha256: b.sha256, bytes: b.bytes, signer_fingerprint: b.signer_fingerprint },
    exception_ticket: null,
    replay_package: null,
    credits: {
      debited: o.usage_receipt.credits_debited,
      already_debited: true,
      remaining: o.usage_receipt.remaining_credits,
    },
    blockers: [],
  };
}

function afterPackaging(runId: string, hasCallback: boolean): string[] {
  return hasCallback
    ? [
        `Send the callback to the requesting agent: tokenops callback send ${runId}`,
        'Keep the signed bundle; anyone can check it with: tokenops verify FILE',
      ]
    : [
        'Deliver the signed bundle to the requesting agent; anyone can check it with: tokenops verify FILE',
        `Or set a callback destination: tokenops callback set ${runId} --url URL`,
      ];
}

/**
 * Where a run file lies in the bundle. Names are the operator's own (any byte a file system allows), so each
 * segment is made portable (portable-name.ts); the file id keeps two cleaned names from colliding.
 */
export function bundlePathOf(file: { file_id: string; name: string }): string {
  return `files/${file.file_id}/${portablePath(file.name)}`;
}
