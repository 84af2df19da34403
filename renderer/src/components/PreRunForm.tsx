import { useEffect, useState } from 'react';
import type { PreRun } from '../../../shared/domain/run';
import { useStore } from '../store';
import { Field } from './Field';

const KEYS = [
  'trust_profile_id',
  'quote_id',
  'credit_entitlement_id',
  'requested_tool',
  'requested_capability',
] as const;
const LABELS: Record<(typeof KEYS)[number], string> = {
  trust_profile_id: 'Trust profile',
  quote_id: 'Quote',
  credit_entitlement_id: 'Credit entitlement',
  requested_tool: 'Requested tool',
  requested_capability: 'Requested capability',
};

function fromPreRun(p: PreRun): Record<(typeof KEYS)[number], string> {
  return Object.fromEntries(KEYS.map((k) => [k, p[k] ?? ''])) as Record<(typeof KEYS)[number], string>;
}

/** Trust, quote, credit: what the run is tied to before the agent runs (runs.setPreRun). */
export function PreRunForm({ preRun, disabled }: { preRun: PreRun; disabled: boolean }) {
  const setPreRun = useStore((s) => s.setPreRun);
  const [values, setValues] = useState(() => fromPreRun(preRun));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setValues(fromPreRun(preRun)), [preRun]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const pre: Partial<PreRun> = {};
    for (const k of KEYS) if (values[k].trim()) pre[k] = values[k].trim();
    setBusy(true);
    const res = await setPreRun(pre);
    setBusy(false);
    setError(res.ok ? null : res.message);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="prerun-title">
      <h3 id="prerun-title" className="mini-title">
        Trust, quote, credit
      </h3>
      <fieldset disabled={disabled} className="bare">
        <div className="form-grid">
          {KEYS.map((k) => (
            <Field
              key={k}
              label={LABELS[k]}
              value={values[k]}
              onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))}
            />
          ))}
        </div>
        <div className="form-actions">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? 'Saving…' : 'Save trust, quote and credit'}
          </button>
          {error && (
            <span className="form-error" role="alert">
              {error}
            </span>
          )}
        </div>
      </fieldset>
    </form>
  );
}
