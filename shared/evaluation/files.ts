/** How evaluation reads a run file: is it public-safe, does it count as evidence, what is wrong with it. */
import type { RunFile, SecretFinding } from '../domain/run';

/** Scanned clean, or attested by a person because it could not be scanned. */
export function isPublicSafe(file: RunFile): boolean {
  const status = file.scan?.status;
  return status === 'clean' || status === 'attested' || (status === 'unscannable' && !!file.scan.attested_by);
}

/** Read as evidence: classified into a kind and without a reading problem. Others are kept but satisfy no step. */
export function isClassified(file: RunFile): boolean {
  return file.classified_as != null && !file.problem;
}

export function secretFindings(file: RunFile): SecretFinding[] {
  return file.scan?.status === 'findings' ? [...(file.scan.findings ?? [])] : [];
}

/** Holds a secret finding (even if the scanner listed none, the status says so). */
export function holdsSecret(file: RunFile): boolean {
  return file.scan?.status === 'findings';
}

/** Could not be scanned and nobody attested it. */
export function needsAttestation(file: RunFile): boolean {
  return file.scan?.status === 'unscannable' && !file.scan.attested_by;
}

/** Why a kept file counts for no step, in words; null when it was read as evidence. */
export function unclassifiedReason(file: RunFile): string | null {
  if (file.problem)
    return `File ${file.name} could not be read as evidence (${file.problem}); it is kept but satisfies no step.`;
  if (file.classified_as == null) return `File ${file.name} could not be classified; it is kept but satisfies no step.`;
  return null;
}
