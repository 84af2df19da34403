/**
 * The hand-entry form of each evidence step, field by field (names from shared/domain/evidence.ts),
 * and how a filled form becomes a record. Prefills link the step to what the run already knows.
 */
import type { EvidenceRecord, EvidenceStep } from '../../shared/domain/evidence';
import type { Run } from '../../shared/domain/run';

type FieldType = 'text' | 'number' | 'select' | 'textarea' | 'url' | 'datetime';

export interface FieldSpec {
  /** Record field; `amount.value` / `amount.currency` build a Money object. */
  name: string;
  label: string;
  type: FieldType;
  required?: boolean;
  options?: readonly string[];
  placeholder?: string;
  hint?: string;
  wide?: boolean;
  prefill?(run: Run): string | undefined;
}

function firstRecord<K extends EvidenceRecord['kind']>(
  run: Run,
  kind: K,
): Extract<EvidenceRecord, { kind: K }> | undefined {
  return run.evidence.find((e) => e.kind === kind)?.record as Extract<EvidenceRecord, { kind: K }> | undefined;
}

const amount: FieldSpec[] = [
  { name: 'amount.value', label: 'Amount', type: 'text', placeholder: 'e.g. 10.00', hint: 'A decimal number.' },
  { name: 'amount.currency', label: 'Currency', type: 'text', placeholder: 'e.g. USD, USDC, credits' },
];

export const STEP_FIELDS: Record<Exclude<EvidenceStep, 'files'>, FieldSpec[]> = {
  settlement_reference: [
    { name: 'settlement_reference', label: 'Settlement reference', type: 'text', required: true, placeholder: 'stl_…' },
    { name: 'provider', label: 'Provider', type: 'text' },
    { name: 'provider_reference', label: 'Provider reference', type: 'text' },
    { name: 'invoice_token', label: 'Invoice token', type: 'text' },
    ...amount,
    { name: 'status', label: 'Status', type: 'select', options: ['', 'settled', 'pending', 'failed'] },
    { name: 'settled_at', label: 'Settled at', type: 'text', placeholder: 'e.g. 2026-06-02T09:14:00Z' },
    { name: 'network', label: 'Network', type: 'text' },
    { name: 'transaction', label: 'Transaction', type: 'text' },
    { name: 'payer', label: 'Payer', type: 'text' },
  ],
  payment_request: [
    { name: 'payment_request_id', label: 'Payment request ID', type: 'text', required: true, placeholder: 'preq_…' },
    {
      name: 'settlement_reference',
      label: 'Settlement reference it names',
      type: 'text',
      hint: "Must equal the run's settlement reference (step 1).",
      prefill: (run) => firstRecord(run, 'settlement_reference')?.settlement_reference,
    },
    { name: 'provider', label: 'Provider', type: 'text' },
    { name: 'provider_id', label: 'Provider ID', type: 'text' },
    ...amount,
    { name: 'pay_to', label: 'Pay to', type: 'text' },
    { name: 'network', label: 'Network', type: 'text' },
    { name: 'scheme', label: 'Scheme', type: 'text' },
    { name: 'resource', label: 'Resource', type: 'text' },
  ],
  credit_ledger_entry: [
    { name: 'entry_id', label: 'Entry ID', type: 'text', required: true, placeholder: 'cle_…' },
    {
      name: 'credit_entitlement_id',
      label: 'Credit entitlement',
      type: 'text',
      required: true,
      hint: "Must equal the run's credit entitlement.",
      prefill: (run) => run.pre_run.credit_entitlement_id,
    },
    {
      name: 'entry_type',
      label: 'Entry type',
      type: 'select',
      required: true,
      options: ['grant', 'balance', 'debit', 'account'],
    },
    {
      name: 'credits',
      label: 'Credits',
      type: 'number',
      required: true,
      hint: 'Granted, debited or held by this entry.',
    },
    { name: 'balance', label: 'Balance before the run', type: 'number', required: true },
    { name: 'provider', label: 'Provider', type: 'text' },
    { name: 'provider_reference', label: 'Provider reference', type: 'text' },
    { name: 'recorded_at', label: 'Recorded at', type: 'text', placeholder: 'e.g. 2026-06-02T09:15:00Z' },
  ],
  work_order: [
    { name: 'work_order_id', label: 'Work Order ID', type: 'text', required: true, placeholder: 'wo_…' },
    { name: 'task_run_id', label: 'Task run ID', type: 'text', required: true, placeholder: 'taskrun_…' },
    {
      name: 'requested_tool',
      label: 'Requested tool',
      type: 'text',
      required: true,
      prefill: (run) => run.pre_run.requested_tool,
    },
    {
      name: 'requested_capability',
      label: 'Requested capability',
      type: 'text',
      required: true,
      prefill: (run) => run.pre_run.requested_capability,
    },
    { name: 'operating_goal', label: 'Operating goal', type: 'textarea', required: true, wide: true },
    { name: 'requesting_agent', label: 'Requesting agent', type: 'text' },
    { name: 'performing_agent', label: 'Performing agent', type: 'text' },
    { name: 'status', label: 'Status', type: 'text', placeholder: 'e.g. completed' },
  ],
  usage_receipt: [
    { name: 'receipt_id', label: 'Receipt ID', type: 'text', required: true, placeholder: 'usage_…' },
    {
      name: 'work_order_id',
      label: 'Work Order ID',
      type: 'text',
      prefill: (run) => firstRecord(run, 'work_order')?.work_order_id,
    },
    {
      name: 'credit_entitlement_id',
      label: 'Credit entitlement',
      type: 'text',
      prefill: (run) =>
        run.pre_run.credit_entitlement_id ?? firstRecord(run, 'credit_ledger_entry')?.credit_entitlement_id,
    },
    { name: 'credits_debited', label: 'Credits debited', type: 'number', required: true },
    {
      name: 'remaining_credits',
      label: 'Remaining credits',
      type: 'number',
      required: true,
      hint: 'Balance − credits debited.',
    },
    { name: 'result_url', label: 'Result URL', type: 'url', placeholder: 'https://…' },
    { name: 'receipt_reference', label: 'Receipt reference', type: 'text' },
    { name: 'issued_at', label: 'Issued at', type: 'text', placeholder: 'e.g. 2026-06-02T09:40:00Z' },
  ],
};

export function initialValues(fields: FieldSpec[], run: Run): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields)
    out[f.name] = f.prefill?.(run) ?? (f.type === 'select' && f.required ? (f.options?.[0] ?? '') : '');
  return out;
}

/** The labels of required fields left empty. */
export function missingRequired(fields: FieldSpec[], values: Record<string, string>): string[] {
  return fields.filter((f) => f.required && !(values[f.name] ?? '').trim()).map((f) => f.label);
}

/** Filled form → record: empty optional fields are left out, numbers parsed, amount fields joined. */
export function buildRecord(
  kind: EvidenceRecord['kind'],
  fields: FieldSpec[],
  values: Record<string, string>,
): EvidenceRecord {
  const rec: Record<string, unknown> = { kind };
  const money: Record<string, string> = {};
  for (const f of fields) {
    const raw = (values[f.name] ?? '').trim();
    if (!raw) continue;
    if (f.name.startsWith('amount.')) {
      money[f.name.slice('amount.'.length)] = raw;
      continue;
    }
    rec[f.name] = f.type === 'number' ? Number(raw) : raw;
  }
  if (money.value || money.currency) rec.amount = { value: money.value ?? '', currency: money.currency ?? '' };
  return rec as unknown as EvidenceRecord;
}
