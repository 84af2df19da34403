/**
 * The operator's column mapping for a CSV export whose headers TokenOps does not recognise: which
 * column holds each field of a credit ledger or a usage export (electron/services/intake/csv-mapping.ts).
 */
export interface CsvColumnMapping {
  layout: 'credit_ledger' | 'usage_receipts';
  /** Field → header as written in the export (compared normalised, like every header). */
  columns: Record<string, string>;
}
