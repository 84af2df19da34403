import { useEffect, useState } from 'react';
import type { Run } from '../../../shared/domain/run';
import { useStore } from '../store';
import { Field } from './Field';

/** Where the result travels back: URL and Standard Webhooks secret (runs.setCallback). */
export function CallbackForm({ run, disabled }: { run: Run; disabled: boolean }) {
  const setCallback = useStore((s) => s.setCallback);
  const [url, setUrl] = useState(run.callback?.url ?? '');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setUrl(run.callback?.url ?? ''), [run.callback?.url]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!url.trim()) return setError('Enter the callback URL.');
    setBusy(true);
    const res = await setCallback(url.trim(), secret.trim());
    setBusy(false);
    if (res.ok) setSecret('');
    setError(res.ok ? null : res.message);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="callback-title">
      <h3 id="callback-title" className="mini-title">
        Callback destination
      </h3>
      <fieldset disabled={disabled} className="bare">
        <div className="form-grid">
          <Field
            label="Callback URL"
            type="url"
            className="span-all"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://agent.example.com/hooks/tokenops"
          />
          <Field
            label="Signing secret"
            type="password"
            className="span-all"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            placeholder={run.callback ? 'Leave empty to keep the current secret' : 'whsec_…'}
            hint="Standard Webhooks secret; stored by TokenOps, never shown again."
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? 'Saving…' : 'Save callback'}
          </button>
          {run.callback && <span className="subtle">Current: {run.callback.destination_id}</span>}
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
