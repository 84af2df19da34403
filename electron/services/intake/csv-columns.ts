/**
 * Column names and values real exports use for the fields of our CSV layouts. Billing systems and
 * spreadsheets never use our exact names (`balance_after`, `running_balance`, `type`, `amount`,
 * `created_at`…), so a ledger or usage export is recognised by what its columns mean. Headers are
 * compared normalised (csv-records.ts `normaliseHeader`); the first synonym present wins.
 */

export type ColumnMap = Record<string, string>;

/** field → accepted headers, in order of preference. */
export const LEDGER_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  entry_id: ['entry_id', 'ledger_entry_id', 'id', 'transaction_id', 'txn_id', 'event_id', 'line_id'],
  credit_entitlement_id: [
    'credit_entitlement_id',
    'entitlement_id',
    'entitlement',
    'credit_account_id',
    'credit_account',
    'account_id',
  ],
  entry_type: ['entry_type', 'type', 'transaction_type', 'event_type', 'kind'],
  credits: ['credits', 'credit_amount', 'amount', 'quantity', 'units', 'delta', 'change'],
  balance: [
    'balance',
    'balance_after',
    'running_balance',
    'closing_balance',
    'remaining_balance',
    'remaining_credits',
    'balance_credits',
  ],
  recorded_at: ['recorded_at', 'created_at', 'occurred_at', 'effective_at', 'timestamp', 'date', 'time'],
  provider_reference: ['provider_reference', 'reference', 'ref', 'external_id', 'external_reference', 'provider_id'],
  provider: ['provider', 'source', 'system'],
};

export const USAGE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  receipt_id: ['receipt_id', 'usage_receipt_id', 'usage_id', 'id'],
  credits_debited: ['credits_debited', 'credits_used', 'credits_consumed', 'debited', 'usage_credits'],
  remaining_credits: ['remaining_credits', 'credits_remaining', 'balance_after', 'remaining', 'balance'],
  work_order_id: ['work_order_id', 'work_order'],
  credit_entitlement_id: ['credit_entitlement_id', 'entitlement_id', 'entitlement'],
  result_url: ['result_url', 'url', 'result'],
  receipt_reference: ['receipt_reference', 'reference', 'ref'],
  issued_at: ['issued_at', 'created_at', 'timestamp', 'date'],
};

/** Fields a row cannot do without; the ledger's entry id can be derived from the file and row. */
export const LEDGER_NEEDS = ['credit_entitlement_id', 'entry_type', 'credits', 'balance'];
export const USAGE_NEEDS = ['receipt_id', 'credits_debited', 'remaining_credits'];

/** Which header carries each field, or the fields no header carries. */
export function mapColumns(
  columns: Readonly<Record<string, readonly string[]>>,
  headers: ReadonlySet<string>,
): { map: ColumnMap; missing: string[] } {
  const map: ColumnMap = {};
  const taken = new Set<string>();
  for (const [field, names] of Object.entries(columns)) {
    const header = names.find((n) => headers.has(n) && !taken.has(n));
    if (header) {
      map[field] = header;
      taken.add(header);
    }
  }
  return { map, missing: Object.keys(columns).filter((f) => !map[f]) };
}

/** Entry types as exports spell them → ours (grant, balance, debit, account). */
const ENTRY_TYPES: Readonly<Record<string, string>> = {
  grant: 'grant',
  credit: 'grant',
  top_up: 'grant',
  topup: 'grant',
  purchase: 'grant',
  funding: 'grant',
  deposit: 'grant',
  issue: 'grant',
  issued: 'grant',
  debit: 'debit',
  usage: 'debit',
  consumption: 'debit',
  charge: 'debit',
  spend: 'debit',
  deduction: 'debit',
  metered_debit: 'debit',
  balance: 'balance',
  snapshot: 'balance',
  opening_balance: 'balance',
  closing_balance: 'balance',
  account: 'account',
};

function entryTypeOf(value: string): string | undefined {
  return ENTRY_TYPES[
    value
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_')
  ];
}

/** Cells renamed to our fields. A signed debit amount ("-1") is the debit's size; a derived id says where it came from. */
export function canonicalCells(
  cells: Record<string, string>,
  map: ColumnMap,
  derivedId?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, header] of Object.entries(map)) if (cells[header] !== undefined) out[field] = cells[header];
  if (out.entry_type !== undefined) out.entry_type = entryTypeOf(out.entry_type) ?? out.entry_type;
  if (out.entry_type === 'debit' && out.credits?.startsWith('-')) out.credits = out.credits.slice(1);
  if (derivedId && out.entry_id === undefined) out.entry_id = derivedId;
  return out;
}
