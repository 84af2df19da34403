import type { DetectorHit, SecretDetector } from './detector';

// AWS access key ids, the pattern of awslabs/git-secrets that secretlint's aws rule uses for them.
// secretlint runs it only together with its AWS *account id* pattern (`enableIDScanRule`), a regex that
// cost more than any other rule on payment records (full of "account") and whose findings we drop
// anyway (12-digit account numbers are not secrets). So the id pattern runs here on its own; the
// preset's aws rule still finds secret access keys.
const ACCESS_KEY_ID = /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/g;
// AWS's own documentation example, allowed by git-secrets and secretlint alike.
const DOCS_EXAMPLE = 'AKIAIOSFODNN7EXAMPLE';

export const awsAccessKeyIdDetector: SecretDetector = {
  id: 'tokenops/aws-access-key-id',
  label: 'AWS access key ID',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(ACCESS_KEY_ID))
      if (m[0] !== DOCS_EXAMPLE) yield { start: m.index, end: m.index + m[0].length };
  },
};
