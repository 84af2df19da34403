/**
 * The six steps, each judged on its own evidence: what was received, whether something in it satisfies
 * the step, and what is wrong inside the step itself (records that contradict each other or lack their
 * key values). Problems that link two steps are the cross-checks' business (checks/).
 */
import type { EvidenceStep } from '../domain/evidence';
import type { RunContext } from './context';
import { distinct, nonEmpty } from './context';
import { isClassified, isPublicSafe } from './files';
import { label, list } from './checks/types';
import { fundingFailures } from './funding';

/** A problem inside one step, and what to do about it. */
interface StepProblem {
  problem: string;
  action: string;
}

export interface StepFacts {
  step: EvidenceStep;
  /** Evidence ids received for the step (for `files`: file-manifest evidence ids and the ids of files read as evidence). */
  received: string[];
  /** Something received would satisfy the step if nothing were wrong with it. */
  has_satisfying_evidence: boolean;
  own_problems: StepProblem[];
}

export function stepFacts(step: EvidenceStep, ctx: RunContext): StepFacts {
  switch (step) {
    case 'settlement_reference':
      return settlement(ctx);
    case 'payment_request':
      return keyed(ctx, 'payment_request', (r) => r.payment_request_id, 'Payment request', 'payment_request_id');
    case 'credit_ledger_entry':
      return ledger(ctx);
    case 'work_order':
      return workOrder(ctx);
    case 'usage_receipt':
      return receipt(ctx);
    case 'files':
      return files(ctx);
  }
}

function settlement(ctx: RunContext): StepFacts {
  const held = ctx.of('settlement_reference');
  const facts = keyed(
    ctx,
    'settlement_reference',
    (r) => r.settlement_reference,
    'Settlement record',
    'settlement_reference',
  );
  const refs = ctx.settlement_references;
  if (refs.length > 1) {
    facts.own_problems.push({
      problem: `Records name several different settlement references (${list(refs)}); a run has one.`,
      action: `Keep the settlement reference this run belongs to (one of ${list(refs)}) and remove the others.`,
    });
  }
  for (const h of held) {
    if (h.record.status !== 'failed') continue;
    const ref = label(h.record.settlement_reference, h.evidence_id);
    const why = h.record.status_reason ? ` (${h.record.provider ?? 'provider'}: ${h.record.status_reason})` : '';
    facts.own_problems.push({
      problem: `Settlement ${ref} failed${why}; a failed settlement does not fund the paid run.`,
      action: `Supply a settled (or pending) settlement reference in place of failed settlement ${ref}.`,
    });
  }
  return facts;
}

function ledger(ctx: RunContext): StepFacts {
  const held = ctx.of('credit_ledger_entry');
  const facts = keyed(ctx, 'credit_ledger_entry', (r) => r.entry_id, 'Credit ledger entry', 'entry_id');
  for (const h of held) {
    const id = label(h.record.entry_id, h.evidence_id);
    if (!nonEmpty(h.record.credit_entitlement_id)) {
      facts.own_problems.push({
        problem: `Credit ledger entry ${id} names no credit entitlement.`,
        action: `Add the credit_entitlement_id to credit ledger entry ${id}.`,
      });
    }
    // Debits and meter events state no balance; monetary funding states no credits: absent is fine, wrong is not.
    for (const field of ['credits', 'balance'] as const) {
      if (h.record[field] !== undefined && !isCount(h.record[field])) {
        facts.own_problems.push({
          problem: `Credit ledger entry ${id} gives ${field} ${String(h.record[field])}; it must be a number of zero or more.`,
          action: `Correct ${field} in credit ledger entry ${id}.`,
        });
      }
    }
  }
  // A voided or expired grant is held, but funds nothing: the run's funding failed, whatever else links.
  for (const f of fundingFailures(ctx)) {
    facts.own_problems.push({
      problem: `${f.what} ${f.entry_id} no longer funds the run: ${f.reason}.`,
      action: `Supply a credit grant that still funds the entitlement in place of ${f.entry_id}, or restore ${f.entry_id} with the provider.`,
    });
  }
  // With no entitlement on the run, the ledger decides it, so it must name just one.
  if (ctx.entitlements.source === 'ledger' && ctx.entitlements.ids.length > 1) {
    facts.own_problems.push({
      problem: `Credit ledger entries name several credit entitlements (${list(ctx.entitlements.ids)}) and the run sets none.`,
      action: `Set the run's credit entitlement (one of ${list(ctx.entitlements.ids)}) or remove the ledger entries of the others.`,
    });
  }
  return facts;
}

