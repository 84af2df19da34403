import { asSecretlintRule } from './as-secretlint-rule';
import { bearerTokenDetector } from './bearer-token';
import { cardNumberDetector } from './card-number';
import type { SecretDetector } from './detector';
import { ibanDetector } from './iban';
import { jwtDetector } from './jwt';
import { privateKeyDetector } from './private-key';

/** TokenOps' own rules, run beside secretlint's recommended preset. */
export const TOKENOPS_DETECTORS: readonly SecretDetector[] = [
  jwtDetector,
  bearerTokenDetector,
  privateKeyDetector,
  cardNumberDetector,
  ibanDetector,
];

export const TOKENOPS_RULES = TOKENOPS_DETECTORS.map(asSecretlintRule);

export type { SecretDetector, DetectorHit } from './detector';
export { maskSecret } from './mask';
