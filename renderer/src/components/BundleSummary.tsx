import type { BundleRecord } from '../../../shared/domain/run';
import { formatBytes, formatDateTime } from '../format';
import { CopyField } from './CopyField';

/** The file name and its folder's last part (`…/exports/tokenops-run_x.zip`): the full path is one Copy away. */
function shortPath(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length <= 2 ? path : `…/${parts.slice(-2).join('/')}`;
}

/** Where the signed bundle is and how to recognise it. */
export function BundleSummary({
  bundle,
}: {
  bundle: Pick<BundleRecord, 'path' | 'sha256' | 'bytes' | 'signer_fingerprint'> & { created_at?: string };
}) {
  return (
    <dl className="dl dl-stacked bundle-summary">
      <dt>Bundle</dt>
      <dd data-testid="bundle-path">
        <CopyField value={bundle.path} label="bundle path" shown={shortPath(bundle.path)} />
      </dd>
      <dt>SHA-256</dt>
      <dd data-testid="bundle-sha256">
        <CopyField value={bundle.sha256} label="bundle SHA-256" />
      </dd>
      <dt>Signer fingerprint</dt>
      <dd data-testid="bundle-signer">
        <CopyField value={bundle.signer_fingerprint} label="signer fingerprint" />
      </dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(bundle.bytes)}
        {bundle.created_at ? ` · ${formatDateTime(bundle.created_at)}` : ''}
      </dd>
    </dl>
  );
}
