import { TokenOpsError } from '../../../shared/errors';
import type { CallbackView, RunView } from '../../../shared/ipc/contract';
import type { Outbox } from '../callbacks';
import type { ServiceContext } from '../context';
import { viewOf } from '../runs/run-view';
import { moveTo } from '../runs/refresh-state';

/** Stores the destination (secret only in the 0600 destinations file) and points the run at it. */
export async function setCallback(
  ctx: ServiceContext,
  outbox: Outbox,
  runId: string,
  url: string,
  secret?: string,
): Promise<RunView> {
  await ctx.store.get(runId);
  const { destination } = await outbox.destinations.put({ url, ...(secret ? { secret } : {}) });
  const run = await ctx.store.update(runId, (r) => {
    r.callback = { destination_id: destination.destination_id, url: destination.url };
    r.updated_at = ctx.now();
  });
  return viewOf(run);
}

/**
 * Sends the run's callback payload now: enqueued once per run (idempotency key = run), so every retry and
 * every later `callback send` reuses the same webhook-id; a delivered callback moves the run to `delivered`.
 */
/** How long `callback send` may wait between attempts in all, before it returns the message pending. */
const SEND_BUDGET_MS = 30_000;

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
  // Attempts due within the budget are made now; a receiver that asks for more time (Retry-After: 3600)
  // gets it without this command sleeping for an hour: the message stays pending with its next attempt time.
  const settled =
    message.state === 'pending'
      ? await outbox.deliverUntilSettled(message.message_id, { budgetMs: SEND_BUDGET_MS })
      : message;
  if (settled.state === 'delivered') {
    await ctx.store.update(runId, (r) => {
      moveTo(r, 'delivered', `callback ${settled.message_id} delivered`, ctx.now());
      r.updated_at = ctx.now();
    });
  }
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
