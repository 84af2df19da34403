import { useState } from 'react';
import type { VerifyView } from '../../../shared/ipc/contract';
import { useStore } from '../store';
import { Callout } from './Callout';
import { InlineConfirmForm } from './InlineConfirmForm';

/**
 * Who signed, and whether TokenOps trusts them. A valid signature by a key nobody trusted proves only that
 * the bundle is intact, not who made it, so the operator may trust the signer here: by name, after a
 * confirmation that says what trusting means. Only for a bundle the operator chose (not the run's own).
 */
export function TrustSigner({ result, canTrust }: { result: VerifyView; canTrust: boolean }) {
  const trustSigner = useStore((s) => s.trustSigner);
  const busy = useStore((s) => s.trustingSigner);
  const [asking, setAsking] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!result.signer || result.signer_trusted !== false) return null;
  return (
    <Callout tone="warn" title="Signer not trusted" role="status">
      <p>
        The signature is valid, but the key that made it is neither this data folder&apos;s own nor one you trust. Trust
        it only if you know whose key it is (compare the fingerprint with the signer&apos;s).
      </p>
      {canTrust &&
        (asking ? (
          <InlineConfirmForm
            formLabel="Trust this signer"
            fieldLabel="Whose key is this? (a name you will recognise)"
            value={name}
            onChange={setName}
            confirmLabel="Trust signer"
            confirmClass="btn-primary"
            busy={busy}
            onConfirm={(e) => {
              e.preventDefault();
              const n = name.trim();
              if (!n) {
                setError('Give a name, such as the agent or company that signs these bundles.');
                return;
              }
              void trustSigner(n).then((r) => {
                if (r.ok) setAsking(false);
                else setError(r.message);
              });
            }}
            onCancel={() => {
              setAsking(false);
              setError(null);
            }}
          />
        ) : (
          <button type="button" className="btn btn-sm" onClick={() => setAsking(true)}>
            Trust this signer…
          </button>
        ))}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Callout>
  );
}
