/**
 * The persisted callback outbox: one JSON file per message in `home/outbox/`, written durably.
 * At-least-once delivery: every attempt is stored before the next is made, and the webhook-id (the
 * message id) never changes, so a crash or a retry can only repeat a message the receiver can
 * recognise, never lose or rename one.
 * One writer process per home (the app's single-instance lock / the CLI lock file); within a process,
 * a message is never attempted by two callers at once.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TokenOpsError, isTokenOpsError } from '../../../shared/errors';
import { durableWriteFile } from '../fs/durable-write';
import { DestinationStore } from './destinations';
import { derivedMessageId, newMessageId, MESSAGE_ID_PATTERN } from './message-id';
import { signWebhook } from './standard-webhooks';
import { postWebhook, type Transport } from './http-post';
import { judge } from './delivery-policy';
import { DEFAULT_RETRY_POLICY, nextDelayMs, type RetryPolicy } from './backoff';
import type { DeliveryAttempt, Destination, OutboxMessage } from './types';

const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = 'TokenOps/0.1 (callback delivery; Standard Webhooks v1)';

/** Standard Webhooks' recommended event-type shape: dot-separated [A-Za-z0-9_] words. */
const EVENT_TYPE = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

export interface OutboxOptions {
  /** The TokenOps data directory. */
  home: string;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt limit on the whole request (connect, send, answer). */
  timeoutMs?: number;
  userAgent?: string;
  clock?: () => number;
  /** For the backoff jitter. */
  random?: () => number;
  transport?: Transport;
}

export interface EnqueueInput {
  runId: string;
  /** A destination id from `outbox.destinations`, or the destination record itself. */
  destination: string | { destination_id: string };
  eventType: string;
  payload: Record<string, unknown>;
  /**
   * When given, enqueue is idempotent: the same (run, destination, event type, key) always yields the
   * same message (and webhook-id), so a repeated `callback send` does not notify the agent twice. The
   * same key with a different payload is refused. Without a key every call makes a new message.
   */
  idempotencyKey?: string;
}

export interface SettleOptions {
  /** Attempts this call may make (default: the policy's maxAttempts). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Stop waiting (leaving the message pending) rather than sleep longer than this before an attempt. */
  maxWaitMs?: number;
  /** Stop (leaving the message pending) rather than wait past this many ms from the start of the call. */
  budgetMs?: number;
  transport?: Transport;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Outbox {
  readonly dir: string;
  readonly destinations: DestinationStore;
  readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly transport: Transport;
  private readonly inFlight = new Set<string>();

  constructor(options: OutboxOptions) {
    this.dir = path.join(options.home, 'outbox');
    this.clock = options.clock ?? Date.now;
    this.destinations = new DestinationStore(options.home, this.clock);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    if (!(this.policy.maxAttempts >= 1) || !(this.policy.baseMs >= 0) || !(this.policy.capMs >= 0)) {
      throw new TokenOpsError(
        'input_invalid',
        `Callback retry policy needs maxAttempts ≥ 1 and non-negative baseMs/capMs; got ${JSON.stringify(this.policy)}.`,
      );
    }
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.userAgent = options.userAgent ?? USER_AGENT;
    this.random = options.random ?? Math.random;
    this.transport = options.transport ?? postWebhook;
  }

  async enqueue(input: EnqueueInput): Promise<OutboxMessage> {
    const { runId, eventType, payload, idempotencyKey } = input;
    if (typeof runId !== 'string' || runId.length === 0 || runId.length > 200) {
      throw new TokenOpsError('input_invalid', 'A callback message needs the run id it reports on.');
    }
    if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType)) {
      throw new TokenOpsError(
        'input_invalid',
        `Event type "${eventType}" must be dot-separated words of letters, digits and _ (e.g. tokenops.result_package.ready).`,
      );
    }
    const body = serializePayload(payload);
    const destinationId = typeof input.destination === 'string' ? input.destination : input.destination?.destination_id;
    const dest = await this.destinations.resolve(destinationId);

