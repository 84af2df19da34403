import type { DetectorHit, SecretDetector } from './detector';

// Key formats from Stripe's docs (docs.stripe.com/keys): secret keys `sk_live_…`/`sk_test_…`,
// restricted keys `rk_live_…`/`rk_test_…`, webhook signing secrets `whsec_…`. Publishable keys
// (`pk_…`) are public by design and object ids (`pi_…`, `ch_…`, `cus_…`) are not credentials.
const API_KEY = /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,255}(?![A-Za-z0-9_])/g;
const WEBHOOK_SECRET = /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/=]{24,}(?![A-Za-z0-9_])/g;
// A PaymentIntent's or SetupIntent's `client_secret` (docs.stripe.com/api/payment_intents/object):
// "pi_…_secret_…". Stripe: do not log it, embed it in URLs, or expose it to anyone but the customer.
const CLIENT_SECRET = /(?<![A-Za-z0-9_])(?:pi|seti)_[A-Za-z0-9]{10,}_secret_[A-Za-z0-9]{10,}(?![A-Za-z0-9_])/g;

function* matches(re: RegExp, text: string): Iterable<DetectorHit> {
  for (const m of text.matchAll(re)) yield { start: m.index, end: m.index + m[0].length };
}

export const stripeApiKeyDetector: SecretDetector = {
  id: 'tokenops/stripe-api-key',
  label: 'Stripe secret or restricted API key',
  detect: (text) => matches(API_KEY, text),
};

export const stripeWebhookSecretDetector: SecretDetector = {
  id: 'tokenops/stripe-webhook-secret',
  label: 'Stripe webhook signing secret',
  detect: (text) => matches(WEBHOOK_SECRET, text),
};

export const stripeClientSecretDetector: SecretDetector = {
  id: 'tokenops/stripe-client-secret',
  label: 'Stripe PaymentIntent or SetupIntent client secret',
  detect: (text) => matches(CLIENT_SECRET, text),
};
