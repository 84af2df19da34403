import { useStore } from '../store';
import { Icon } from './Icon';

/** The visible target for a bundle; the drop itself is caught by the window-wide handler. */
export function VerifyDropZone() {
  const pickAndVerify = useStore((s) => s.pickAndVerify);
  const verifying = useStore((s) => s.verifying);
  return (
    <div className="dropzone" data-testid="verify-dropzone">
      <span className="dropzone-icon">
        <Icon name="package" size={28} />
      </span>
      <strong>Drop any bundle here</strong>
      <span className="muted">
        A TokenOps result bundle (.zip) — from this computer or anyone else's. Nothing is extracted outside a temporary
        folder.
      </span>
      <button type="button" className="btn btn-primary" onClick={() => void pickAndVerify()} disabled={verifying}>
        <Icon name="folder" /> Choose bundle…
      </button>
    </div>
  );
}
