import { TokenOpsError } from '../../../shared/errors';
import type { CallbackView, RunView } from '../../../shared/ipc/contract';
import type { Outbox } from '../callbacks';
import type { OutboxMessage } from '../callbacks/types';
import type { ServiceContext } from '../context';
import { viewOf } from '../runs/run-view';
import { moveTo } from '../runs/refresh-state';

/**
 * Stores the destination (secret only in the 0600 destinations file) and points the run at it. A secret
 * TokenOps generated is returned this once, so the operator can give it to the receiver to verify with.
 */
export async function setCallback(
  ctx: ServiceContext,
  outbox: Outbox,
  input: { run_id: string; url: string; secret?: string; allow_private?: boolean },
): Promise<RunView & { generated_secret?: string }> {
  await ctx.store.get(input.run_id);
  const { destination, secret, generated } = await outbox.destinations.put({
    url: input.url,
    ...(input.secret ? { secret: input.secret } : {}),
    allowPrivate: input.allow_private === true,
  });
  const run = await ctx.store.update(input.run_id, (r) => {
    r.callback = { destination_id: destination.destination_id, url: destination.url };
    r.updated_at = ctx.now();
  });
  return { ...viewOf(run), ...(generated ? { generated_secret: secret } : {}) };
}

/**
 * Sends the run's callback payload now: enqueued once per run (idempotency key = run), so every retry and
 * every later `callback send` reuses the same webhook-id; a delivered callback moves the run to `delivered`.
 * Only the attempts due now are made, never a sleep: the waits between retries belong to the caller
 * (TokenOps.sendCallbackWithin, without the writer lock) or to the app's background delivery.
 */
export async function sendCallback(ctx: ServiceContext, outbox: Outbox, runId: string): Promise<CallbackView> {
  const run = await ctx.store.get(runId);
  if (!run.callback)
    throw new TokenOpsError(
      'usage',
      `Run ${runId} has no callback destination: set one with \`tokenops callback set ${runId} --url URL\`.`,
    );
  if (!run.outputs)
    throw new TokenOpsError(
      'conflict',
      `Run ${runId} has not been packaged yet: package it first, then send the callback.`,
    );
  const message = await outbox.enqueue({
    runId,
    destination: { destination_id: run.callback.destination_id },
    eventType: run.outputs.callback_payload.event_type,
    payload: run.outputs.callback_payload as unknown as Record<string, unknown>,
    idempotencyKey: `run:${runId}`,
  });
  const settled =
    message.state === 'pending' ? await outbox.deliverUntilSettled(message.message_id, { maxWaitMs: 0 }) : message;
  if (settled.state === 'delivered') await markDelivered(ctx, runId, settled.message_id);
  return callbackView(settled);
}

/** A delivered callback completes its run. */
export async function markDelivered(ctx: ServiceContext, runId: string, messageId: string): Promise<void> {
  const run = await ctx.store.get(runId);
  if (run.state === 'delivered') return;
  await ctx.store.update(runId, (r) => {
    moveTo(r, 'delivered', `callback ${messageId} delivered`, ctx.now());
    r.updated_at = ctx.now();
  });
}

export function callbackView(settled: OutboxMessage): CallbackView {
  return {
    message_id: settled.message_id,
    state: settled.state,
    attempts: settled.attempts.map((a) => ({
      at: a.at,
      ...(a.status !== undefined ? { status: a.status } : {}),
      ...(a.error ? { error: a.error } : {}),
    })),
    ...(settled.state === 'pending' ? { next_attempt_at: settled.next_attempt_at } : {}),
  };
}
