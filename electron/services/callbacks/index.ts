/** The callback rail: Standard Webhooks signing, destinations, and the persisted outbox. */
export { signWebhook, verifyWebhook, generateWebhookSecret, parseSecret } from './standard-webhooks';
export type { WebhookHeaders, HeaderBag } from './standard-webhooks';
export { Outbox, DEFAULT_TIMEOUT_MS, USER_AGENT } from './outbox';
export type { OutboxOptions, EnqueueInput, SettleOptions } from './outbox';
export { DestinationStore, maskDestination } from './destinations';
export { DEFAULT_RETRY_POLICY } from './backoff';
export type { RetryPolicy } from './backoff';
export { postWebhook } from './http-post';
export type { Transport, PostRequest, PostOutcome } from './http-post';
export type { OutboxMessage, DeliveryAttempt, Destination, DestinationView, MessageState } from './types';
