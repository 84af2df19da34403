import { useState } from 'react';
import type { RunFile } from '../../../shared/domain/run';
import { useStore } from '../store';
import { InlineConfirmForm } from './InlineConfirmForm';

/** One confirmation for every file that could not be scanned (a folder of screenshots and PDFs), naming each. */
export function AttestAllForm({ files }: { files: RunFile[] }) {
  const attestAll = useStore((s) => s.attestAllUnscannable);
  const busy = useStore((s) => s.runBusy);
  const [open, setOpen] = useState(false);
  const [by, setBy] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function confirm(e: React.FormEvent) {
    e.preventDefault();
    if (!by.trim()) return setError('Enter who attests that these files hold no secret.');
    const res = await attestAll(by.trim());
    if (!res.ok) setError(res.message);
    else setOpen(false);
  }

  if (!open) {
    return (
      <button type="button" className="btn btn-sm" onClick={() => setOpen(true)}>
        Attest all {files.length} unscannable…
      </button>
    );
  }
  return (
    <div className="attest-all">
      <p className="muted">You confirm that you opened each of these and that none holds a secret:</p>
      <ul className="attest-all-names">
        {files.map((f) => (
          <li key={f.file_id} className="break">
            {f.name}
          </li>
        ))}
      </ul>
      <InlineConfirmForm
        formLabel={`Attest ${files.length} unscannable files`}
        fieldLabel="Attested by (your name)"
        value={by}
        onChange={setBy}
        confirmLabel={`Attest ${files.length} files`}
        confirmClass="btn-primary"
        busy={!!busy}
        onConfirm={confirm}
        onCancel={() => setOpen(false)}
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
