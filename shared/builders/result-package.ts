/** The result package: one clean operating record of the run (the seed's fields plus the trail behind them). */
import type { Evaluation } from '../domain/evaluation';
import type { EvidenceItem } from '../domain/evidence';
import type { CallbackStatus, ResultPackage } from '../domain/outputs';
import type { PreRun, RunFile } from '../domain/run';
import { usableEvidence, usableFiles, compareText } from '../evaluation/context';
import { runSettlementReference } from '../evaluation/run-values';
import { compact, recordsOf, textOrUndefined } from './evidence-view';

const CLIENT_DELIVERABLE = 'TokenOps Result Package v1';

interface CallbackInput {
  /** The destination URL; only its public part (no credentials, query or fragment) is written out. */
  destination?: string;
  /** Set by the callback service once it knows better (delivered, failed, disabled). */
  status?: CallbackStatus;
  reason?: string;
}

export interface ResultPackageInput {
  run_id: string;
  package_id: string;
  now: string;
  pre_run: PreRun;
  evidence: EvidenceItem[];
  files: RunFile[];
  evaluation: Evaluation;
  /** The `receipt_id` of the usage receipt issued for the run, or null before one is issued. */
  usage_receipt_id: string | null;
  callback?: CallbackInput;
  client_deliverable?: string;
}

export function buildResultPackage(input: ResultPackageInput): ResultPackage {
  const { evaluation, evidence, files } = input;
  const readiness = callbackReadiness(input.callback, evaluation.deliverable);
  return {
    package_type: 'tokenops_result_package',
    operating_tool: 'tokenops',
    evidence_status: evaluation.evidence_status,
    evidence_score: evaluation.evidence_score,
    received_inputs: usableEvidence(evidence, files).length,
    uploaded_files: usableFiles(files)
      .map((f) => f.name)
      .sort(compareText),
    settlement_reference: runSettlementReference(input),
    usage_receipt: input.usage_receipt_id,
    callback_delivery: readiness.status,
    client_deliverable: input.client_deliverable ?? CLIENT_DELIVERABLE,
    package_id: input.package_id,
    run_id: input.run_id,
    generated_at: input.now,
    settlement_trail: settlementTrail(evidence, files),
    payment_request: paymentRequest(evidence, files, runSettlementReference(input)),
    callback_readiness: readiness,
    open_items: [...evaluation.open_items],
    next_actions: [...evaluation.next_actions],
    rule_trace: evaluation.rule_trace.map((r) => ({ ...r })),
    trust: compact({
      trust_profile_id: textOrUndefined(input.pre_run.trust_profile_id),
      quote_id: textOrUndefined(input.pre_run.quote_id),
      credit_entitlement_id: textOrUndefined(input.pre_run.credit_entitlement_id),
      requested_tool: input.pre_run.requested_tool,
      requested_capability: input.pre_run.requested_capability,
    }),
  };
}

/** Why the run was paid, in order: settlement, provider events, payment requests, credit funding. */
function settlementTrail(evidence: EvidenceItem[], files: RunFile[]): ResultPackage['settlement_trail'] {
  const trail: ResultPackage['settlement_trail'] = [];
  for (const r of recordsOf(evidence, files, 'settlement_reference')) {
    const amount = r.amount ? `${r.amount.value} ${r.amount.currency}` : undefined;
    trail.push(
      compact({
        step: 'settlement_reference',
        reference: r.settlement_reference,
        provider: textOrUndefined(r.provider),
        detail: textOrUndefined(
          [r.status, amount, r.provider_reference && `provider reference ${r.provider_reference}`]
            .filter(Boolean)
            .join(', '),
        ),
      }),
    );
  }
  for (const r of recordsOf(evidence, files, 'webhook_event')) {
    trail.push(
      compact({
        step: 'webhook_event',
        reference: r.event_id,
        provider: textOrUndefined(r.provider),
        detail: textOrUndefined(r.event_type),
      }),
    );
  }
  for (const r of recordsOf(evidence, files, 'payment_request')) {
    trail.push(
      compact({
        step: 'payment_request',
        reference: r.payment_request_id,
        provider: textOrUndefined(r.provider),
        detail: r.settlement_reference ? `names settlement ${r.settlement_reference}` : undefined,
      }),
    );
  }
  for (const r of recordsOf(evidence, files, 'credit_ledger_entry')) {
    trail.push(
      compact({
        step: 'credit_ledger_entry',
        reference: r.entry_id,
        provider: textOrUndefined(r.provider),
        detail: `${r.entry_type} on credit entitlement ${r.credit_entitlement_id}, balance ${r.balance}`,
      }),
    );
  }
  return trail.filter((t) => textOrUndefined(t.reference));
}

/** The payment request tied to the run's settlement, else the first one; null when none. */
function paymentRequest(
  evidence: EvidenceItem[],
  files: RunFile[],
  settlement: string | null,
): ResultPackage['payment_request'] {
  const requests = recordsOf(evidence, files, 'payment_request').filter((r) => textOrUndefined(r.payment_request_id));
  const chosen = requests.find((r) => settlement !== null && r.settlement_reference === settlement) ?? requests[0];
  if (!chosen) return null;
  return compact({
    payment_request_id: chosen.payment_request_id,
    provider: textOrUndefined(chosen.provider),
    amount: chosen.amount,
  });
}

function callbackReadiness(
  callback: CallbackInput | undefined,
  deliverable: boolean,
): ResultPackage['callback_readiness'] {
  const destination = callback?.destination ? publicDestination(callback.destination) : undefined;
  if (callback?.status) {
    return compact({
      status: callback.status,
      destination,
      reason: callback.reason ?? `Callback ${callback.status.replace(/_/g, ' ')}.`,
    });
  }
  if (!destination) {
    return {
      status: 'not_configured',
      reason: 'No callback destination is set; set one so the result can travel back to the requesting agent.',
    };
  }
  return deliverable
    ? { status: 'ready', destination, reason: `The callback payload can be sent to ${destination}.` }
    : {
        status: 'pending',
        destination,
        reason: 'The callback waits until the evidence is sufficient and the run is packaged.',
      };
}

/**
 * Scheme, host and path only: callback URLs may carry tokens in credentials, query or fragment, and
 * the package travels in a bundle to other parties.
 */
export function publicDestination(url: string): string {
  const noFragment = url.split('#')[0].split('?')[0];
  return noFragment.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
