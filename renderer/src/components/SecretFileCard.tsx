import { useId, useState } from 'react';
import { findingPlace, type RunFile } from '../../../shared/domain/run';
import { formatBytes } from '../format';
import { useStore } from '../store';
import { Icon } from './Icon';
import { InlineConfirmForm } from './InlineConfirmForm';

const DEFAULT_REASON = 'Holds a secret; kept out of the bundle.';

/** One file that blocks packaging: its findings (masked) and the ways out. */
export function SecretFileCard({ file, frozen }: { file: RunFile; frozen: boolean }) {
  const excludeFile = useStore((s) => s.excludeFile);
  const replaceFile = useStore((s) => s.replaceFile);
  const attestFile = useStore((s) => s.attestFile);
  const redactFile = useStore((s) => s.redactFile);
  const busy = useStore((s) => s.runBusy);
  const [mode, setMode] = useState<'none' | 'exclude' | 'attest'>('none');
  const [reason, setReason] = useState(DEFAULT_REASON);
  const [attestedBy, setAttestedBy] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const unscannable = file.scan.status === 'unscannable';
  // Only text can be masked in place; a finding inside a binary or an archive entry cannot.
  const redactable =
    file.scan.status === 'findings' && file.scan.findings.every((f) => f.entry === undefined && f.offset === undefined);

  async function confirmExclude(e: React.FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError('Say why the file is excluded.');
    const res = await excludeFile(file.file_id, reason.trim());
    if (!res.ok) setError(res.message);
  }
  async function confirmAttest(e: React.FormEvent) {
    e.preventDefault();
    if (!attestedBy.trim()) return setError('Enter who attests that the file holds no secret.');
    const res = await attestFile(file.file_id, attestedBy.trim());
    if (!res.ok) setError(res.message);
  }

  return (
    <li className="secret-file" aria-labelledby={`${id}-name`}>
      <div className="secret-file-head">
        <Icon name="file" />
        <span id={`${id}-name`} className="file-name break">
          {file.name}
        </span>
        <span className="subtle">{formatBytes(file.size)}</span>
      </div>
      {unscannable ? (
        <div className="muted">
          <p>{file.scan.reason ?? 'This file could not be scanned for secrets (binary content).'}</p>
          <p>Once you have checked it yourself, attest that it holds no secret — or exclude it.</p>
        </div>
      ) : (
        <table className="table findings">
          <caption className="visually-hidden">Secrets found in {file.name}</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col" className="right">
                Where
              </th>
              <th scope="col">Excerpt (masked)</th>
            </tr>
          </thead>
          <tbody>
            {file.scan.findings.map((f, i) => (
              <tr key={`${f.rule}-${f.line}-${i}`}>
                <td>
                  <div className="rule-title">{f.rule}</div>
                  {f.message && <div className="subtle">{f.message}</div>}
                </td>
                <td className="right num">
                  {f.line > 0 && !f.entry ? (
                    <>
                      {f.line}
                      {f.column ? <span className="subtle">:{f.column}</span> : null}
                    </>
                  ) : (
                    findingPlace(f)
                  )}
                </td>
                <td>
                  <code className="excerpt break">{f.excerpt}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!frozen && mode === 'none' && (
        <div className="row secret-actions">
          <button
            type="button"
            className="btn btn-danger btn-sm"
            onClick={() => setMode('exclude')}
            aria-label={`Exclude file ${file.name}`}
          >
            Exclude file
          </button>
          {redactable && (
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => void redactFile(file.file_id)}
              disabled={!!busy}
              aria-label={`Redact ${file.name}: a copy with each finding masked`}
            >
              Redact
            </button>
          )}
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => void replaceFile(file.file_id)}
            disabled={!!busy}
            aria-label={`Replace ${file.name}…`}
          >
            Replace…
          </button>
          {unscannable && (
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => setMode('attest')}
              aria-label={`Attest no secrets in ${file.name}`}
            >
              Attest no secrets
            </button>
          )}
        </div>
      )}
      {mode === 'exclude' && (
        <InlineConfirmForm
          formLabel={`Exclude ${file.name}`}
          fieldLabel="Reason for excluding"
          value={reason}
          onChange={setReason}
          confirmLabel="Confirm exclude"
          confirmClass="btn-danger"
          busy={!!busy}
          onConfirm={confirmExclude}
          onCancel={() => setMode('none')}
        />
      )}
      {mode === 'attest' && (
        <InlineConfirmForm
          formLabel={`Attest ${file.name}`}
          fieldLabel="Attested by (your name)"
          value={attestedBy}
          onChange={setAttestedBy}
          confirmLabel="Confirm attestation"
          confirmClass="btn-primary"
          busy={!!busy}
          onConfirm={confirmAttest}
          onCancel={() => setMode('none')}
        />
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
