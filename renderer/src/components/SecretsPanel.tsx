import type { Run } from '../../../shared/domain/run';
import { holdsSecret, needsAttestation } from '../../../shared/evaluation/files';
import { AttestAllForm } from './AttestAllForm';
import { Icon } from './Icon';
import { SecretFileCard } from './SecretFileCard';

/** Files that block packaging: a secret was found, or the file could not be scanned and nobody attested it. */
export function SecretsPanel({ run, frozen }: { run: Run; frozen: boolean }) {
  const flagged = run.files.filter((f) => !f.excluded && (holdsSecret(f) || needsAttestation(f)));
  if (!flagged.length) return null;
  const secrets = flagged.filter(holdsSecret).length;
  const unscannable = flagged.filter(needsAttestation);
  return (
    <section className="card secrets-panel" aria-labelledby="secrets-title">
      <div className="card-head">
        <div className="row">
          <span className="tone-text-bad">
            <Icon name="shield" size={18} />
          </span>
          <h2 id="secrets-title">Secrets found</h2>
        </div>
        <span className="subtle">
          {secrets > 0 && `${secrets} file${secrets === 1 ? '' : 's'} with secrets`}
          {secrets > 0 && flagged.length > secrets && ' · '}
          {flagged.length > secrets && `${flagged.length - secrets} not scannable`}
        </span>
      </div>
      <div className="card-body">
        <p className="muted secrets-intro">
          Packaging is blocked until each of these files is redacted, excluded, replaced with a clean copy, or — when it
          could not be scanned — attested. Excerpts are masked; the secret itself is never shown.
        </p>
        {!frozen && unscannable.length > 1 && <AttestAllForm files={unscannable} />}
        <ul className="secret-files">
          {flagged.map((f) => (
            <SecretFileCard key={f.file_id} file={f} frozen={frozen} />
          ))}
        </ul>
      </div>
    </section>
  );
}
