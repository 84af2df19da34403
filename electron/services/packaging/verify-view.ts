import type { VerifyView } from '../../../shared/ipc/contract';
import { verifyBundle } from '../bundle/verify-bundle';

/** Verifies any bundle file and reports each check in words; a bad bundle is a report, not an exception. */
// A missing path or a folder is refused by the bundle reader itself (zip-open.ts), with the same codes.
export async function verifyBundleView(path: string, trustedKeyIds?: string[]): Promise<VerifyView> {
  const report = await verifyBundle(path, trustedKeyIds ? { trustedKeyIds } : {});
  const predicate = (report.statement as { predicate?: { run_id?: unknown } } | undefined)?.predicate;
  return {
    ok: report.ok,
    file: report.file,
    checks: report.checks.map((c) => ({ id: c.id, ok: c.ok, message: c.message })),
    ...(report.signerFingerprint
      ? { signer_fingerprint: report.signerFingerprint, signer: report.signerFingerprint }
      : {}),
    ...(report.signerTrusted !== undefined ? { signer_trusted: report.signerTrusted } : {}),
    ...(typeof predicate?.run_id === 'string' ? { run_id: predicate.run_id } : {}),
    ...(report.payloadFiles !== undefined ? { payload_files: report.payloadFiles } : {}),
  };
}
