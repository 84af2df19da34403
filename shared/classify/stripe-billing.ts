/**
 * Stripe billing credits and meters -> credit_ledger_entry.
 * Learned from the Stripe API reference (docs.stripe.com/api/billing/credit-grant/object,
 * …/credit-balance-transaction/object, …/credit-balance-summary/object, …/meter-event/object) and the
 * generated stripe-node types (types/Billing/CreditGrants.d.ts, CreditBalanceTransactions.d.ts,
 * CreditBalanceSummary.d.ts, MeterEvents.d.ts).
 *
 * Fields mapped:
 *   billing.credit_grant `{id: credgr_…, amount{type, monetary{currency,value} | custom_pricing_unit{id,value}},
 *     customer, effective_at, created, expires_at, voided_at, metadata}` -> entry_type grant; `voided_at` -> status
 *     voided (a voided grant funds nothing: the run's funding failed), `expires_at` -> expires_at.
 *   billing.credit_balance_transaction `{id: cbtxn_…, type: credit|debit, credit{amount,type}, debit{amount,
 *     credits_applied{invoice}, type}, credit_grant (id or expanded), effective_at}` -> entry_type grant (credit) / debit.
 *   billing.credit_balance_summary `{customer, balances[]{available_balance, ledger_balance}}` -> entry_type balance,
 *     one entry per balance (Stripe keeps one per currency).
 *   billing.meter_event `{event_name, identifier, payload{stripe_customer_id, value}, timestamp}` -> entry_type debit.
 *
 * Decisions:
 *   - Stripe's billing credits are monetary ("we currently only support monetary billing credits"): a grant
 *     of `amount.monetary {value: 1000, currency: usd}` is 10.00 USD of funding, not 1000 credits. It is kept
 *     as `funding` (decimal, ISO 4217 minor units) and states no credits, so it is never compared with or
 *     added to credit counts. Credits come only from a stated unit: `metadata.credits` on the grant (the
 *     operator's rate), or a custom pricing unit's value.
 *   - A grant's own `credits_granted` balance transaction carries `grant_id` = the grant, so the two fund once.
 *   - credit_entitlement_id = `metadata.credit_entitlement_id` when present, else the grant id
 *     (for a balance transaction: the expanded grant's metadata, else its credit_grant id).
 *     A balance summary and a meter event name no grant: they use the customer id
 *     (meter event: `payload.credit_entitlement_id` first).
 *   - A meter event is a metered debit (the seed lists "metered debit" under the credit ledger step),
 *     not a usage receipt: it has no remaining credits nor result URL.
 *   - Stripe does not state the remaining balance on a debit; such entries carry no balance (none is invented) and say so.
 */
import type { CreditLedgerEntryRecord, Money } from '../domain/evidence';
import type { ClassifiedRecord, ClassifyResult } from './types';
import {
  compact,
  idOf,
  minorUnitsToDecimal,
  notEvidence,
  obj,
  recognised,
  str,
  unixToIso,
  wholeCount,
  type Obj,
} from './values';

interface Credits {
  /** Whole credits, when the amount is in credit units (a custom pricing unit). */
  credits?: number;
  /** Money, when the amount is monetary. */
  funding?: Money;
  unit: string;
}

/** Stripe's billing-credit amount object -> credits (custom pricing unit) or funding (money), with words for the unit. */
function creditsOf(amount: unknown): Credits | undefined {
  const a = obj(amount);
  const monetary = obj(a?.monetary);
  if (monetary) {
    const cur = str(monetary.currency);
    const value = cur ? minorUnitsToDecimal(monetary.value, cur) : undefined;
    if (!cur || value === undefined || value.startsWith('-')) return undefined;
    const funding = { value, currency: cur.toUpperCase() };
    return { funding, unit: `monetary: ${value} ${funding.currency} of funding (not credits)` };
  }
  const cpu = obj(a?.custom_pricing_unit);
  if (cpu) {
    const credits = wholeCount(cpu.value);
    return credits === undefined
      ? undefined
      : { credits, unit: `credits = custom pricing unit ${str(cpu.id) ?? ''}`.trim() };
  }
  return undefined;
}

function entry(e: Omit<CreditLedgerEntryRecord, 'kind' | 'provider'>): CreditLedgerEntryRecord {
  return compact({ kind: 'credit_ledger_entry', ...e, provider: 'stripe' });
}

const NO_BALANCE =
  'Stripe does not state the remaining balance on a debit, so none is recorded; the grant or a credit balance summary states it';

