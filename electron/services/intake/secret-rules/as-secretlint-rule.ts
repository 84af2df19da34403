import type { SecretLintRuleCreator } from '@secretlint/types';
import type { SecretDetector } from './detector';

/**
 * Cap per rule and per scanned chunk. secretlint de-duplicates its messages pairwise (quadratic), so a
 * CSV with 100k card numbers must not produce 100k reports; the operator needs the first ones to act.
 */
const MAX_REPORTS_PER_RULE = 100;

/** Run one of our detectors as a secretlint rule, so it shares lintSource's pipeline with the preset. */
export function asSecretlintRule(detector: SecretDetector): SecretLintRuleCreator {
  const messages = { FOUND: { en: () => detector.label } };
  return {
    messages,
    meta: {
      id: detector.id,
      type: 'scanner',
      recommended: true,
      supportedContentTypes: ['text'],
    },
    create(context) {
      const t = context.createTranslator(messages);
      return {
        file(source) {
          let count = 0;
          for (const hit of detector.detect(source.content)) {
            context.report({ message: t('FOUND'), range: [hit.start, hit.end] });
            if (++count >= MAX_REPORTS_PER_RULE) break;
          }
        },
      };
    },
  };
}
