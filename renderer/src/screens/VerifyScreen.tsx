import { useStore } from '../store';
import { ScreenHeading } from '../components/ScreenHeading';
import { VerifyDropZone } from '../components/VerifyDropZone';
import { VerifyResult } from '../components/VerifyResult';
import { Badge } from '../components/Badge';
import { Spinner } from '../components/Spinner';
import { Callout } from '../components/Callout';
import { targetLabel } from '../store/verifySlice';

export function VerifyScreen() {
  const verifying = useStore((s) => s.verifying);
  const target = useStore((s) => s.verifyTarget);
  const result = useStore((s) => s.verifyResult);
  const error = useStore((s) => s.verifyError);
  const history = useStore((s) => s.verifyHistory);
  const verifyBundle = useStore((s) => s.verifyBundle);

  return (
    <div className="screen verify-screen">
      <div className="screen-head">
        <div>
          <ScreenHeading>Verify a bundle</ScreenHeading>
          <p>
            Checks the zip's structure, the BagIt manifests, the signature, and that the signed subjects are exactly the
            payload.
          </p>
        </div>
      </div>
      <div className="verify-layout">
        <div className="stack">
          <VerifyDropZone />
          {verifying && (
            <p className="row muted" role="status">
              <Spinner /> Verifying <span className="mono break">{target ? targetLabel(target) : ''}</span>
            </p>
          )}
          {error && !verifying && (
            <Callout tone="bad" title="Could not verify" role="alert">
              <p className="break">{error}</p>
            </Callout>
          )}
          {result && !verifying && <VerifyResult result={result} canTrust={target?.kind === 'file'} />}
        </div>
        <section className="card" aria-labelledby="recent-title">
          <div className="card-head">
            <h2 id="recent-title">Checked this session</h2>
          </div>
          {history.length === 0 ? (
            <p className="card-body subtle">Bundles you verify appear here.</p>
          ) : (
            <ul className="recent-list">
              {history.map((h) => (
                <li key={targetLabel(h.target)}>
                  <button
                    type="button"
                    className="recent-item"
                    onClick={() => void verifyBundle(h.target)}
                    aria-label={`Verify again: ${targetLabel(h.target)}`}
                  >
                    <span className="mono break">{h.result.file.split(/[\\/]/).pop()}</span>
                    <Badge tone={h.result.ok ? 'ok' : 'bad'}>{h.result.ok ? 'Verified' : 'Refused'}</Badge>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