export function creditGrant(o: Obj): ClassifyResult {
  const id = str(o.id);
  if (!id) return notEvidence('Stripe credit grant without an id');
  const meta = obj(o.metadata) ?? {};
  const fromMeta = wholeCount(meta.credits);
  const amount = creditsOf(o.amount);
  const credits = fromMeta ?? amount?.credits;
  if (credits === undefined && !amount?.funding)
    return notEvidence(
      `Stripe credit grant ${id} has no readable amount (amount.monetary or custom_pricing_unit.value)`,
    );
  // Stripe: `voided_at` is when the grant was voided (its credits no longer apply); `expires_at` when
  // its remaining credits expire. Both are unix seconds. The evaluation judges them against the run.
  const voidedAt =
    o.voided_at !== null && o.voided_at !== undefined ? (unixToIso(o.voided_at) ?? 'an unreadable time') : undefined;
  const expiresAt = unixToIso(o.expires_at);
  const record = entry({
    entry_id: id,
    credit_entitlement_id: str(meta.credit_entitlement_id) ?? id,
    entry_type: 'grant',
    grant_id: id,
    ...(credits !== undefined ? { credits, balance: credits } : {}),
    ...(amount?.funding ? { funding: amount.funding } : {}),
    provider_reference: idOf(o.customer),
    customer: idOf(o.customer),
    recorded_at: unixToIso(o.effective_at) ?? unixToIso(o.created),
    ...(voidedAt ? { status: 'voided' as const, status_reason: `Stripe voided the grant at ${voidedAt}` } : {}),
    ...(expiresAt ? { expires_at: expiresAt } : {}),
  });
  const notes = [
    fromMeta !== undefined ? 'credits from metadata.credits' : amount?.unit,
    voidedAt ? `voided at ${voidedAt}: funds nothing` : '',
    expiresAt ? `expires at ${expiresAt}` : '',
  ].filter(Boolean);
  return recognised([
    { record, format: 'stripe_billing_credit_grant', ...(notes.length ? { note: notes.join('; ') } : {}) },
  ]);
}

export function creditBalanceTransaction(o: Obj): ClassifyResult {
  const id = str(o.id);
  const type = o.type === 'credit' || o.type === 'debit' ? o.type : undefined;
  const grantId = idOf(o.credit_grant);
  if (!id || !type || !grantId)
    return notEvidence('Stripe credit balance transaction without id, type (credit or debit) or credit_grant');
  const detail = obj(o[type]) ?? {};
  const amount = creditsOf(detail.amount);
  if (!amount) return notEvidence(`Stripe credit balance transaction ${id} has no whole-number ${type}.amount`);
  const grantMeta = obj(obj(o.credit_grant)?.metadata) ?? {};
  const isDebit = type === 'debit';
  const record = entry({
    entry_id: id,
    credit_entitlement_id: str(grantMeta.credit_entitlement_id) ?? grantId,
    entry_type: isDebit ? 'debit' : 'grant',
    grant_id: grantId,
    ...(amount.credits !== undefined ? { credits: amount.credits } : {}),
    ...(amount.funding ? { funding: amount.funding } : {}),
    // A credit adds to its grant, so its amount is what it makes available; a debit's remaining balance is unknown.
    ...(isDebit || amount.credits === undefined ? {} : { balance: amount.credits }),
    provider_reference: str(obj(detail.credits_applied)?.invoice) ?? grantId,
    recorded_at: unixToIso(o.effective_at) ?? unixToIso(o.created),
  });
  const note = [amount.unit, str(detail.type) ? `${type} type ${detail.type as string}` : '', isDebit ? NO_BALANCE : '']
    .filter(Boolean)
    .join('; ');
  return recognised([{ record, format: 'stripe_billing_credit_balance_transaction', note }]);
}

export function creditBalanceSummary(o: Obj): ClassifyResult {
  const customer = idOf(o.customer);
  const balances = Array.isArray(o.balances) ? o.balances : [];
  if (!customer) return notEvidence('Stripe credit balance summary without a customer');
  const records: ClassifiedRecord[] = [];
  for (const b of balances) {
    const available = creditsOf(obj(b)?.available_balance);
    if (!available) continue;
    const cur =
      str(obj(obj(obj(b)?.available_balance)?.monetary)?.currency) ??
      str(obj(obj(obj(b)?.available_balance)?.custom_pricing_unit)?.id) ??
      'credits';
    records.push({
      record: entry({
        entry_id: `${customer}:credit_balance:${cur}`,
        credit_entitlement_id: customer,
        customer,
        entry_type: 'balance',
        ...(available.credits !== undefined ? { credits: available.credits, balance: available.credits } : {}),
        ...(available.funding ? { funding: available.funding } : {}),
        provider_reference: customer,
      }),
      format: 'stripe_billing_credit_balance_summary',
      note: `${available.unit}; available balance; the summary names no grant, so the entitlement is the customer`,
    });
  }
  return records.length
    ? recognised(records)
    : notEvidence(`Stripe credit balance summary for ${customer} holds no readable balance`);
}

export function meterEvent(o: Obj): ClassifyResult {
  const payload = obj(o.payload) ?? {};
  const id = str(o.identifier);
  const entitlement = str(payload.credit_entitlement_id) ?? str(payload.stripe_customer_id);
  const credits = wholeCount(payload.value);
  if (!id || !entitlement || credits === undefined) {
    return notEvidence(
      'Stripe meter event without identifier, payload.stripe_customer_id or a whole-number payload.value ' +
        '(meters with overridden payload keys are not read)',
    );
  }
  const record = entry({
    entry_id: id,
    credit_entitlement_id: entitlement,
    entry_type: 'debit',
    credits,
    provider_reference: str(o.event_name),
    customer: str(payload.stripe_customer_id),
    recorded_at: unixToIso(o.timestamp) ?? str(o.timestamp),
  });
  return recognised([
    {
      record,
      format: 'stripe_billing_meter_event',
      note: `credits = meter value (${str(o.event_name) ?? 'meter'}); ${NO_BALANCE}`,
    },
  ]);
}