    const messageId =
      idempotencyKey === undefined
        ? newMessageId(this.clock())
        : derivedMessageId(['v1', runId, dest.destination_id, eventType, idempotencyKey]);
    if (idempotencyKey !== undefined) {
      const existing = await this.find(messageId);
      if (existing) {
        if (existing.body !== body) {
          throw new TokenOpsError(
            'conflict',
            `Callback ${messageId} for run ${runId} (${eventType}, key "${idempotencyKey}") was already queued with a different payload; use a new idempotency key to send the new payload.`,
          );
        }
        return existing;
      }
    }

    const now = new Date(this.clock()).toISOString();
    const message: OutboxMessage = {
      message_id: messageId,
      run_id: runId,
      destination_id: dest.destination_id,
      url: dest.url,
      event_type: eventType,
      payload: JSON.parse(body) as Record<string, unknown>,
      body,
      created_at: now,
      attempts: [],
      state: 'pending',
      next_attempt_at: now,
    };
    if (idempotencyKey !== undefined) message.idempotency_key = idempotencyKey;
    // Kept as a record that the callback was due but not sent, rather than an error for the run.
    if (dest.disabled) settleDisabled(message, dest, now);
    await this.save(message);
    return message;
  }

  async get(messageId: string): Promise<OutboxMessage> {
    const message = await this.find(messageId);
    if (!message)
      throw new TokenOpsError(
        'not_found',
        `No callback message "${messageId}" in ${this.dir}; list them with \`tokenops callback list\`.`,
      );
    return message;
  }

  async list(filter: { runId?: string } = {}): Promise<OutboxMessage[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const messages: OutboxMessage[] = [];
    for (const name of names) {
      // Skips the temp files of an interrupted write; the rename never happened, the old file stands.
      if (!name.endsWith('.json') || !MESSAGE_ID_PATTERN.test(name.slice(0, -5))) continue;
      const message = await this.read(path.join(this.dir, name));
      if (filter.runId === undefined || message.run_id === filter.runId) messages.push(message);
    }
    return messages.sort(
      (a, b) => a.created_at.localeCompare(b.created_at) || a.message_id.localeCompare(b.message_id),
    );
  }

  /** Attempts every pending message that is due at `now`, once each, in creation order. Returns what was processed. */
  async deliverDue(options: { now?: number | Date; transport?: Transport } = {}): Promise<OutboxMessage[]> {
    const now = options.now === undefined ? this.clock() : Number(options.now);
    const due = (await this.list()).filter(
      (m) => m.state === 'pending' && Date.parse(m.next_attempt_at) <= now && !this.inFlight.has(m.message_id),
    );
    const processed: OutboxMessage[] = [];
    for (const candidate of due) {
      if (this.inFlight.has(candidate.message_id)) continue;
      this.inFlight.add(candidate.message_id);
      try {
        const fresh = await this.get(candidate.message_id); // may have settled since the listing
        if (fresh.state !== 'pending') continue;
        processed.push(await this.attempt(fresh, options.transport ?? this.transport));
      } finally {
        this.inFlight.delete(candidate.message_id);
      }
    }
    return processed;
  }

  /**
   * For `callback send`: attempts now, then keeps retrying with backoff until the message is delivered,
   * failed or disabled, or this call's attempts run out (the message then stays pending for deliverDue).
   * The first attempt ignores next_attempt_at: a person asked to send now.
   * Returns the message as stored: its final state and every attempt ever made.
   */
  async deliverUntilSettled(messageId: string, options: SettleOptions = {}): Promise<OutboxMessage> {
    const limit = options.maxAttempts ?? this.policy.maxAttempts;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new TokenOpsError('input_invalid', `maxAttempts must be a whole number ≥ 1; got ${String(limit)}.`);
    }
    const sleep = options.sleep ?? realSleep;
    const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    const deadline = this.clock() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
    let message = await this.get(messageId);
    if (this.inFlight.has(messageId)) {
      throw new TokenOpsError(
        'locked',
        `Callback ${messageId} is being delivered right now; wait for that delivery to finish.`,
      );
    }
    this.inFlight.add(messageId);
    try {
      for (let made = 0; message.state === 'pending' && made < limit; made++) {
        if (made > 0) {
          const wait = Date.parse(message.next_attempt_at) - this.clock();
          if (wait > maxWaitMs || this.clock() + wait > deadline) break;
          if (wait > 0) await sleep(wait);
        }
        message = await this.attempt(message, options.transport ?? this.transport);
      }
      return message;
    } finally {
      this.inFlight.delete(messageId);
    }
  }

  /**
   * \`callback retry\`: a failed message (the receiver was fixed) is pending again and due now, with the same
   * webhook-id and body. Its attempts so far stay in its history; the retry policy counts afresh from here.
   */
  async requeue(messageId: string): Promise<OutboxMessage> {
    const message = await this.get(messageId);
    if (message.state !== 'failed') {
      throw new TokenOpsError(
        'conflict',
        message.state === 'disabled'
          ? `Callback ${messageId} is disabled with its destination (${message.state_reason ?? 'disabled'}); re-enable the destination first.`
          : `Callback ${messageId} is ${message.state}; only a failed callback can be retried.`,
      );
    }
    const now = new Date(this.clock()).toISOString();
    (message.requeued ??= []).push({
      at: now,
      after_attempts: message.attempts.length,
      reason: message.state_reason ?? '',
    });
    message.state = 'pending';
    message.next_attempt_at = now;
    delete message.state_reason;
    await this.save(message);
    return message;
  }

  /** One attempt, persisted before returning. */
  private async attempt(message: OutboxMessage, transport: Transport): Promise<OutboxMessage> {
    let dest: Destination;
    try {
      dest = await this.destinations.resolve(message.destination_id);
    } catch (err) {
      if (!isTokenOpsError(err) || err.code !== 'not_found') throw err;
      message.state = 'failed';
      message.state_reason = `destination ${message.destination_id} no longer exists; set the run's callback again and send a new callback`;
      message.next_attempt_at = new Date(this.clock()).toISOString();
      await this.save(message);
      return message;
    }
    if (dest.disabled) {
      settleDisabled(message, dest, new Date(this.clock()).toISOString());
      await this.save(message);
      return message;
    }

    // A destination URL fixed after a failure applies to retries; the message records where it went.
    message.url = dest.url;
    const startedMs = this.clock();
    const started = performance.now();
    const headers = {
      ...signWebhook({
        id: message.message_id,
        timestamp: Math.floor(startedMs / 1000),
        body: message.body,
        secret: dest.secret,
      }),
      'content-type': 'application/json',
      'user-agent': this.userAgent,
    };
    const outcome = await transport({
      url: new URL(dest.url),
      headers,
      body: message.body,
      timeoutMs: this.timeoutMs,
      allowPrivate: dest.allow_private === true,
    });
    const attempt: DeliveryAttempt = {
      at: new Date(startedMs).toISOString(),
      duration_ms: Math.round(performance.now() - started),
    };
    if (outcome.kind === 'response') attempt.status = outcome.status;
    const verdict = judge(outcome);
    if (verdict.kind !== 'delivered') attempt.error = verdict.error;
    message.attempts.push(attempt);

    const endedMs = this.clock();
    const ended = new Date(endedMs).toISOString();
    delete message.state_reason;
    switch (verdict.kind) {
      case 'delivered':
        message.state = 'delivered';
        message.next_attempt_at = ended;
        break;
      case 'permanent':
        message.state = 'failed';
        message.state_reason = verdict.error;
        message.next_attempt_at = ended;
        break;
      case 'gone':
        message.state = 'disabled';
        message.state_reason = `${dest.url} answered 410 Gone; destination ${dest.destination_id} disabled — re-enable it only if the receiver wants callbacks again`;
        message.next_attempt_at = ended;
        break;
      case 'retry':
        if (attemptsSinceRequeue(message) >= this.policy.maxAttempts) {
          message.state = 'failed';
          message.state_reason = `gave up after ${attemptsSinceRequeue(message)} attempts; last: ${verdict.error}`;
          message.next_attempt_at = ended;
        } else {
          const delay = nextDelayMs(
            attemptsSinceRequeue(message),
            verdict.retryAfter,
            endedMs,
            this.policy,
            this.random,
          );
          message.next_attempt_at = new Date(endedMs + delay).toISOString();
        }
        break;
    }
    await this.save(message);
    if (verdict.kind === 'gone') await this.disableDestination(dest, message);
    return message;
  }

  /** 410: stop sending anything to this destination, and say so on every message still waiting for it. */
  private async disableDestination(dest: Destination, cause: OutboxMessage): Promise<void> {
    const reason = `${dest.url} answered 410 Gone to ${cause.message_id} (run ${cause.run_id})`;
    const disabled = await this.destinations.disable(dest.destination_id, reason);
    const now = new Date(this.clock()).toISOString();
    for (const other of await this.list()) {
      if (
        other.state !== 'pending' ||
        other.destination_id !== dest.destination_id ||
        this.inFlight.has(other.message_id)
      )
        continue;
      settleDisabled(other, { ...dest, disabled: disabled.disabled }, now);
      await this.save(other);
    }
  }

  private async find(messageId: string): Promise<OutboxMessage | undefined> {
    if (typeof messageId !== 'string' || !MESSAGE_ID_PATTERN.test(messageId)) {
      throw new TokenOpsError(
        'input_invalid',
        `"${messageId}" is not a callback message id (msg_ followed by 26 letters and digits).`,
      );
    }
    try {
      return await this.read(path.join(this.dir, `${messageId}.json`));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private async read(file: string): Promise<OutboxMessage> {
    const text = await fs.readFile(file, 'utf8');
    try {
      const message = JSON.parse(text) as OutboxMessage;
      if (
        !message ||
        typeof message.message_id !== 'string' ||
        typeof message.body !== 'string' ||
        !Array.isArray(message.attempts)
      ) {
        throw new Error('missing message_id, body or attempts');
      }
      return message;
    } catch (err) {
      throw new TokenOpsError(
        'corrupt_store',
        `Callback message file ${file} is unreadable (${(err as Error).message}). Move it aside to continue; its webhook-id is its file name.`,
      );
    }
  }

  private async save(message: OutboxMessage): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await durableWriteFile(path.join(this.dir, `${message.message_id}.json`), JSON.stringify(message, null, 2) + '\n', {
      mode: 0o600,
    });
  }
}

/** Attempts made since the message was last requeued by a person (all of them if never). */
function attemptsSinceRequeue(message: OutboxMessage): number {
  return message.attempts.length - (message.requeued?.at(-1)?.after_attempts ?? 0);
}

function settleDisabled(message: OutboxMessage, dest: Destination, at: string): void {
  message.state = 'disabled';
  message.state_reason = `destination ${dest.destination_id} is disabled since ${dest.disabled?.at}: ${dest.disabled?.reason}; nothing was sent`;
  message.next_attempt_at = at;
}

/** The body is fixed once, here: every retry signs and sends these exact bytes. */
function serializePayload(payload: Record<string, unknown>): string {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new TokenOpsError('input_invalid', 'A callback payload must be a JSON object.');
  }
  try {
    return JSON.stringify(payload);
  } catch (err) {
    throw new TokenOpsError(
      'input_invalid',
      `The callback payload cannot be written as JSON (${(err as Error).message}).`,
    );
  }
}
