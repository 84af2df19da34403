/** Records of the callback rail, as stored on disk (JSON) and returned to callers. */

type MessageState = 'pending' | 'delivered' | 'failed' | 'disabled';

export interface DeliveryAttempt {
  /** When the attempt started (ISO 8601). */
  at: string;
  /** HTTP status, when the receiver answered. */
  status?: number;
  /** What went wrong, in words; absent on success. */
  error?: string;
  duration_ms: number;
}

export interface OutboxMessage {
  /** Also the `webhook-id` header: identical on every retry, so the receiver can de-duplicate. */
  message_id: string;
  run_id: string;
  destination_id: string;
  url: string;
  event_type: string;
  payload: Record<string, unknown>;
  /** The exact bytes that are signed and sent, kept so every retry sends the same body. */
  body: string;
  created_at: string;
  attempts: DeliveryAttempt[];
  state: MessageState;
  /** When a pending message is next due (ISO 8601); for a settled message, when it settled. */
  next_attempt_at: string;
  /** Why the message is failed or disabled, in words. */
  state_reason?: string;
  idempotency_key?: string;
  /** Each time a person requeued the failed message (\`callback retry\`): when, after how many attempts, and why it had failed. */
  requeued?: Array<{ at: string; after_attempts: number; reason: string }>;
}

export interface Destination {
  destination_id: string;
  url: string;
  /** `whsec_…`; only ever in destinations.json (mode 0600), never in listings. */
  secret: string;
  created_at: string;
  disabled?: { at: string; reason: string };
  /** The operator allowed a loopback or private-network address (private-address.ts). */
  allow_private?: true;
}

/** A destination as shown to people and agents: the secret replaced by a hint. */
export interface DestinationView {
  destination_id: string;
  url: string;
  /** e.g. `whsec_…(sha256:1a2b3c4d)`: tells secrets apart without revealing any of them. */
  secret_hint: string;
  created_at: string;
  disabled?: { at: string; reason: string };
  allow_private?: true;
}
