/**
 * (h) Nothing packaged may hold a secret. A file with findings fails; a file that could not be
 * scanned fails until a person attests it. Excluded files are not packaged and never reach here.
 */
import { findingPlace, type SecretFinding } from '../../domain/run';
import type { RunContext } from '../context';
import { holdsSecret, needsAttestation, secretFindings } from '../files';
import { type CheckOutcome, type Issue, notApplicable, passOrFail, plural } from './types';

const ID = 'no_secrets';

export function checkNoSecrets(ctx: RunContext): CheckOutcome {
  if (ctx.files.length === 0) return notApplicable(ID, 'No files in the run, so there is nothing to scan.');

  const issues: Issue[] = [];
  for (const file of ctx.files) {
    if (holdsSecret(file)) {
      const findings = secretFindings(file);
      const where = findings.map((f) => `${f.rule} at ${findingPlace(f)}`).join('; ');
      const action = `Exclude ${file.name} or replace it with a redacted copy: it holds ${findings.length || 'a'} secret ${plural(findings.length || 1, 'finding', 'findings')}${where ? ` (${where})` : ''}.`;
      if (findings.length === 0) {
        issues.push({ open_item: `File ${file.name} holds a secret (the scan reported findings).`, action });
      }
      findings.forEach((f, i) =>
        issues.push({
          open_item: `File ${file.name} holds a secret: rule ${f.rule} at ${placeAndColumn(f)} (${f.message}; ${f.excerpt}).`,
          // One action per file, however many findings it has.
          ...(i === 0 ? { action } : {}),
        }),
      );
    } else if (needsAttestation(file)) {
      issues.push({
        open_item: `File ${file.name} could not be scanned for secrets${file.scan.reason ? ` (${file.scan.reason})` : ''} and is not attested.`,
        action: `Attest that ${file.name} holds no secret, or exclude it.`,
      });
    }
  }
  const n = ctx.files.length;
  return passOrFail(ID, issues, `${n} ${plural(n, 'file', 'files')} scanned clean or attested; no secret found.`);
}

/** Where a finding is: an archive's entry, a binary's byte, the file name, or a line and column of text. */
function placeAndColumn(f: SecretFinding): string {
  const place = findingPlace(f);
  return f.in_name || f.offset !== undefined ? place : `${place}, column ${f.column}`;
}
