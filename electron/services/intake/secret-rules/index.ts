import { asSecretlintRule } from './as-secretlint-rule';
import { awsAccessKeyIdDetector } from './aws-access-key-id';
import { bearerTokenDetector } from './bearer-token';
import { cardNumberDetector } from './card-number';
import { configAssignmentDetector } from './config-assignment';
import type { SecretDetector } from './detector';
import { googleApiKeyDetector } from './google-api-key';
import { httpArchiveCredentialDetector } from './http-archive-credential';
import { ibanDetector } from './iban';
import { jwtDetector } from './jwt';
import { privateKeyDetector } from './private-key';
import { stripeApiKeyDetector, stripeClientSecretDetector, stripeWebhookSecretDetector } from './stripe';

/** TokenOps' own rules, run beside secretlint's recommended preset. */
const TOKENOPS_DETECTORS: readonly SecretDetector[] = [
  jwtDetector,
  bearerTokenDetector,
  privateKeyDetector,
  cardNumberDetector,
  ibanDetector,
  stripeApiKeyDetector,
  stripeWebhookSecretDetector,
  stripeClientSecretDetector,
  googleApiKeyDetector,
  awsAccessKeyIdDetector,
  configAssignmentDetector,
  httpArchiveCredentialDetector,
];

/**
 * The least specific rules (a credential by where it is written, not by what it looks like): when one's
 * finding overlaps another rule's, the other one names the secret.
 */
export const GENERIC_RULE_IDS: ReadonlySet<string> = new Set([
  configAssignmentDetector.id,
  httpArchiveCredentialDetector.id,
]);

export const TOKENOPS_RULES = TOKENOPS_DETECTORS.map(asSecretlintRule);

export { maskSecret } from './mask';
