/**
 * Stripe objects, chosen by their `object` field; events and lists unwrap to the objects they carry.
 * Learned from the Stripe API reference (docs.stripe.com/api/events/object, …/pagination) and the
 * stripe-node types (types/Events.d.ts).
 *
 * Fields mapped:
 *   event `{id: evt_…, type, created, data{object}}` -> webhook_event (event_id, event_type, created_at,
 *     refers_to = the embedded object's id and the ids it links: latest_charge, payment_intent, invoice,
 *     credit_grant) AND the embedded object's own records, so a `payment_intent.succeeded` event gives two.
 *   v2 thin event `{object: v2.core.event, id, type, related_object{id}}` -> webhook_event only (no snapshot).
 *   list `{object: list, data[]}` -> each item.
 */
import type { WebhookEventRecord } from '../domain/evidence';
import { creditBalanceSummary, creditBalanceTransaction, creditGrant, meterEvent } from './stripe-billing';
import { invoice, paymentIntent } from './stripe-payments';
import { balanceTransaction, charge, checkoutSession, refund } from './stripe-charges';
import type { ClassifyResult, FamilyClassifier } from './types';
import { compact, idOf, isObj, notEvidence, obj, recognised, str, unixToIso, type Obj } from './values';

const MAPPERS: Record<string, (o: Obj) => ClassifyResult> = {
  'billing.credit_grant': creditGrant,
  'billing.credit_balance_transaction': creditBalanceTransaction,
  'billing.credit_balance_summary': creditBalanceSummary,
  'billing.meter_event': meterEvent,
  'v2.billing.meter_event': meterEvent,
  payment_intent: paymentIntent,
  invoice,
  charge,
  refund,
  balance_transaction: balanceTransaction,
  'checkout.session': checkoutSession,
};

const LINK_FIELDS = ['latest_charge', 'payment_intent', 'invoice', 'credit_grant', 'charge'];

function referencedIds(o: Obj): string[] {
  const ids = [str(o.id), ...LINK_FIELDS.map((k) => idOf(o[k]))].filter((v): v is string => !!v);
  return [...new Set(ids)];
}

function event(o: Obj): ClassifyResult {
  const id = str(o.id);
  const type = str(o.type);
  if (!id || !type) return notEvidence('Stripe event without id or type');
  const embedded = obj(obj(o.data)?.object);
  const related = str(obj(o.related_object)?.id);
  const record: WebhookEventRecord = compact({
    kind: 'webhook_event',
    event_id: id,
    event_type: type,
    provider: 'stripe',
    created_at: unixToIso(o.created) ?? str(o.created),
    refers_to: embedded ? referencedIds(embedded) : related ? [related] : undefined,
  });
  const inner = embedded ? mapObject(embedded) : null;
  const innerRecords = inner?.records ?? [];
  const note =
    embedded && !innerRecords.length
      ? `embedded ${str(embedded.object) ?? 'object'} not mapped${inner?.unrecognised ? `: ${inner.unrecognised}` : ''}`
      : undefined;
  return recognised([{ record, format: 'stripe_event', ...(note ? { note } : {}) }, ...innerRecords]);
}

function mapObject(o: Obj): ClassifyResult | null {
  const kind = str(o.object);
  if (!kind) return null;
  const mapper = MAPPERS[kind];
  if (mapper) return mapper(o);
  if (kind === 'event' || kind === 'v2.core.event') return event(o);
  return null;
}

/** Stripe ids look like `pi_…`, `in_…`, `credgr_…`: a prefix, an underscore, then the rest. */
function looksLikeStripe(o: Obj): boolean {
  return typeof o.livemode === 'boolean' || /^[a-z0-9]+_[A-Za-z0-9_]+$/.test(str(o.id) ?? '');
}

export const classifyStripe: FamilyClassifier = (o, ctx) => {
  const kind = str(o.object);
  if (!kind) return null;
  if (kind === 'list' && Array.isArray(o.data)) return ctx.classify(o.data);
  const mapped = mapObject(o);
  if (mapped) return mapped;
  if (!looksLikeStripe(o) || !isObj(o)) return null;
  return notEvidence(
    `Stripe ${kind} object${str(o.id) ? ` ${o.id as string}` : ''} is not mapped; TokenOps reads ` +
      `${Object.keys(MAPPERS).join(', ')}, event and list objects. Kept as a file.`,
  );
};
