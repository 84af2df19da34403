/**
 * (b) The money adds up: a payment request's amount and network equal those of the settlement it is
 * linked to (x402 `exact`: settled = requested; x402 `upto`: settled ≤ the maximum; otherwise the
 * settlement must cover the request). A request is linked to the settlement thread it names (by any
 * alias), or to the run's only settlement. Amounts in different units are not compared (and never
 * pass as equal); the check reports what it could not compare.
 */
import type { PaymentRequestRecord } from '../../domain/evidence';
import type { Held, RunContext } from '../context';
import { nonEmpty } from '../context';
import { commonUnit, compareDecimal, formatMoney } from '../amounts';
import { type CheckOutcome, type Issue, label, notApplicable, passOrFail } from './types';

const ID = 'payment_amount_matches_settlement';

export function checkPaymentAmountMatchesSettlement(ctx: RunContext): CheckOutcome {
  const settlements = ctx.of('settlement_reference');
  const requests = ctx.of('payment_request').filter((h) => h.record.amount || h.record.network);
  if (!settlements.length || !requests.length)
    return notApplicable(ID, 'No payment request with an amount and settlement received together yet.');

  const byId = new Map(settlements.map((h) => [h.evidence_id, h]));
  const issues: Issue[] = x402Disagreements(requests);
  const compared: string[] = [];
  const notComparable: string[] = [];
  for (const req of requests) {
    const r = req.record;
    const rid = label(r.payment_request_id, req.evidence_id);
    const thread = linkedThread(ctx, r);
    if (!thread) continue;
    for (const s of thread.evidence_ids.map((id) => byId.get(id)!).filter((h) => h.record.status !== 'failed')) {
      const sid = label(s.record.settlement_reference, s.evidence_id);
      if (r.network && s.record.network && r.network !== s.record.network) {
        issues.push({
          open_item: `Payment request ${rid} is on network ${r.network}, but settlement ${sid} settled on ${s.record.network}.`,
          action: `Supply the settlement of payment request ${rid} on ${r.network}, or the payment request that settlement ${sid} answers.`,
        });
        continue;
      }
      if (!r.amount || !s.record.amount) continue;
      const unit = commonUnit({ ...r.amount, network: r.network }, s.record.amount);
      if (!unit) {
        notComparable.push(
          `${rid} (${formatMoney(r.amount)}) and ${sid} (${formatMoney(s.record.amount)}) are in different units`,
        );
        continue;
      }
      const cmp = compareDecimal(s.record.amount.value, r.amount.value);
      if (cmp === null) continue;
      const problem = amountProblem(cmp, r);
      if (problem) {
        issues.push({
          open_item: `Settlement ${sid} settled ${s.record.amount.value} (${unit}) but payment request ${rid} asks ${r.amount.value}: ${problem}.`,
          action: `Supply the settlement that pays payment request ${rid} in full (${r.amount.value} ${unit}), or the payment request that settlement ${sid} answers.`,
        });
      } else compared.push(`${rid} = ${sid}: ${s.record.amount.value} (${unit})`);
    }
  }
  if (!issues.length && !compared.length) {
    const why = notComparable.length
      ? `Not compared: ${notComparable.join('; ')}.`
      : 'No payment request and linked settlement both state an amount.';
    return notApplicable(ID, why);
  }
  const extra = notComparable.length ? ` Not compared: ${notComparable.join('; ')}.` : '';
  // The AP2 cart and payment mandates restate one request under one id: one problem, said once.
  const unique = [...new Map(issues.map((i) => [i.open_item, i])).values()];
  return passOrFail(ID, unique, `Amounts agree (${compared.join('; ')}).${extra}`);
}

/**
 * x402: the 402's requirements and the payment payload that answers them are both payment requests (the
 * payload's `accepted` restates the requirement it pays). For one payee, network and asset they must name
 * one amount: a payload for 10 USDC against a requirement of 12 USDC is a short payment even where the
 * settlement states no amount in that unit (a USD settlement record cannot be compared with USDC).
 */
function x402Disagreements(requests: ReadonlyArray<Held<PaymentRequestRecord>>): Issue[] {
  const groups = new Map<string, Array<PaymentRequestRecord & { evidence_id: string }>>();
  for (const h of requests) {
    const r = h.record;
    if (r.provider !== 'x402' || !r.amount || !r.pay_to || !r.network) continue;
    const key = [r.network, r.pay_to.toLowerCase(), r.amount.currency.toLowerCase(), r.scheme ?? ''].join('|');
    const held = { ...r, evidence_id: h.evidence_id };
    const group = groups.get(key);
    if (group) group.push(held);
    else groups.set(key, [held]);
  }
  const issues: Issue[] = [];
  for (const group of groups.values()) {
    const [first, ...rest] = group;
    for (const other of rest) {
      const cmp = compareDecimal(other.amount!.value, first!.amount!.value);
      if (cmp === null || cmp === 0 || (first!.scheme === 'upto' && cmp < 0)) continue;
      const a = label(first!.payment_request_id, first!.evidence_id);
      const b = label(other.payment_request_id, other.evidence_id);
      issues.push({
        open_item: `x402 payment records for one payee disagree: ${a} is for ${formatMoney(first!.amount!)}, ${b} for ${formatMoney(other.amount!)} (${first!.scheme ?? 'exact'} scheme): the payment does not match what was required.`,
        action: `Supply the payment that answers the 402's requirement exactly, or the requirement that payment ${b} answers.`,
      });
    }
  }
  return issues;
}

/**
 * The settlement thread a request belongs to: the one that names the request's settlement reference, or
 * its own id or provider id (an AP2 receipt names its payment mandate), else the run's only settlement.
 */
function linkedThread(ctx: RunContext, r: PaymentRequestRecord) {
  const named = nonEmpty(r.settlement_reference);
  if (named) return ctx.threadOf(named);
  const own = [r.payment_request_id, r.provider_id].map(nonEmpty).filter((x): x is string => x !== null);
  for (const id of own) {
    const t = ctx.threadOf(id);
    if (t) return t;
  }
  return ctx.settlement_threads.length === 1 ? ctx.settlement_threads[0] : undefined;
}

/**
 * x402 `upto` settles at most the maximum; other x402 schemes than `exact` must at least cover the
 * request; `exact`, AP2 (the receipt's amount is the mandate's total) and everything else must be equal.
 */
function amountProblem(cmp: number, r: PaymentRequestRecord): string | null {
  if (r.scheme === 'upto') return cmp > 0 ? 'more than the maximum the request allows' : null;
  if (r.provider === 'x402' && r.scheme !== 'exact')
    return cmp < 0 ? 'the settlement does not cover the request' : null;
  return cmp < 0 ? 'the settlement is short' : cmp > 0 ? 'the settlement is more than requested' : null;
}
