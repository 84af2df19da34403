/**
 * The replay package: the run's known state plus what is missing, so supplying the missing evidence
 * resumes the run where it stopped. Record digests let a replay tell what changed; the idempotency
 * key and the credits already debited make sure a replay never debits twice.
 */
import type { Evaluation } from '../domain/evaluation';
import type { EvidenceItem } from '../domain/evidence';
import type { ReplayPackage } from '../domain/outputs';
import type { PreRun, RunFile } from '../domain/run';
import type { WorkflowState } from '../workflow';
import { canonicalJson } from '../canonical-json';
import { sha256Hex } from '../sha256';
import { sortBy, usableEvidence, usableFiles } from '../evaluation/context';
import { compact } from './evidence-view';
import { missingItems } from './missing-items';

export interface ReplayPackageInput {
  run_id: string;
  replay_package_id: string;
  ticket_id: string;
  now: string;
  pre_run: PreRun;
  evidence: EvidenceItem[];
  files: RunFile[];
  evaluation: Evaluation;
  resume_from_state: WorkflowState;
  credits_already_debited: number;
  /** Defaults to the items the evaluation names (the ticket's, when built from the same evaluation). */
  missing_items?: string[];
}

/** The idempotency key of a run's debit: one run, one debit, however often it is replayed. */
function runIdempotencyKey(run_id: string): string {
  return `run:${run_id}`;
}

/** SHA-256 of the record's canonical JSON: equal records give equal digests whatever their key order. */
export function recordDigest(record: unknown): string {
  return sha256Hex(canonicalJson(record));
}

export function buildReplayPackage(input: ReplayPackageInput): ReplayPackage {
  const key = runIdempotencyKey(input.run_id);
  const missing_items = input.missing_items ?? missingItems(input.evaluation, input.files);
  const debited = input.credits_already_debited;
  return {
    object_type: 'tokenops_replay_package',
    replay_package_id: input.replay_package_id,
    ticket_id: input.ticket_id,
    run_id: input.run_id,
    created_at: input.now,
    resume_from_state: input.resume_from_state,
    pre_run: compact({ ...input.pre_run }),
    known_evidence: usableEvidence(input.evidence, input.files).map((e) => ({
      evidence_id: e.evidence_id,
      kind: e.record?.kind ?? e.kind,
      record_sha256: recordDigest(e.record),
    })),
    // By name: this list is read by people and agents, who know files by name.
    known_files: sortBy(usableFiles(input.files), (f) => f.name).map((f) => ({
      name: f.name,
      sha256: f.sha256.toLowerCase(),
      size: f.size,
    })),
    missing_items,
    evidence_score: input.evaluation.evidence_score,
    evidence_status: input.evaluation.evidence_status,
    credits_already_debited: debited,
    idempotency_key: key,
    how_to_resume: [
      ...(missing_items.length
        ? [`Supply ${missing_items.join('; ')}: tokenops evidence add ${input.run_id} FILE…`]
        : []),
      `Replay the run: tokenops replay ${input.run_id}. It resumes from state ${input.resume_from_state}; known evidence stays, and a record whose digest is unchanged is not re-read.`,
      debited > 0
        ? `Replay uses idempotency key ${key}: the ${debited} ${debited === 1 ? 'credit' : 'credits'} already debited for the run ${debited === 1 ? 'is' : 'are'} not debited again.`
        : `Replay uses idempotency key ${key}: credits are debited once, when the run is packaged, however often it is replayed.`,
    ],
  };
}
