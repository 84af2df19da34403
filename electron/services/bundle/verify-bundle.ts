import type yauzl from 'yauzl';
import { isTokenOpsError } from '../../../shared/errors';
import type { VerifyCheck, VerifyCheckId, VerifyOptions, VerifyReport } from './bundle-types';
import { StructureError } from './structure-error';
import { openZip } from './zip-open';
import { scanCentralDirectory } from './zip-scan';
import { readContents, type ContentResult } from './zip-content';
import { resolveLimits } from './zip-limits';
import { checkBag } from './check-bag';
import { checkSignature } from './check-signature';
import { checkSubjects } from './check-subjects';
import type { CheckOutcome } from './check-result';

export type { VerifyOptions, VerifyReport } from './bundle-types';
const ORDER: VerifyCheckId[] = ['zip_structure', 'bag_manifests', 'signature', 'subjects'];

/**
 * Verifies a bundle without extracting it: (1) zip structure, (2) BagIt manifests, (3) DSSE
 * signature, (4) signed subjects == payload. Stops at the first failing check; later checks are
 * reported as not run. A bad bundle yields `ok: false`; only an unreadable path throws.
 */
export async function verifyBundle(path: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const limits = resolveLimits(opts.limits);
  const report: VerifyReport = { ok: false, file: path, checks: [] };
  const record = (id: VerifyCheckId, outcome: CheckOutcome): boolean => {
    report.checks.push({ id, ok: outcome.ok, message: outcome.message });
    return outcome.ok;
  };
  const finish = (): VerifyReport => {
    for (const id of ORDER.slice(report.checks.length))
      report.checks.push({ id, ok: false, message: 'Not run: an earlier check failed.' } satisfies VerifyCheck);
    report.ok = report.checks.every((c) => c.ok);
    return report;
  };

  let content: ContentResult;
  try {
    const scan = await withZip(path, (zip) => scanCentralDirectory(zip, limits));
    report.bagName = scan.bagName;
    content = await withZip(path, (zip) => readContents(zip, scan, limits, opts.onProgress));
    record('zip_structure', {
      ok: true,
      message: `Zip structure sound: ${scan.entryCount} entries in one bag folder "${scan.bagName}", no unsafe, duplicate or linked entries; sizes within limits; every CRC-32 matches.`,
    });
  } catch (e) {
    if (!(e instanceof StructureError)) throw e;
    record('zip_structure', { ok: false, message: e.message });
    return finish();
  }

  const bag = checkBag(content);
  report.payloadFiles = bag.payloadFiles;
  report.payloadBytes = bag.payloadBytes;
  if (!record('bag_manifests', bag)) return finish();

  const sig = checkSignature(content.tags, opts.trustedKeyIds);
  report.signerKeyId = sig.keyId;
  report.signerFingerprint = sig.fingerprint;
  if (sig.trusted !== undefined) report.signerTrusted = sig.trusted;
  if (sig.publicKeyPem) report.signerPublicKeyPem = sig.publicKeyPem;
  if (!record('signature', sig) || !sig.body) return finish();

  const subjects = checkSubjects(sig.body, content.files);
  report.statement = subjects.statement;
  record('subjects', subjects);
  return finish();
}

async function withZip<T>(path: string, fn: (zip: yauzl.ZipFile) => Promise<T>): Promise<T> {
  const zip = await openZip(path);
  try {
    return await fn(zip);
  } catch (e) {
    if (e instanceof StructureError || isTokenOpsError(e)) throw e;
    throw new StructureError(`The archive cannot be read: ${(e as Error).message}.`);
  } finally {
    await closeZip(zip);
  }
}

/** Resolves once yauzl has really closed the file (bounded, so a stuck stream cannot hang verify). */
function closeZip(zip: yauzl.ZipFile): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    zip.once('close', done);
    zip.once('error', done);
    zip.close();
  });
}
