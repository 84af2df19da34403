/**
 * (c) Credit ledger entries must be for the credit entitlement the run was opened with, directly or
 * through a link: a provider record that names no entitlement of ours is the run's when a record of the
 * run's entitlement names it (the operator's ledger entry naming the Stripe grant as its provider
 * reference), or when it belongs to the same provider customer as such a record (a Stripe meter event
 * or balance summary names only `cus_…`; the grant of that customer funds the run's entitlement).
 * An entry that states another entitlement of its own never joins by a link: it is for that one.
 */
import type { CreditLedgerEntryRecord } from '../../domain/evidence';
import type { Held, RunContext } from '../context';
import { nonEmpty } from '../context';
import { type CheckOutcome, type Issue, label, list, notApplicable, passOrFail, plural } from './types';

const ID = 'ledger_entry_matches_entitlement';

export function checkLedgerEntryMatchesEntitlement(ctx: RunContext): CheckOutcome {
  const wanted = nonEmpty(ctx.pre_run.credit_entitlement_id);
  const entries = ctx.of('credit_ledger_entry');
  if (!wanted) return notApplicable(ID, 'The run sets no credit entitlement, so ledger entries have nothing to match.');
  if (entries.length === 0)
    return notApplicable(ID, `No credit ledger entry received yet for credit entitlement ${wanted}.`);

  // Two hops: entries the run's own entries name (a grant), then whatever shares those entries' customer.
  const mine = entries.filter((e) => e.record.credit_entitlement_id === wanted);
  const direct = linksOf(mine);
  const linkedTo = linksOf([
    ...mine,
    ...entries.filter((e) => e.record.credit_entitlement_id !== wanted && linkOf(e.record, direct)),
  ]);
  const issues: Issue[] = [];
  const viaLink: string[] = [];
  for (const e of entries) {
    const id = label(e.record.entry_id, e.evidence_id);
    const has = nonEmpty(e.record.credit_entitlement_id);
    if (has === wanted) continue;
    const link = linkOf(e.record, linkedTo);
    if (link) {
      viaLink.push(`${id} (${link})`);
      continue;
    }
    issues.push({
      open_item: has
        ? `Credit ledger entry ${id} is for credit entitlement ${has}, but the run's credit entitlement is ${wanted}.`
        : `Credit ledger entry ${id} names no credit entitlement, but the run's credit entitlement is ${wanted}.`,
      action: `Replace credit ledger entry ${id} with one for credit entitlement ${wanted}${has ? ` (it is for ${has})` : ''}, or correct the run's credit entitlement.`,
    });
  }
  const ids = entries.map((e) => label(e.record.entry_id, e.evidence_id));
  const linked = viaLink.length ? ` Linked to it: ${list(viaLink)}.` : '';
  return passOrFail(
    ID,
    issues,
    `${plural(ids.length, 'Credit ledger entry', 'Credit ledger entries')} ${list(ids)} ${plural(ids.length, 'is', 'are')} for credit entitlement ${wanted}, the run's.${linked}`,
  );
}

interface Links {
  /** Ids that the run's own entries name as their provider reference or grant. */
  named: Set<string>;
  /** Ids of the run's own entries. */
  own: Set<string>;
  /** Provider customers of the run's own entries. */
  customers: Set<string>;
}

function linksOf(mine: ReadonlyArray<Held<CreditLedgerEntryRecord>>): Links {
  const named = new Set<string>();
  const own = new Set<string>();
  const customers = new Set<string>();
  for (const { record: r } of mine) {
    for (const x of [r.provider_reference, r.grant_id]) if (nonEmpty(x)) named.add(x!);
    for (const x of [r.entry_id, r.grant_id]) if (nonEmpty(x)) own.add(x!);
    if (nonEmpty(r.customer)) customers.add(r.customer!);
  }
  return { named, own, customers };
}

/** How an entry of another entitlement id is linked to the run's, in words; null when it is not. */
function linkOf(r: CreditLedgerEntryRecord, links: Links): string | null {
  // An entry that states an entitlement of its own (a grant's metadata naming another entitlement) is for
  // that entitlement, whatever names it: a link cannot move funding from one entitlement to another.
  if (statesOwnEntitlement(r)) return null;
  for (const x of [r.entry_id, r.grant_id, r.credit_entitlement_id])
    if (nonEmpty(x) && links.named.has(x!)) return `named as ${x} by a record of the run's entitlement`;
  if (nonEmpty(r.provider_reference) && links.own.has(r.provider_reference!)) return `names ${r.provider_reference}`;
  // Only an entry that states no entitlement of its own (its entitlement is the customer) joins by customer.
  if (nonEmpty(r.customer) && r.credit_entitlement_id === r.customer && links.customers.has(r.customer!))
    return `customer ${r.customer}`;
  return null;
}

/** The entitlement id is stated, not a stand-in (providers without one use the grant, entry or customer id). */
function statesOwnEntitlement(r: CreditLedgerEntryRecord): boolean {
  const e = nonEmpty(r.credit_entitlement_id);
  return !!e && e !== r.entry_id && e !== r.grant_id && e !== r.customer;
}
