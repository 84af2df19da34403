/** What every cross-check returns: its public result plus one open item and one action per mismatch. */
import type { CheckStatus, CrossCheck } from '../../domain/evaluation';
import { checkDefinition, type CheckId } from '../catalog';

/** One mismatch, written for a person and an agent: what is wrong (naming both values) and what to do. */
export interface Issue {
  open_item: string;
  /** Left out when an earlier issue's action already covers this one (several findings in one file). */
  action?: string;
}

export interface CheckOutcome {
  check: CrossCheck;
  issues: Issue[];
}

export function pass(id: CheckId, detail: string): CheckOutcome {
  return make(id, 'pass', detail, []);
}

/** One side is absent (or ambiguous): nothing to compare yet, so the check earns nothing and blocks nothing. */
export function notApplicable(id: CheckId, detail: string): CheckOutcome {
  return make(id, 'not_applicable', detail, []);
}

export function fail(id: CheckId, issues: Issue[]): CheckOutcome {
  return make(id, 'fail', issues.map((i) => i.open_item).join(' '), issues);
}

/** Fails when any issue was found, else passes with the given detail. */
export function passOrFail(id: CheckId, issues: Issue[], passDetail: string): CheckOutcome {
  return issues.length ? fail(id, issues) : pass(id, passDetail);
}

function make(id: CheckId, status: CheckStatus, detail: string, issues: Issue[]): CheckOutcome {
  return { check: { check_id: id, title: checkDefinition(id).title, status, detail }, issues };
}

/** "a, b, c" — ids in sentences. */
export function list(values: readonly string[]): string {
  return values.join(', ');
}

/** The record's own id when it has one, else the evidence id, so every mismatch names something findable. */
export function label(id: unknown, evidenceId: string): string {
  return typeof id === 'string' && id.trim() !== '' ? id : `(evidence ${evidenceId})`;
}

export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
