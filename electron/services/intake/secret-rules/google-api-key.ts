import type { DetectorHit, SecretDetector } from './detector';

// Google API keys are "AIza" plus 35 characters of [0-9A-Za-z_-] (39 in all), the pattern Google and
// GitHub secret scanning use for `google_api_key`.
const GOOGLE_API_KEY = /(?<![0-9A-Za-z_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g;

export const googleApiKeyDetector: SecretDetector = {
  id: 'tokenops/google-api-key',
  label: 'Google API key',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(GOOGLE_API_KEY)) yield { start: m.index, end: m.index + m[0].length };
  },
};
