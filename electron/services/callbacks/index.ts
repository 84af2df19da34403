/** The callback rail: Standard Webhooks signing, destinations, and the persisted outbox. */
export { Outbox } from './outbox';
export type { RetryPolicy } from './backoff';
