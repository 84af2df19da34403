/**
 * The settlement thread of a run: step-1 records linked by every identifier they carry.
 *
 * Real evidence names one settlement several ways: the operator's record says `stl_acme_…` and names the
 * x402 transaction hash as its provider reference; the x402 settlement response says only that hash; an
 * AP2 receipt names its `payment_id`; a Stripe invoice its `number`. Records that share any identifier
 * (own reference, provider reference, transaction, invoice token) are one settlement (a connected
 * component, found with union–find), so a provider's own reference never counts as a second settlement.
 * Only records that link to nothing else are a conflict.
 */
import type { SettlementReferenceRecord } from '../domain/evidence';
import { compareText, nonEmpty, type Held } from './context';

export interface SettlementThread {
  /** The reference the run reports: the one no other record of the thread names as its provider-side alias (the operator's own), else the first. */
  reference: string;
  /** Every identifier of the thread, sorted, the reference included. */
  aliases: string[];
  /** Evidence ids of the step-1 records in the thread, sorted. */
  evidence_ids: string[];
}

/** Identifiers a settlement record carries, its own reference first. */
function settlementIdentifiers(r: SettlementReferenceRecord): string[] {
  const ids = [r.settlement_reference, r.provider_reference, r.transaction, r.invoice_token].map(nonEmpty);
  return ids.filter((x): x is string => x !== null);
}

export function settlementThreads(held: ReadonlyArray<Held<SettlementReferenceRecord>>): SettlementThread[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(compareText(ra, rb) < 0 ? rb : ra, compareText(ra, rb) < 0 ? ra : rb);
  };
  const idsOf = held.map((h) => settlementIdentifiers(h.record));
  for (const ids of idsOf) for (const id of ids) if (!parent.has(id)) parent.set(id, id);
  for (const ids of idsOf) for (const id of ids.slice(1)) union(ids[0], id);

  // Identifiers that some record names as a provider-side alias (not as its own reference).
  const namedAsAlias = new Set<string>();
  for (const ids of idsOf) for (let i = 1; i < ids.length; i++) namedAsAlias.add(ids[i]);
  // Arrays, deduplicated once at the end: most threads are one or two records (10,000 records: 5,000 threads).
  const threads = new Map<string, { aliases: string[]; own: string[]; evidence: string[] }>();
  held.forEach((h, i) => {
    const ids = idsOf[i];
    if (!ids.length) return;
    const root = find(ids[0]);
    let t = threads.get(root);
    if (!t) threads.set(root, (t = { aliases: [], own: [], evidence: [] }));
    t.aliases.push(...ids);
    const own = nonEmpty(h.record.settlement_reference);
    if (own) t.own.push(own);
    t.evidence.push(h.evidence_id);
  });
  const sortedSet = (xs: string[]) => (xs.length < 2 ? xs : [...new Set(xs)].sort(compareText));
  return [...threads.values()]
    .map((t) => {
      const own = sortedSet(t.own);
      const aliases = sortedSet(t.aliases);
      const reference = own.find((id) => !namedAsAlias.has(id)) ?? own[0] ?? aliases[0];
      return { reference, aliases, evidence_ids: sortedSet(t.evidence) };
    })
    .sort((a, b) => compareText(a.reference, b.reference));
}

/** `stl_… = 0x9f2c… = pay_…`: the thread's names in words, the reference first. */
export function describeThread(t: SettlementThread): string {
  return [t.reference, ...t.aliases.filter((a) => a !== t.reference)].join(' = ');
}