function workOrder(ctx: RunContext): StepFacts {
  const facts = keyed(ctx, 'work_order', (r) => r.work_order_id, 'Work Order', 'work_order_id');
  if (ctx.work_order_ids.length > 1) {
    facts.own_problems.push({
      problem: `Records name several Work Orders (${list(ctx.work_order_ids)}); a run is one paid task.`,
      action: `Keep the Work Order this run performs (one of ${list(ctx.work_order_ids)}) and remove the others.`,
    });
  }
  return facts;
}

function receipt(ctx: RunContext): StepFacts {
  const held = ctx.of('usage_receipt');
  const facts = keyed(ctx, 'usage_receipt', (r) => r.receipt_id, 'Usage receipt', 'receipt_id');
  for (const h of held) {
    const id = label(h.record.receipt_id, h.evidence_id);
    for (const field of ['credits_debited', 'remaining_credits'] as const) {
      if (!isCount(h.record[field])) {
        facts.own_problems.push({
          problem: `Usage receipt ${id} gives ${field} ${String(h.record[field])}; it must be a number of zero or more.`,
          action: `Correct ${field} in usage receipt ${id}.`,
        });
      }
    }
  }
  const ids = distinct(held.map((h) => h.record.receipt_id));
  if (ids.length > 1) {
    facts.own_problems.push({
      problem: `Records name several usage receipts (${list(ids)}); a run is debited once.`,
      action: `Keep the usage receipt of this run (one of ${list(ids)}) and remove the others.`,
    });
  }
  return facts;
}

function files(ctx: RunContext): StepFacts {
  const manifests = ctx.of('files');
  const readFiles = ctx.files.filter(isClassified);
  const received = [...manifests.map((m) => m.evidence_id), ...readFiles.map((f) => f.file_id)];
  const listingManifest = manifests.some((m) => Array.isArray(m.record.files) && m.record.files.length > 0);
  const safeFile = readFiles.some(isPublicSafe);
  const own_problems: StepProblem[] = [];
  if (received.length > 0 && !listingManifest && !safeFile) {
    own_problems.push({
      problem: 'No file read as evidence scans clean or is attested, and no file manifest lists a file.',
      action:
        'Supply a public-safe file (scanned clean or attested) or a file manifest listing name, size, SHA-256 and media type.',
    });
  }
  return { step: 'files', received, has_satisfying_evidence: listingManifest || safeFile, own_problems };
}

/** Steps whose records carry one key id: satisfied by any record with that id present. */
function keyed(
  ctx: RunContext,
  kind: Exclude<EvidenceStep, 'files'>,
  key: (r: Record<string, unknown>) => unknown,
  noun: string,
  field: string,
): StepFacts {
  const held = ctx.of(kind);
  const own_problems: StepProblem[] = [];
  let satisfying = false;
  for (const h of held) {
    if (nonEmpty(key(h.record as unknown as Record<string, unknown>))) satisfying = true;
    else
      own_problems.push({
        problem: `${noun} record ${h.evidence_id} has no ${field}.`,
        action: `Add the ${field} to ${noun.toLowerCase()} record ${h.evidence_id}, or remove it.`,
      });
  }
  return { step: kind, received: held.map((h) => h.evidence_id), has_satisfying_evidence: satisfying, own_problems };
}

function isCount(n: unknown): boolean {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}
