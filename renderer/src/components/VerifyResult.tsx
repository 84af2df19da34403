import type { VerifyView } from '../../../shared/ipc/contract';
import { Callout } from './Callout';
import { CopyField } from './CopyField';
import { Icon } from './Icon';
import { TrustSigner } from './TrustSigner';

const VERIFY_CHECKS: Array<{ id: string; title: string; what: string }> = [
  {
    id: 'zip_structure',
    title: 'Zip structure',
    what: 'No unsafe, duplicate or symlink entries, and sizes within bounds.',
  },
  {
    id: 'bag_manifests',
    title: 'Bag manifests',
    what: 'Every payload and tag file matches its SHA-256 in the BagIt manifests.',
  },
  {
    id: 'signature',
    title: 'Signature',
    what: 'The DSSE envelope is signed by the Ed25519 key that travels with the bundle.',
  },
  {
    id: 'subjects',
    title: 'Signed subjects',
    what: 'The signed statement names exactly the payload files, with their digests.',
  },
];

/** A check the verifier skipped because an earlier one failed (reported as not ok, "Not run: …"). */
function notRun(c: { ok: boolean; message: string }): boolean {
  return !c.ok && /^not run\b/i.test(c.message.trim());
}

/** The verdict and each check in words. */
export function VerifyResult({ result, canTrust = false }: { result: VerifyView; canTrust?: boolean }) {
  const known = new Set(VERIFY_CHECKS.map((c) => c.id));
  const extra = result.checks.filter((c) => !known.has(c.id));
  const failed = result.checks.filter((c) => !c.ok && !notRun(c));
  const skipped = result.checks.filter(notRun).length;
  return (
    <section className="card verify-result" aria-labelledby="verify-result-title" data-testid="verify-result">
      <div className="card-body stack">
        <Callout
          tone={result.ok ? 'ok' : 'bad'}
          role={result.ok ? 'status' : 'alert'}
          title={<span id="verify-result-title">{result.ok ? 'Bundle verified' : 'Bundle refused'}</span>}
        >
          <p>
            {result.ok
              ? 'Every check passed: the bundle is intact and signed by the key below.'
              : `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => VERIFY_CHECKS.find((k) => k.id === c.id)?.title ?? c.id).join(', ')}${
                  skipped ? ` (${skipped} later check${skipped === 1 ? ' was' : 's were'} not run)` : ''
                }. Do not rely on this bundle.`}
          </p>
        </Callout>
        <TrustSigner result={result} canTrust={canTrust} />
        <dl className="dl">
          <dt>File</dt>
          <dd className="mono break">{result.file}</dd>
          {result.signer_fingerprint && (
            <>
              <dt>Signer</dt>
              <dd data-testid="verify-signer">
                <CopyField value={result.signer_fingerprint} label="signer fingerprint" />
                <span className="subtle">
                  {result.signer_trusted === false
                    ? 'Not trusted'
                    : result.signer_trusted
                      ? 'Trusted: this data folder’s key or one you trust'
                      : ''}
                </span>
              </dd>
            </>
          )}
          {result.run_id && (
            <>
              <dt>Run</dt>
              <dd className="mono">{result.run_id}</dd>
            </>
          )}
          {result.payload_files !== undefined && (
            <>
              <dt>Payload files</dt>
              <dd>{result.payload_files}</dd>
            </>
          )}
        </dl>
        <ol className="verify-checks">
          {VERIFY_CHECKS.map((def) => {
            const c = result.checks.find((x) => x.id === def.id);
            const state = !c || notRun(c) ? 'skipped' : c.ok ? 'pass' : 'fail';
            return (
              <li key={def.id} className={`verify-check vc-${state}`} data-check={def.id} data-state={state}>
                <span className="vc-icon" aria-hidden="true">
                  <Icon name={state === 'pass' ? 'check' : state === 'fail' ? 'x' : 'minus'} size={14} />
                </span>
                <div>
                  <div className="vc-title">
                    {def.title}:{' '}
                    <span className="vc-verdict">
                      {state === 'pass' ? 'passed' : state === 'fail' ? 'failed' : 'not run'}
                    </span>
                  </div>
                  <div className="muted">{c?.message || def.what}</div>
                </div>
              </li>
            );
          })}
          {extra.map((c) => (
            <li
              key={c.id}
              className={`verify-check vc-${c.ok ? 'pass' : 'fail'}`}
              data-check={c.id}
              data-state={c.ok ? 'pass' : 'fail'}
            >
              <span className="vc-icon" aria-hidden="true">
                <Icon name={c.ok ? 'check' : 'x'} size={14} />
              </span>
              <div>
                <div className="vc-title">
                  {c.id}: <span className="vc-verdict">{c.ok ? 'passed' : 'failed'}</span>
                </div>
                <div className="muted">{c.message}</div>
              </div>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
