import { useEffect, useRef, useState } from 'react';
import { OPTIONAL_EVIDENCE_KINDS, type EvidenceStep } from '../../../shared/domain/evidence';
import { STEP_DEFINITIONS } from '../../../shared/evaluation/catalog';
import type { RunView } from '../../../shared/ipc/contract';
import { STEP_STATUS_LABELS } from '../format';
import { useStore } from '../store';
import { EvidenceItemRow } from './EvidenceItemRow';
import { StepCard } from './StepCard';
import { StepMarker } from './StepMarker';

const SHORT_TITLES: Record<EvidenceStep, string> = {
  settlement_reference: 'Settlement',
  payment_request: 'Payment',
  credit_ledger_entry: 'Credit',
  work_order: 'Work Order',
  usage_receipt: 'Receipt',
  files: 'Files',
};

/**
 * The six steps as a guided walk: the first step not yet satisfied is open; when it becomes satisfied
 * it folds away and the next one opens. Any step can be opened by hand from the stepper or its header.
 */
export function EvidenceWalk({ view, frozen }: { view: RunView; frozen: boolean }) {
  const removeEvidence = useStore((s) => s.removeEvidence);
  const { run, evaluation } = view;
  const statusOf = (step: EvidenceStep) => evaluation.steps.find((s) => s.step === step);
  const current = STEP_DEFINITIONS.find((d) => statusOf(d.step)?.status !== 'satisfied')?.step ?? null;

  const [open, setOpen] = useState<Set<EvidenceStep>>(() => new Set(current && !frozen ? [current] : []));
  const lastCurrent = useRef<EvidenceStep | null>(current);
  const lastRun = useRef(run.run_id);

  // A step that has just become satisfied folds away, wherever it is in the walk.
  const lastStatuses = useRef(new Map(evaluation.steps.map((st) => [st.step, st.status])));
  useEffect(() => {
    const done = evaluation.steps
      .filter((st) => st.status === 'satisfied' && lastStatuses.current.get(st.step) !== 'satisfied')
      .map((st) => st.step);
    lastStatuses.current = new Map(evaluation.steps.map((st) => [st.step, st.status]));
    if (done.length) setOpen((o) => new Set([...o].filter((x) => !done.includes(x))));
  }, [evaluation.steps]);

  // A packaged run is frozen: fold the walk away so the outputs come first.
  useEffect(() => {
    if (frozen) setOpen(new Set());
  }, [frozen]);

  useEffect(() => {
    if (lastRun.current !== run.run_id) {
      lastRun.current = run.run_id;
      lastCurrent.current = current;
      setOpen(new Set(current && !frozen ? [current] : []));
      return;
    }
    const prev = lastCurrent.current;
    if (prev === current) return;
    lastCurrent.current = current;
    setOpen((o) => {
      const next = new Set(o);
      if (prev && statusOf(prev)?.status === 'satisfied') next.delete(prev);
      if (current && !frozen) next.add(current);
      return next;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current, run.run_id, frozen]);

  function toggle(step: EvidenceStep) {
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(step)) next.delete(step);
      else next.add(step);
      return next;
    });
  }

  function jump(step: EvidenceStep) {
    setOpen((o) => new Set(o).add(step));
    requestAnimationFrame(() => {
      const btn = document.querySelector<HTMLButtonElement>(`#step-head-${step} button`);
      btn?.focus();
      btn?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
  }

  const optional = run.evidence.filter((e) => (OPTIONAL_EVIDENCE_KINDS as readonly string[]).includes(e.kind));
  const satisfiedCount = evaluation.steps.filter((s) => s.status === 'satisfied').length;

  return (
    <section className="walk" aria-labelledby="walk-title">
      <div className="section-title">
        <h2 id="walk-title" tabIndex={-1}>
          Evidence walk
        </h2>
        <span className="subtle">{satisfiedCount} of 6 steps satisfied</span>
      </div>
      <ol className="stepper" aria-label="Steps">
        {STEP_DEFINITIONS.map((d) => {
          const st = statusOf(d.step)?.status ?? 'missing';
          return (
            <li key={d.step}>
              <button
                type="button"
                className={`stepper-item step-${st}${current === d.step ? ' current' : ''}`}
                onClick={() => jump(d.step)}
                aria-current={current === d.step ? 'step' : undefined}
                aria-label={`Go to step ${d.number}, ${d.title}: ${STEP_STATUS_LABELS[st]}`}
              >
                <StepMarker number={d.number} status={st} />
                <span className="stepper-label">{SHORT_TITLES[d.step]}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <div className="step-list">
        {STEP_DEFINITIONS.map((d) => {
          const ev = statusOf(d.step);
          if (!ev) return null;
          return (
            <StepCard
              key={d.step}
              def={d}
              evaluation={ev}
              links={
                d.step === 'settlement_reference'
                  ? (evaluation.links?.settlements ?? []).filter((t) => t.aliases.length > 1).map((t) => t.described)
                  : []
              }
              run={run}
              open={open.has(d.step)}
              current={current === d.step}
              frozen={frozen}
              onToggle={() => toggle(d.step)}
            />
          );
        })}
      </div>
      {optional.length > 0 && (
        <div className="card card-pad optional-evidence">
          <h3>Other evidence</h3>
          <p className="subtle">Optional context: adds trust, no step depends on it.</p>
          <ul className="evidence-list">
            {optional.map((it) => (
              <EvidenceItemRow
                key={it.evidence_id}
                item={it}
                onRemove={frozen || it.superseded_by ? undefined : () => void removeEvidence(it.evidence_id)}
              />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
