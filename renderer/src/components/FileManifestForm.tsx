import { useState } from 'react';
import type { FileManifestRecord } from '../../../shared/domain/evidence';
import { useRecordSubmit } from '../hooks/useRecordSubmit';
import { Field } from './Field';

interface Entry {
  name: string;
  size: string;
  sha256: string;
  media_type: string;
}
const EMPTY_ENTRY: Entry = { name: '', size: '', sha256: '', media_type: '' };

/** Step 6 by hand: a file manifest describing files by name, size, SHA-256 and media type. */
export function FileManifestForm() {
  const [manifestId, setManifestId] = useState('');
  const [entries, setEntries] = useState<Entry[]>([{ ...EMPTY_ENTRY }]);
  const { errors, setErrors, busy, send } = useRecordSubmit();

  const setEntry = (i: number, k: keyof Entry) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setEntries((list) => list.map((en, j) => (j === i ? { ...en, [k]: e.target.value } : en)));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const record: FileManifestRecord = {
      kind: 'files',
      manifest_id: manifestId.trim(),
      files: entries.map((en) => ({
        name: en.name.trim(),
        size: en.size.trim() === '' ? Number.NaN : Number(en.size),
        sha256: en.sha256.trim().toLowerCase(),
        media_type: en.media_type.trim(),
      })),
    };
    if (!record.manifest_id) {
      setErrors(['Fill in: Manifest ID.']);
      return;
    }
    await send('file_manifest', record, () => {
      setManifestId('');
      setEntries([{ ...EMPTY_ENTRY }]);
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Enter a file manifest by hand">
      <div className="form-grid">
        <Field
          label="Manifest ID"
          required
          value={manifestId}
          onChange={(e) => setManifestId(e.target.value)}
          placeholder="fm_…"
        />
      </div>
      {entries.map((en, i) => (
        <fieldset key={i} className="manifest-entry">
          <legend>File {i + 1}</legend>
          <div className="form-grid">
            <Field label="Name" required value={en.name} onChange={setEntry(i, 'name')} />
            <Field label="Size (bytes)" required type="number" min={0} value={en.size} onChange={setEntry(i, 'size')} />
            <Field
              label="SHA-256"
              required
              className="span-all"
              value={en.sha256}
              onChange={setEntry(i, 'sha256')}
              placeholder="64 hexadecimal characters"
            />
            <Field
              label="Media type"
              required
              value={en.media_type}
              onChange={setEntry(i, 'media_type')}
              placeholder="application/json"
            />
          </div>
          {entries.length > 1 && (
            <button
              type="button"
              className="btn btn-sm btn-ghost"
              onClick={() => setEntries((l) => l.filter((_, j) => j !== i))}
            >
              Remove file {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => setEntries((l) => [...l, { ...EMPTY_ENTRY }])}>
          Add another file
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add file manifest'}
        </button>
        {errors.length > 0 && (
          <div className="form-error" role="alert">
            <ul className="error-list">
              {errors.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </form>
  );
}
