import type { StepEvaluation } from '../../../shared/domain/evaluation';
import type { Run } from '../../../shared/domain/run';
import type { StepDefinition } from '../../../shared/evaluation/catalog';
import { STEP_STATUS_LABELS, stepTone } from '../format';
import { useStore } from '../store';
import { Badge } from './Badge';
import { EvidenceItemRow } from './EvidenceItemRow';
import { FileManifestForm } from './FileManifestForm';
import { Icon } from './Icon';
import { PasteBox } from './PasteBox';
import { RecordForm } from './RecordForm';
import { RunFileRow } from './RunFileRow';
import { StepMarker } from './StepMarker';
import { Tabs } from './Tabs';
import { useShowMore } from './ShowMore';

interface Props {
  def: StepDefinition;
  evaluation: StepEvaluation;
  run: Run;
  open: boolean;
  current: boolean;
  frozen: boolean;
  /** Names that records link into one thread (settlement: `stl_… = 0x… = inv_…`), shown so an alias is not mistaken for a second settlement. */
  links?: string[];
  onToggle(): void;
}

/** One step of the guided walk: what satisfies it, what was received, what is wrong, and how to add more. */
export function StepCard({ def, evaluation, run, open, current, frozen, links = [], onToggle }: Props) {
  const removeEvidence = useStore((s) => s.removeEvidence);
  // Current records first; corrected ones stay visible below them as history.
  const items = run.evidence
    .filter((e) => e.kind === def.step)
    .sort((a, b) => Number(a.superseded_by !== undefined) - Number(b.superseded_by !== undefined));
  const files = def.step === 'files' ? run.files : [];
  const received = items.length + files.filter((f) => !f.excluded).length;
  const fileNames = new Map(run.files.map((f) => [f.file_id, f.name]));
  const pagedItems = useShowMore(items, 'records');
  const pagedFiles = useShowMore(files, 'files');
  const pagedProblems = useShowMore(evaluation.problems, 'problems', 20);
  const bodyId = `step-body-${def.step}`;
  const headId = `step-head-${def.step}`;

  return (
    <section
      className={`step-card step-${evaluation.status}${current ? ' current' : ''}`}
      aria-label={`Step ${def.number}: ${def.title}`}
      data-step={def.step}
    >
      <h3 className="step-head" id={headId}>
        <button type="button" className="step-toggle" aria-expanded={open} aria-controls={bodyId} onClick={onToggle}>
          <StepMarker number={def.number} status={evaluation.status} />
          <span className="step-title">
            <span className="step-kicker">Step {def.number}</span>
            {def.title}
          </span>
          <span className="step-summary subtle">{received === 0 ? 'Nothing received' : `${received} received`}</span>
          <Badge tone={stepTone(evaluation.status)}>{STEP_STATUS_LABELS[evaluation.status]}</Badge>
          <Icon name="chevron" className="chev" />
        </button>
      </h3>
      {open && (
        <div className="step-body" id={bodyId}>
          <div className="step-grid">
            <div>
              <h4 className="mini-title">What satisfies it</h4>
              <p className="muted">{evaluation.satisfied_by || def.satisfied_by}</p>
              {links.length > 0 && (
                <>
                  <h4 className="mini-title">One settlement, several names</h4>
                  <ul className="bullets links-list">
                    {links.map((l) => (
                      <li key={l} className="mono break-anywhere">
                        {l}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
            {evaluation.problems.length > 0 && (
              <div
                className={`step-problems${evaluation.status === 'inconsistent' ? ' is-bad' : ''}`}
                role="group"
                aria-label={`Problems with step ${def.number}`}
              >
                <h4 className="mini-title">What is wrong</h4>
                <ul className="bullets">
                  {pagedProblems.shown.map((p) => (
                    <li key={p}>
                      <span className={`dot tone-text-${evaluation.status === 'inconsistent' ? 'bad' : 'warn'}`}>
                        <Icon name="alert" size={14} />
                      </span>
                      <span>{p}</span>
                    </li>
                  ))}
                </ul>
                {pagedProblems.more}
              </div>
            )}
          </div>

          <h4 className="mini-title">Received</h4>
          {received === 0 && items.length === 0 && files.length === 0 ? (
            <p className="subtle step-none">Nothing received for this step yet.</p>
          ) : (
            <>
              {items.length > 0 && (
                <ul className="evidence-list">
                  {pagedItems.shown.map((it) => (
                    <EvidenceItemRow
                      key={it.evidence_id}
                      item={it}
                      fileName={it.file_id ? fileNames.get(it.file_id) : undefined}
                      onRemove={frozen || it.superseded_by ? undefined : () => void removeEvidence(it.evidence_id)}
                    />
                  ))}
                </ul>
              )}
              {pagedItems.more}
              {files.length > 0 && (
                <ul className="file-list">
                  {pagedFiles.shown.map((f) => (
                    <RunFileRow key={f.file_id} file={f} editable={!frozen} />
                  ))}
                </ul>
              )}
              {pagedFiles.more}
            </>
          )}

          {frozen ? (
            <p className="subtle frozen-note">This run is packaged and frozen: new evidence goes to a new run.</p>
          ) : (
            <div className="step-entry">
              {def.step === 'files' && (
                <p className="subtle files-actions">
                  <Icon name="upload" size={14} /> Drop files or folders anywhere in this window, or use{' '}
                  <strong>Add files…</strong> at the top of the run. Each file is hashed, scanned for secrets and, when
                  it is a record, filed under its step.
                </p>
              )}
              <Tabs
                label={`Add evidence for step ${def.number}`}
                tabs={[
                  {
                    id: 'form',
                    label: def.step === 'files' ? 'File manifest by hand' : 'Enter by hand',
                    content:
                      def.step === 'files' ? (
                        <FileManifestForm />
                      ) : (
                        <RecordForm key={run.run_id} step={def.step} run={run} />
                      ),
                  },
                  { id: 'paste', label: 'Paste JSON', content: <PasteBox stepTitle={def.title} /> },
                ]}
              />
            </div>
          )}
        </div>
      )}
    </section>
  );
}
