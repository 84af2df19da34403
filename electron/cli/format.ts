import type { Evaluation } from '../../shared/domain/evaluation';
import { findingPlace, type RunSummary } from '../../shared/domain/run';
import { recordIdOf } from '../../shared/evaluation/supersede';
import type { PackageOutcome, RunView, VerifyView } from '../../shared/ipc/contract';
import { append } from '../../shared/append';
import { sentenceCut } from '../../shared/sentence-cut';
import { asksForAttestation, asksForRedaction } from '../../shared/builders/missing-items';

/** Human-readable renderings of command results; `--json` bypasses all of this. */

const MARK = { satisfied: '✔', missing: '·', inconsistent: '✘', pass: '✔', fail: '✘', not_applicable: '–' } as const;

export function formatEvaluation(e: Evaluation): string {
  const lines = [`evidence: ${e.evidence_status}  score ${e.evidence_score}/100`, '', 'steps:'];
  for (const s of e.steps)
    lines.push(
      `  ${MARK[s.status]} ${s.step.padEnd(22)} ${s.status}${s.problems.length ? ` — ${firstOf(s.problems, 3, 'problems').join('; ')}` : ''}`,
    );
  // One settlement under several names (the operator's reference, the provider's hash, an invoice): say so.
  const linked = (e.links?.settlements ?? []).filter((t) => t.aliases.length > 1);
  if (linked.length) lines.push('', 'settlement links:', ...linked.map((t) => `  ${t.described}`));
  lines.push('', 'checks:');
  for (const c of e.checks) lines.push(`  ${MARK[c.status]} ${c.check_id.padEnd(40)} ${clip(c.detail)}`);
  if (e.open_items.length)
    lines.push('', 'open items:', ...firstOf(e.open_items, LIST_MAX, 'open items').map((i) => `  - ${i}`));
  if (e.next_actions.length)
    lines.push(
      '',
      'next actions:',
      ...firstOf(e.next_actions, LIST_MAX, 'actions').map((a, i) => (i < LIST_MAX ? `  ${i + 1}. ${a}` : `  ${a}`)),
    );
  return lines.join('\n');
}

/**
 * Text is for a person: a check failing on each of 200,000 CSV rows is one detail of 26 MB, and its open
 * items are 200,000 lines. The text shows the first few and says how many more; `--json` has every one.
 */
const LIST_MAX = 20;
const DETAIL_MAX = 800;

function firstOf(items: readonly string[], n: number, what: string): string[] {
  if (items.length <= n) return [...items];
  return [
    ...items.slice(0, n),
    `… and ${(items.length - n).toLocaleString('en-US')} more ${what} (--json lists every one)`,
  ];
}

/** A long detail cut after the last sentence that fits in `max` characters. */
function clip(text: string, max = DETAIL_MAX): string {
  const cut = sentenceCut(text, max);
  if (cut === text.length) return text;
  return `${text.slice(0, cut)} … (${(text.length - cut).toLocaleString('en-US')} more characters; --json has the whole text)`;
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
  append(
    lines,
    firstOf(o.blockers, LIST_MAX, 'blockers').map((b) => `  - ${clip(b)}`),
  );
  if (o.exception_ticket) {
    lines.push(
      '',
      `exception ticket ${o.exception_ticket.ticket_id} (${o.exception_ticket.exception_type}, ${o.exception_ticket.status})`,
    );
    append(
      lines,
      firstOf(o.exception_ticket.missing_items, LIST_MAX, 'missing items').map((m) => `  missing: ${m}`),
    );
    lines.push(
      ...(o.exception_ticket.exception_type === 'secret_found'
        ? secretHints(o.run_id, o.exception_ticket.missing_items)
        : [
            `supply the evidence with \`tokenops evidence add ${o.run_id} FILE…\`, then \`tokenops replay ${o.run_id}\``,
          ]),
    );
  }
  return lines.join('\n');
}

/**
 * What the operator can do about a secret, read from the ticket's items: a file that holds one is redacted,
 * replaced or excluded; a file that could not be scanned is looked at and attested.
 */
function secretHints(runId: string, missing: readonly string[]): string[] {
  const unscannable = missing.filter(asksForAttestation).length;
  const found = missing.some(asksForRedaction);
  const hints = [`find the file id with \`tokenops run show ${runId}\`, then:`];
  if (found || unscannable === 0)
    hints.push(
      `  a file holding a secret: \`tokenops file redact ${runId} FILE_ID\`, \`tokenops file replace ${runId} FILE_ID PATH\` or \`tokenops file exclude ${runId} FILE_ID --reason …\``,
    );
  if (unscannable)
    hints.push(
      `  a file that could not be scanned: open it, then \`tokenops file attest ${runId} FILE_ID --by NAME\`${unscannable > 1 ? ` (all ${unscannable}: \`tokenops file attest ${runId} --all-unscannable --by NAME\`)` : ''}, or exclude it`,
    );
  hints.push(`then \`tokenops replay ${runId}\``);
  return hints;
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
