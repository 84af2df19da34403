import { findingPlace, type SecretFinding } from '../../../../shared/domain/run';

/**
 * One secret found in one file (the type lives in shared/ with the run record). Here: `line` and
 * `column` are 1-based as editors and `grep -n` show them (column in UTF-16 code units); `message`
 * names what was found ("AWS Access Key ID"); `excerpt` is masked and never contains the secret.
 */
export type { SecretFinding };

/** One line an operator (or an agent) can act on. */
export function describeFinding(f: SecretFinding): string {
  return `${f.file} ${findingPlace(f)}: ${f.message} (rule ${f.rule}) — remove it or replace the file, then run again`;
}

/**
 * secretlint messages embed the secret ("found AWS Access Key ID: AKIA…"); with maskSecrets they read
 * "found AWS Access Key ID: ****". Keep only the name of the thing found.
 */
export function labelFromSecretlintMessage(message: string): string {
  const label = message
    .replace(/^found\s+/i, '')
    .replace(/\(\*+\)/g, '')
    .replace(/:\s*\*+[\s\S]*$/, '')
    .replace(/\*{3,}/g, '')
    .trim();
  return label ? label[0].toUpperCase() + label.slice(1) : 'Secret';
}
