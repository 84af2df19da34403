import type { Evaluation } from '../../shared/domain/evaluation';
import { findingPlace, type RunSummary } from '../../shared/domain/run';
import { recordIdOf } from '../../shared/evaluation/supersede';
import type { PackageOutcome, RunView, VerifyView } from '../../shared/ipc/contract';

/** Human-readable renderings of command results; `--json` bypasses all of this. */

const MARK = { satisfied: '✔', missing: '·', inconsistent: '✘', pass: '✔', fail: '✘', not_applicable: '–' } as const;

export function formatEvaluation(e: Evaluation): string {
  const lines = [`evidence: ${e.evidence_status}  score ${e.evidence_score}/100`, '', 'steps:'];
  for (const s of e.steps)
    lines.push(
      `  ${MARK[s.status]} ${s.step.padEnd(22)} ${s.status}${s.problems.length ? ` — ${s.problems.join('; ')}` : ''}`,
    );
  // One settlement under several names (the operator's reference, the provider's hash, an invoice): say so.
  const linked = (e.links?.settlements ?? []).filter((t) => t.aliases.length > 1);
  if (linked.length) lines.push('', 'settlement links:', ...linked.map((t) => `  ${t.described}`));
  lines.push('', 'checks:');
  for (const c of e.checks) lines.push(`  ${MARK[c.status]} ${c.check_id.padEnd(40)} ${c.detail}`);
  if (e.open_items.length) lines.push('', 'open items:', ...e.open_items.map((i) => `  - ${i}`));
  if (e.next_actions.length) lines.push('', 'next actions:', ...e.next_actions.map((a, i) => `  ${i + 1}. ${a}`));
  return lines.join('\n');
}

export function formatRun(view: RunView): string {
  const r = view.run;
  const head = [
    `run ${r.run_id}  "${r.title}"  state ${r.state}`,
    `trust ${r.pre_run.trust_profile_id ?? '—'}  quote ${r.pre_run.quote_id ?? '—'}  credit ${r.pre_run.credit_entitlement_id ?? '—'}`,
    `files ${r.files.length}  records ${r.evidence.length}  exceptions ${r.exceptions.filter((t) => t.status !== 'resolved').length} open`,
  ];
  const files = r.files.map((f) => {
    const status = f.excluded ? `excluded (${f.excluded.reason})` : f.scan.status;
    const what = f.classified_as ? `${f.classified_as.kind}/${f.classified_as.format}` : 'unclassified';
    const findings = f.scan.findings
      .map((x) => `\n      ! ${findingPlace(x)}: ${x.rule} — ${x.message} (${x.excerpt})`)
      .join('');
    return `  ${f.file_id}  ${f.name}  ${what}  scan ${status}${f.problem ? `\n      ${f.problem}` : ''}${findings}`;
  });
  const names = new Map(r.files.map((f) => [f.file_id, f.name]));
  const records = r.evidence.map((e) => {
    const id = recordIdOf(e);
    const from = e.file_id ? `${names.get(e.file_id) ?? e.file_id}${e.row ? ` row ${e.row}` : ''}` : e.source;
    const mark = e.superseded_by
      ? `  (replaced by ${e.superseded_by}, not counted)`
      : e.supersedes
        ? `  (replaces ${e.supersedes})`
        : '';
    return `  ${e.evidence_id}  ${e.kind}${id ? ` ${id}` : ''}  from ${from}${mark}`;
  });
  return `${head.join('\n')}${files.length ? `\n\nfiles:\n${files.join('\n')}` : ''}${records.length ? `\n\nrecords:\n${records.join('\n')}` : ''}\n\n${formatEvaluation(view.evaluation)}`;
}

export function formatRunList(runs: RunSummary[], total: number): string {
  if (!runs.length) return 'no runs yet — create one with `tokenops run create` or `tokenops pack DIR --out FILE`';
  const rows = runs.map(
    (r) =>
      `${r.run_id.padEnd(34)} ${r.state.padEnd(11)} ${r.evidence_status.padEnd(10)} ${String(r.evidence_score).padStart(3)}  ${r.title}`,
  );
  return [
    `${'RUN'.padEnd(34)} ${'STATE'.padEnd(11)} ${'EVIDENCE'.padEnd(10)} SCORE TITLE`,
    ...rows,
    `${runs.length} of ${total} runs`,
  ].join('\n');
}

export function formatPackage(o: PackageOutcome): string {
  if (o.packaged && o.bundle) {
    return [
      `packaged run ${o.run_id}: ${o.evidence_status}, score ${o.evidence_score}/100`,
      `bundle    ${o.bundle.path}`,
      `sha256    ${o.bundle.sha256}`,
      `signed by ${o.bundle.signer_fingerprint}`,
      o.credits
        ? `credits   debited ${o.credits.debited}${o.credits.already_debited ? ' (already, not again)' : ''}, remaining ${o.credits.remaining}`
        : '',
      o.usage_receipt ? `receipt   ${o.usage_receipt.receipt_id}` : '',
    ]
      .filter(Boolean)
      .join('\n');
  }
  const lines = [`run ${o.run_id} was NOT packaged: ${o.evidence_status}, score ${o.evidence_score}/100`];
  lines.push(...o.blockers.map((b) => `  - ${b}`));
  if (o.exception_ticket) {
    lines.push(
      '',
      `exception ticket ${o.exception_ticket.ticket_id} (${o.exception_ticket.exception_type}, ${o.exception_ticket.status})`,
    );
    lines.push(...o.exception_ticket.missing_items.map((m) => `  missing: ${m}`));
    lines.push(
      o.exception_ticket.exception_type === 'secret_found'
        ? `find the file id with \`tokenops run show ${o.run_id}\`, then \`tokenops file exclude ${o.run_id} FILE_ID --reason …\` or \`tokenops file replace ${o.run_id} FILE_ID PATH\`, then \`tokenops replay ${o.run_id}\``
        : `supply the evidence with \`tokenops evidence add ${o.run_id} FILE…\`, then \`tokenops replay ${o.run_id}\``,
    );
  }
  return lines.join('\n');
}

export function formatVerify(v: VerifyView): string {
  const lines = [`${v.ok ? 'VALID' : 'INVALID'}  ${v.file}`];
  for (const c of v.checks) lines.push(`  ${c.ok ? '✔' : '✘'} ${c.id.padEnd(15)} ${c.message}`);
  if (v.signer_fingerprint)
    lines.push(
      `  signer ${v.signer_fingerprint}${v.signer_trusted === undefined ? '' : v.signer_trusted ? ' (trusted)' : ' (NOT trusted)'}`,
    );
  return lines.join('\n');
}
