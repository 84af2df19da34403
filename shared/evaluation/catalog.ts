/**
 * What each evidence step and each cross-check is, in words. Evaluation, the manifest and the UI all
 * read this one table so the words an operator sees are the words an agent reads.
 */
import type { EvidenceStep } from '../domain/evidence';

export interface StepDefinition {
  step: EvidenceStep;
  /** Position in the operator's walk, 1-based. */
  number: number;
  title: string;
  /** What satisfies the step (the seed's words). */
  satisfied_by: string;
  /** Name of the JSON Schema (shared/schemas) a record of this step follows. */
  schema:
    | 'settlement_reference'
    | 'payment_request'
    | 'credit_ledger_entry'
    | 'work_order'
    | 'usage_receipt_record'
    | 'file_manifest';
}

export const STEP_DEFINITIONS: readonly StepDefinition[] = [
  {
    step: 'settlement_reference',
    number: 1,
    title: 'Settlement reference',
    satisfied_by:
      'Settlement intent, provider reference, invoice token, or another public-safe record showing why the paid run exists.',
    schema: 'settlement_reference',
  },
  {
    step: 'payment_request',
    number: 2,
    title: 'Payment request',
    satisfied_by:
      'Payment request artifact, provider ID, credit funding record, or test-provider artifact tied to the settlement path.',
    schema: 'payment_request',
  },
  {
    step: 'credit_ledger_entry',
    number: 3,
    title: 'Credit ledger entry',
    satisfied_by:
      'Funded entitlement, credit balance, metered debit, or credit account record that authorizes the paid agent run.',
    schema: 'credit_ledger_entry',
  },
  {
    step: 'work_order',
    number: 4,
    title: 'Work Order and task run',
    satisfied_by: 'The Work Order, paid agent task run, requested tool, requested capability, and operating goal.',
    schema: 'work_order',
  },
  {
    step: 'usage_receipt',
    number: 5,
    title: 'Usage receipt',
    satisfied_by:
      'Usage receipt, credits debited, remaining credits, result URL, and a receipt reference that can be preserved.',
    schema: 'usage_receipt_record',
  },
  {
    step: 'files',
    number: 6,
    title: 'Files or file manifest',
    satisfied_by:
      'Public-safe uploaded files, JSON records, CSV exports, or a file manifest describing evidence without exposing secrets ' +
      '(at least one packaged file that scans clean or is attested, or a file manifest record).',
    schema: 'file_manifest',
  },
];

export function stepDefinition(step: EvidenceStep): StepDefinition {
  return STEP_DEFINITIONS.find((d) => d.step === step)!;
}

export const CHECK_IDS = [
  'payment_request_matches_settlement',
  'payment_amount_matches_settlement',
  'ledger_entry_matches_entitlement',
  'receipt_matches_work_order',
  'receipt_matches_entitlement',
  'remaining_equals_balance_minus_debited',
  'work_order_requests_run_tool',
  'file_manifest_hashes_match',
  'no_secrets',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface CheckDefinition {
  check_id: CheckId;
  title: string;
  description: string;
  /** The steps whose evidence the check links; a failing check makes these steps inconsistent. */
  steps: EvidenceStep[];
}

export const CHECK_DEFINITIONS: readonly CheckDefinition[] = [
  {
    check_id: 'payment_request_matches_settlement',
    title: "Payment request names the run's settlement",
    description:
      "Every payment request that names a settlement reference names the run's settlement reference (step 1).",
    steps: ['payment_request'],
  },
  {
    check_id: 'payment_amount_matches_settlement',
    title: 'Payment amount and network equal the settlement',
    description:
      "Each payment request's amount and network equal those of the settlement it links to (x402 exact: settled = requested; " +
      'upto: settled ≤ the maximum; otherwise settled ≥ requested). Amounts in different units are never compared as equal.',
    steps: ['payment_request'],
  },
  {
    check_id: 'ledger_entry_matches_entitlement',
    title: "Credit ledger entry is for the run's credit entitlement",
    description:
      "Every credit ledger entry's credit_entitlement_id equals the run's credit_entitlement_id (when the run sets one).",
    steps: ['credit_ledger_entry'],
  },
  {
    check_id: 'receipt_matches_work_order',
    title: 'Usage receipt is for the Work Order',
    description:
      "Every usage receipt that names a work order names the run's Work Order, and none is issued before that Work Order's task run started.",
    steps: ['usage_receipt'],
  },
  {
    check_id: 'receipt_matches_entitlement',
    title: "Usage receipt is for the run's credit entitlement",
    description:
      "Every usage receipt that names a credit entitlement names the run's (or, when the run sets none, the ledger entry's).",
    steps: ['usage_receipt'],
  },
  {
    check_id: 'remaining_equals_balance_minus_debited',
    title: 'Remaining credits = balance − credits debited',
    description:
      "Each usage receipt's remaining_credits equals the ledger balance minus its credits_debited, and is never negative.",
    steps: ['usage_receipt'],
  },
  {
    check_id: 'work_order_requests_run_tool',
    title: "Work Order requests the run's tool and capability",
    description: "Every Work Order's requested_tool and requested_capability equal the run's.",
    steps: ['work_order'],
  },
  {
    check_id: 'file_manifest_hashes_match',
    title: 'File manifest hashes match the packaged files',
    description: 'Every file-manifest entry whose file is in the run has the same SHA-256 and size as that file.',
    steps: ['files'],
  },
  {
    check_id: 'no_secrets',
    title: 'No secrets in packaged files',
    description: 'No packaged file holds a secret finding; a file that could not be scanned must be attested.',
    steps: ['files'],
  },
];

export function checkDefinition(id: CheckId): CheckDefinition {
  return CHECK_DEFINITIONS.find((d) => d.check_id === id)!;
}
