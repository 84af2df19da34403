import { stat } from 'node:fs/promises';
import { TokenOpsError } from '../../../shared/errors';
import type { VerifyView } from '../../../shared/ipc/contract';
import { verifyBundle } from '../bundle/verify-bundle';

/** Verifies any bundle file and reports each check in words; a bad bundle is a report, not an exception. */
export async function verifyBundleView(path: string): Promise<VerifyView> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new TokenOpsError('not_found', `No bundle at ${path}. Check the path and try again.`);
  if (!info.isFile()) throw new TokenOpsError('input_invalid', `${path} is not a file: choose a .zip result bundle.`);
  const report = await verifyBundle(path);
  const predicate = (report.statement as { predicate?: { run_id?: unknown } } | undefined)?.predicate;
  return {
    ok: report.ok,
    file: report.file,
    checks: report.checks.map((c) => ({ id: c.id, ok: c.ok, message: c.message })),
    ...(report.signerFingerprint ? { signer_fingerprint: report.signerFingerprint } : {}),
    ...(typeof predicate?.run_id === 'string' ? { run_id: predicate.run_id } : {}),
    ...(report.payloadFiles !== undefined ? { payload_files: report.payloadFiles } : {}),
  };
}
