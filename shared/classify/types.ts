import type { EvidenceRecord } from '../domain/evidence';
import type { PreRun } from '../domain/run';

/** One normalised record read from a JSON value, with the original format it was recognised as. */
export interface ClassifiedRecord {
  record: EvidenceRecord;
  /** e.g. `tokenops`, `x402_v2_payment_required`, `stripe_billing_credit_grant`. */
  format: string;
  /** 1-based row, for records read from a CSV export. */
  row?: number;
  /** What the mapping had to assume, in words (e.g. a balance the provider does not state). */
  note?: string;
}

export interface ClassifyResult {
  records: ClassifiedRecord[];
  /** Why (part of) the value is not evidence, in words; null when everything was recognised. */
  unrecognised: string | null;
  /** A "trust, quote, credit" object: not evidence, it fills the run's pre-run fields. */
  pre_run?: Partial<PreRun>;
}

export interface ClassifyContext {
  fileName?: string;
}

/** What a provider family's classifier receives: the object, the file name, and the top-level dispatcher (for wrappers). */
export interface FamilyContext extends ClassifyContext {
  classify: (value: unknown) => ClassifyResult;
}

/** A family returns null when the object is not of its shape, so the next family can try. */
export type FamilyClassifier = (obj: Record<string, unknown>, ctx: FamilyContext) => ClassifyResult | null;
