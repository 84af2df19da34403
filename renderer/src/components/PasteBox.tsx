import { useId, useState } from 'react';
import { useStore } from '../store';

/** Paste any JSON evidence; TokenOps reads its shape and files it under the right step. */
export function PasteBox({ stepTitle }: { stepTitle: string }) {
  const paste = useStore((s) => s.paste);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim()) {
      setError('Paste some JSON first.');
      return;
    }
    setBusy(true);
    const res = await paste(text);
    setBusy(false);
    if (res.ok) {
      setText('');
      setError(null);
    } else setError(res.message);
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Paste evidence for ${stepTitle.toLowerCase()}`}>
      <div className="field">
        <label className="field-label" htmlFor={id}>
          Evidence JSON
        </label>
        <textarea
          id={id}
          className="textarea mono"
          rows={6}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={'{ "kind": "…", … }  — one record, an array, or a provider export'}
          aria-describedby={`${id}-hint`}
          aria-invalid={error ? true : undefined}
          spellCheck={false}
        />
        <span className="field-hint" id={`${id}-hint`}>
          TokenOps recognises the step from the JSON's shape, including payment-processor objects and HTTP 402 payment
          payloads.
        </span>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Reading…' : 'Add pasted evidence'}
        </button>
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
      </div>
    </form>
  );
}
