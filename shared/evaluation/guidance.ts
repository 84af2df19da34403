/**
 * Open items, next actions and blockers: written for a person and an agent alike. Open items say what
 * is wrong or absent, naming the values involved; next actions say what to do, in the order to do it
 * (secrets first, then corrections, then what is missing, then packaging).
 */
import type { EvidenceStatus, StepEvaluation } from '../domain/evaluation';
import type { EvidenceStep } from '../domain/evidence';
import type { RunContext } from './context';
import { single } from './context';
import { stepDefinition } from './catalog';
import type { CheckOutcome } from './checks';
import type { StepFacts } from './steps';
import { holdsSecret, needsAttestation, unclassifiedReason } from './files';
import { isBlockingException, isOpenException } from './status';

export interface Guidance {
  open_items: string[];
  next_actions: string[];
  blockers: string[];
}

interface Parts {
  ctx: RunContext;
  facts: StepFacts[];
  steps: StepEvaluation[];
  outcomes: CheckOutcome[];
  status: EvidenceStatus;
}

export function writeGuidance({ ctx, facts, steps, outcomes, status }: Parts): Guidance {
  const open: string[] = [];
  const secretActions: string[] = [];
  const corrections: string[] = [];
  const supplies: string[] = [];
  const reviews: string[] = [];
  const blockers: string[] = [];

  for (const step of steps) {
    const title = stepDefinition(step.step).title;
    if (step.status === 'missing') {
      const m = missingStep(step.step, ctx);
      open.push(m.open_item);
      supplies.push(m.action);
      blockers.push(`${title} is missing.`);
    }
    const own = facts.find((f) => f.step === step.step)!.own_problems;
    for (const p of own) {
      open.push(`${title}: ${p.problem}`);
      corrections.push(p.action);
    }
    if (own.length) blockers.push(`${title} is inconsistent: ${own.map((p) => p.problem).join(' ')}`);
  }

  for (const o of outcomes) {
    if (o.check.status !== 'fail') continue;
    for (const issue of o.issues) {
      open.push(issue.open_item);
      if (issue.action) (o.check.check_id === 'no_secrets' ? secretActions : corrections).push(issue.action);
    }
    blockers.push(`Check "${o.check.title}" failed: ${o.check.detail}`);
  }

  for (const file of ctx.files) {
    const reason = unclassifiedReason(file);
    if (!reason) continue;
    open.push(reason);
    // A file holding a secret (or awaiting attestation) already has its action above.
    if (!holdsSecret(file) && !needsAttestation(file)) {
      reviews.push(`Review ${file.name}: exclude it, or supply the record it stands for in a recognised format.`);
    }
  }

  const openTickets = ctx.exceptions.filter(isOpenException);
  for (const t of openTickets) {
    const items = t.missing_items.length ? `: ${t.missing_items.join('; ')}` : '';
    open.push(`Exception ticket ${t.ticket_id} (${t.exception_type}) is open, ${t.status.replace(/_/g, ' ')}${items}.`);
    if (isBlockingException(t)) {
      blockers.push(`Exception ticket ${t.ticket_id} (${t.exception_type}) is open and blocks delivery.`);
      corrections.push(`Resolve exception ticket ${t.ticket_id} (${t.exception_type})${items}.`);
    }
  }

  const run = ctx.run_id ?? '<run_id>';
  const finish: string[] = [];
  if (supplies.length)
    finish.push(`Add each item with: tokenops evidence add ${run} FILE… (or by form or paste in the app).`);
  if (status === 'sufficient') {
    finish.push(
      openTickets.length
        ? `Resume the run from exception ticket ${openTickets.map((t) => t.ticket_id).join(', ')} and package it: tokenops replay ${run}`
        : `Package the run: tokenops package ${run}`,
    );
  } else {
    finish.push(`Re-evaluate once the items above are supplied: tokenops evaluate ${run}`);
  }

  return {
    open_items: open,
    next_actions: dedupe([...secretActions, ...corrections, ...supplies, ...reviews, ...finish]),
    blockers: status === 'sufficient' ? [] : blockers.length ? blockers : ['No evidence step is satisfied yet.'],
  };
}

/** What would satisfy a missing step, naming the run's values the evidence must line up with. */
function missingStep(step: EvidenceStep, ctx: RunContext): { open_item: string; action: string } {
  const settlement = single(ctx.settlement_references);
  const entitlement = single(ctx.entitlements.ids);
  const workOrder = single(ctx.work_order_ids);
  const { requested_tool: tool, requested_capability: capability } = ctx.pre_run;
  switch (step) {
    case 'settlement_reference':
      return {
        open_item:
          'Settlement reference: add the settlement intent, provider reference, invoice token or another public-safe record showing why the paid run exists.',
        action:
          'Supply a settlement reference (settlement intent, provider reference or invoice token) showing why the paid run exists.',
      };
    case 'payment_request':
      return {
        open_item: `Payment request: add the payment request artifact, provider ID, credit funding record or test-provider artifact tied to ${settlement ? `settlement ${settlement}` : 'the settlement path'}.`,
        action: `Supply a payment request tied to ${settlement ? `settlement ${settlement}` : 'the settlement path'}.`,
      };
    case 'credit_ledger_entry':
      return {
        open_item: `Credit ledger entry: add the funded entitlement, credit balance, metered debit or credit account record${entitlement ? ` for credit entitlement ${entitlement}` : ''} that authorizes the paid agent run.`,
        action: `Supply a credit ledger entry${entitlement ? ` for credit entitlement ${entitlement}` : ' for the credit entitlement that funds the run'}.`,
      };
    case 'work_order':
      return {
        open_item: `Work Order and task run: add the Work Order with its paid agent task run, requested tool ${tool}, requested capability ${capability} and operating goal.`,
        action: `Supply the Work Order and task run requesting tool ${tool} and capability ${capability}.`,
      };
    case 'usage_receipt': {
      const ties = [
        entitlement ? `credit entitlement ${entitlement}` : '',
        workOrder ? `work order ${workOrder}` : '',
      ].filter(Boolean);
      const tied = ties.length ? ` tied to ${ties.join(' and ')}` : '';
      return {
        open_item: `Usage receipt: add the usage receipt (credits debited, remaining credits, result URL, receipt reference)${tied}.`,
        action: `Supply a usage receipt${tied || ' tied to the credit entitlement'}.`,
      };
    }
    case 'files':
      return {
        open_item:
          "Files or file manifest: add at least one public-safe file, JSON record or CSV export that scans clean (or is attested), or a file manifest listing each file's name, size, SHA-256 and media type.",
        action: 'Supply public-safe files or a file manifest (name, size, SHA-256, media type).',
      };
  }
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
