/**
 * (a) A payment request that names a settlement must name the run's settlement (step 1), by its
 * reference or by any alias of the same settlement thread (the provider's transaction hash, invoice…).
 */
import type { RunContext } from '../context';
import { distinct, nonEmpty } from '../context';
import { type CheckOutcome, type Issue, label, list, notApplicable, pass, fail, plural } from './types';

const ID = 'payment_request_matches_settlement';

export function checkPaymentRequestMatchesSettlement(ctx: RunContext): CheckOutcome {
  const run = ctx.settlement_references;
  const naming = ctx
    .of('payment_request')
    .map((h) => ({
      id: label(h.record.payment_request_id, h.evidence_id),
      names: nonEmpty(h.record.settlement_reference),
    }))
    .filter((p): p is { id: string; names: string } => p.names !== null);
  if (run.length === 0)
    return notApplicable(ID, 'No settlement reference received yet, so no payment request can be matched to it.');
  const issues: Issue[] = ap2MandateIssues(ctx);
  if (naming.length === 0) {
    if (issues.length) return fail(ID, issues);
    const paid = ap2PaidMandates(ctx);
    return paid.length
      ? pass(
          ID,
          `AP2 payment ${plural(paid.length, 'mandate', 'mandates')} ${list(paid)} ${plural(paid.length, 'is', 'are')} paid by the run's payment receipt.`,
        )
      : notApplicable(ID, 'No payment request names a settlement reference.');
  }

  for (const p of naming) {
    if (ctx.threadOf(p.names)) continue;
    if (run.length === 1) {
      issues.push({
        open_item: `Payment request ${p.id} names settlement ${p.names}, but the run's settlement reference is ${run[0]}.`,
        action: `Correct payment request ${p.id} to name settlement ${run[0]} (it names ${p.names}), or replace it with the payment request for ${run[0]}.`,
      });
    } else {
      issues.push({
        open_item: `Payment request ${p.id} names settlement ${p.names}, which is none of the run's settlement references (${list(run)}).`,
        action: `Correct payment request ${p.id}: it names settlement ${p.names}, which is none of ${list(run)}.`,
      });
    }
  }
  if (issues.length) return fail(ID, issues);
  const ids = naming.map((p) => p.id);
  // Several step-1 references: each request matches one of them, but which one is the run's is undecided.
  if (run.length > 1)
    return notApplicable(
      ID,
      `The run names several settlement references (${list(run)}); settle step 1 before payment requests can be matched.`,
    );
  return pass(
    ID,
    `${plural(ids.length, 'Payment request', 'Payment requests')} ${list(ids)} ${plural(ids.length, 'names', 'name')} settlement ${run[0]}, the run's settlement reference.`,
  );
}

/**
 * AP2: a PaymentReceipt names the payment mandate it pays (`payment_mandate_id`, kept as the settlement's
 * provider reference); the run's PaymentMandate carries its id as the payment request's provider id.
 * A receipt for another mandate is someone else's payment (google-agentic-commerce/AP2,
 * src/ap2/types/payment_receipt.py and mandate.py).
 */
function ap2MandateIssues(ctx: RunContext): Issue[] {
  const mandates = distinct(
    ctx
      .of('payment_request')
      .filter((h) => h.record.provider === 'ap2')
      .map((h) => h.record.provider_id),
  );
  if (!mandates.length) return [];
  // The operator's own record may name the receipt's payment_id as its provider reference: that is an
  // alias of the settlement, not a mandate.
  const settlementIds = new Set(ctx.of('settlement_reference').map((h) => h.record.settlement_reference));
  const issues: Issue[] = [];
  for (const s of ctx.of('settlement_reference')) {
    const names = nonEmpty(s.record.provider_reference);
    if (s.record.provider !== 'ap2' || !names || mandates.includes(names) || settlementIds.has(names)) continue;
    const id = label(s.record.settlement_reference, s.evidence_id);
    issues.push({
      open_item: `AP2 payment receipt ${id} pays payment mandate ${names}, but the run's payment mandate is ${list(mandates)}.`,
      action: `Supply the AP2 payment receipt for payment mandate ${list(mandates)}, or the payment mandate that receipt ${id} pays (${names}).`,
    });
  }
  return issues;
}

/** AP2 mandates of the run that a receipt of the run names. */
function ap2PaidMandates(ctx: RunContext): string[] {
  const named = new Set(
    ctx
      .of('settlement_reference')
      .filter((s) => s.record.provider === 'ap2')
      .map((s) => s.record.provider_reference),
  );
  return distinct(
    ctx
      .of('payment_request')
      .filter((h) => h.record.provider === 'ap2' && named.has(h.record.provider_id))
      .map((h) => h.record.provider_id),
  );
}
