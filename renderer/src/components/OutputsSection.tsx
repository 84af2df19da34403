import type { ResultPackage, UsageReceipt } from '../../../shared/domain/outputs';
import { humanize } from '../format';

function Value({ v }: { v: unknown }) {
  if (v === null || v === undefined) return <span className="subtle">—</span>;
  if (Array.isArray(v))
    return v.length ? <span className="break">{v.join(', ')}</span> : <span className="subtle">none</span>;
  if (typeof v === 'object') return <code className="break">{JSON.stringify(v)}</code>;
  return <span className="break">{String(v)}</span>;
}

const PACKAGE_FIELDS: Array<keyof ResultPackage> = [
  'package_type',
  'evidence_status',
  'evidence_score',
  'received_inputs',
  'uploaded_files',
  'settlement_reference',
  'usage_receipt',
  'callback_delivery',
  'client_deliverable',
];
const RECEIPT_FIELDS: Array<keyof UsageReceipt> = [
  'receipt_id',
  'credits_debited',
  'remaining_credits',
  'evidence_status',
  'result_status',
  'callback_status',
  'result_url',
  'receipt_reference',
];

/** The delivered result package and usage receipt, seed fields first. */
export function OutputsSection({ pkg, receipt }: { pkg: ResultPackage; receipt: UsageReceipt }) {
  return (
    <section aria-labelledby="outputs-title">
      <div className="section-title">
        <h2 id="outputs-title">Result package and usage receipt</h2>
      </div>
      <div className="outputs-grid">
        <div className="card card-pad" data-testid="result-package">
          <h3 className="mini-title">Result package</h3>
          <dl className="dl">
            {PACKAGE_FIELDS.map((k) => (
              <div className="dl-row" key={k}>
                <dt>{humanize(k)}</dt>
                <dd>
                  <Value v={pkg[k]} />
                </dd>
              </div>
            ))}
          </dl>
        </div>
        <div className="card card-pad" data-testid="usage-receipt">
          <h3 className="mini-title">Usage receipt</h3>
          <dl className="dl">
            {RECEIPT_FIELDS.map((k) => (
              <div className="dl-row" key={k}>
                <dt>{humanize(k)}</dt>
                <dd>
                  <Value v={receipt[k]} />
                </dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
    </section>
  );
}
