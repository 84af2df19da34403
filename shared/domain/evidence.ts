/**
 * Normalised evidence records: what TokenOps keeps of each piece of evidence, whatever shape it arrived in
 * (form, paste, our own JSON, a provider's export). Field names follow the seed where the seed names them.
 */

/** The six evidence steps, in the order an operator walks them. */
export const EVIDENCE_STEPS = [
  'settlement_reference',
  'payment_request',
  'credit_ledger_entry',
  'work_order',
  'usage_receipt',
  'files',
] as const;
export type EvidenceStep = (typeof EVIDENCE_STEPS)[number];

/** Optional inputs: they add context and trust but no step depends on them. */
export const OPTIONAL_EVIDENCE_KINDS = ['digital_asset_context', 'webhook_event'] as const;
type OptionalEvidenceKind = (typeof OPTIONAL_EVIDENCE_KINDS)[number];

export type EvidenceKind = EvidenceStep | OptionalEvidenceKind;

/** An amount in a currency or asset, kept as a decimal string so no precision is lost. */
export interface Money {
  value: string;
  currency: string;
}

/** Step 1: why the paid run exists. */
export interface SettlementReferenceRecord {
  kind: 'settlement_reference';
  settlement_reference: string;
  provider?: string;
  provider_reference?: string;
  invoice_token?: string;
  amount?: Money;
  network?: string;
  transaction?: string;
  payer?: string;
  status?: 'settled' | 'pending' | 'failed';
  /** The provider's own words for a failed settlement (x402 `errorReason`, a Stripe failure message). */
  status_reason?: string;
  settled_at?: string;
}

/** Step 2: the payment request tied to the settlement path. */
export interface PaymentRequestRecord {
  kind: 'payment_request';
  payment_request_id: string;
  /** The settlement reference this request names; must equal the run's settlement reference. */
  settlement_reference?: string;
  provider?: string;
  provider_id?: string;
  amount?: Money;
  pay_to?: string;
  network?: string;
  scheme?: string;
  resource?: string;
}

/** Step 3: the funded entitlement (or balance / debit / account record) that authorises the run. */
export interface CreditLedgerEntryRecord {
  kind: 'credit_ledger_entry';
  entry_id: string;
  credit_entitlement_id: string;
  entry_type: 'grant' | 'balance' | 'debit' | 'account';
  /**
   * Credits granted, debited or held by this entry, in credit units. Absent when the source states only
   * money (a Stripe monetary credit grant): money is never read as credits without a stated rate.
   */
  credits?: number;
  /** Money that funds the entitlement (a monetary grant: 10.00 USD), shown as funding, never as credits. */
  funding?: Money;
  /** The provider grant this entry is or belongs to (a grant and its own `credits_granted` transaction share it, so it funds once). */
  grant_id?: string;
  /** The provider's customer the entry belongs to (Stripe `cus_…`): links meter events and balances to the customer's grant. */
  customer?: string;
  /**
   * Credits available on the entitlement before this run's usage (the balance the receipt debits from).
   * Absent when the source does not state one (a metered debit, a Stripe debit transaction): never guessed.
   */
  balance?: number;
  provider?: string;
  provider_reference?: string;
  recorded_at?: string;
  /**
   * The provider's word on whether the funding still stands: a voided grant (Stripe `voided_at`) funds
   * nothing; an expired one (`expires_at`) funds nothing after it expired. Absent means active.
   */
  status?: 'active' | 'voided';
  /** The provider's own words for a voided grant ("voided at …"). */
  status_reason?: string;
  /** When the grant's credits expire (RFC 3339): usage after it is not funded by this entry. */
  expires_at?: string;
}

/** Step 4: the Work Order and its paid agent task run. */
export interface WorkOrderRecord {
  kind: 'work_order';
  work_order_id: string;
  task_run_id: string;
  requested_tool: string;
  requested_capability: string;
  operating_goal: string;
  requesting_agent?: string;
  performing_agent?: string;
  status?: string;
  /** When the paid task run started (RFC 3339). */
  started_at?: string;
}

/** Step 5: the usage receipt of the paid run. */
export interface UsageReceiptRecord {
  kind: 'usage_receipt';
  receipt_id: string;
  work_order_id?: string;
  credit_entitlement_id?: string;
  credits_debited: number;
  remaining_credits: number;
  result_url?: string;
  receipt_reference?: string;
  issued_at?: string;
}

/** One line of a file manifest: describes a file without exposing it. */
export interface FileManifestEntry {
  name: string;
  size: number;
  sha256: string;
  media_type: string;
}

/** Step 6 (manifest form): a list of files by name, size, hash and media type. */
export interface FileManifestRecord {
  kind: 'files';
  manifest_id: string;
  files: FileManifestEntry[];
}

/** Optional: tokenized asset, distribution evidence, lifecycle events, exceptions. */
export interface DigitalAssetContextRecord {
  kind: 'digital_asset_context';
  asset_id: string;
  asset_type?: string;
  network?: string;
  distribution?: unknown;
  lifecycle_events?: Array<{ event: string; at?: string; detail?: string }>;
  exceptions?: string[];
}

/** Optional: a provider webhook event kept as settlement evidence. */
export interface WebhookEventRecord {
  kind: 'webhook_event';
  event_id: string;
  event_type: string;
  provider?: string;
  created_at?: string;
  /** Identifiers the event points at (e.g. a payment intent, an invoice). */
  refers_to?: string[];
}

export type EvidenceRecord =
  | SettlementReferenceRecord
  | PaymentRequestRecord
  | CreditLedgerEntryRecord
  | WorkOrderRecord
  | UsageReceiptRecord
  | FileManifestRecord
  | DigitalAssetContextRecord
  | WebhookEventRecord;

/** How a record reached the run. */
type EvidenceSource = 'form' | 'paste' | 'file';

/** A record as the run holds it: the normalised record plus where it came from. */
export interface EvidenceItem {
  evidence_id: string;
  kind: EvidenceKind;
  source: EvidenceSource;
  received_at: string;
  /** The recognised original format, e.g. `tokenops`, `x402_v2_payment_required`, `stripe_billing_credit_grant`, `csv_row`. */
  format: string;
  /** The run file the record was read from, when it came from a file. */
  file_id?: string;
  /** 1-based row for CSV-derived records. */
  row?: number;
  record: EvidenceRecord;
  /** The record this one corrected (same kind, id and format); that one is kept but no longer counts. */
  supersedes?: string;
  /** Set on a corrected record: the one that replaced it, and when. It stays in the run's history. */
  superseded_by?: string;
  superseded_at?: string;
}
