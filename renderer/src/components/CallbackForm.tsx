import { useEffect, useState } from 'react';
import type { Run } from '../../../shared/domain/run';
import { useStore } from '../store';
import { Callout } from './Callout';
import { CopyField } from './CopyField';
import { Field } from './Field';

/**
 * Where the result travels back: URL and Standard Webhooks secret (runs.setCallback). A URL on this machine
 * or a private network is saved only after the operator confirms it; a secret TokenOps generated is shown
 * here once, for the receiver, and never again.
 */
export function CallbackForm({ run, disabled }: { run: Run; disabled: boolean }) {
  const setCallback = useStore((s) => s.setCallback);
  const [url, setUrl] = useState(run.callback?.url ?? '');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [privateAsk, setPrivateAsk] = useState<string | null>(null);
  const [generated, setGenerated] = useState<string | null>(null);
  useEffect(() => setUrl(run.callback?.url ?? ''), [run.callback?.url]);

  async function save(allowPrivate: boolean) {
    setBusy(true);
    const res = await setCallback(url.trim(), secret.trim(), allowPrivate);
    setBusy(false);
    setPrivateAsk(!res.ok && res.privateAddress ? res.message : null);
    setError(res.ok || res.privateAddress ? null : res.message);
    if (res.ok) {
      setSecret('');
      setGenerated(res.generatedSecret ?? null);
    }
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!url.trim()) return setError('Enter the callback URL.');
    await save(false);
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
            onChange={(e) => {
              setUrl(e.target.value);
              setPrivateAsk(null);
            }}
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
            hint="Standard Webhooks secret; leave empty on a new destination and TokenOps makes one."
          />
        </div>
        {privateAsk && (
          <Callout tone="warn" title="Deliver to a private address?" role="alert">
            <p>{privateAsk}</p>
            <div className="form-actions">
              <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void save(true)}>
                Deliver to this private address
              </button>
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => setPrivateAsk(null)}>
                Cancel
              </button>
            </div>
          </Callout>
        )}
        {generated && (
          <Callout tone="info" title="Signing secret (shown once)" role="status">
            <p>
              Give it to the receiver so it can verify each callback&apos;s signature. TokenOps will not show it again.
            </p>
            <CopyField value={generated} label="signing secret" />
          </Callout>
        )}
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
