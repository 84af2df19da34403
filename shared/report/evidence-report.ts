/**
 * The evidence report a person reads: one self-contained, printable HTML page (data/report.html in every
 * bundle, `tokenops report RUN`). It shows what the evaluation decided and why: status and score, the six
 * steps, every cross-check with its detail, the settlement trail, the usage receipt, open items, the
 * files with their SHA-256 and scan verdict, and who signed. No scripts, no external fetches (a CSP that
 * allows only inline styles): an auditor opens it from the zip, offline, and then checks the bundle
 * itself with the tools listed in the README. Pure: text in, text out, every value escaped.
 */
import type { Evaluation } from '../domain/evaluation';
import type { UsageReceipt } from '../domain/outputs';
import type { Run } from '../domain/run';
import { usableFiles } from '../evaluation/context';

export interface ReportInput {
  run: Run;
  evaluation: Evaluation;
  usageReceipt?: UsageReceipt | null;
  signerFingerprint?: string;
  generatedAt: string;
}

const STEP_TITLES: Record<string, string> = {
  settlement_reference: 'Settlement reference',
  payment_request: 'Payment request',
  credit_ledger_entry: 'Credit ledger entry',
  work_order: 'Work Order and task run',
  usage_receipt: 'Usage receipt',
  files: 'Files or file manifest',
};

const STATUS_WORDS: Record<string, string> = {
  satisfied: 'Satisfied',
  missing: 'Missing',
  inconsistent: 'Inconsistent',
  pass: 'Pass',
  fail: 'Fail',
  not_applicable: 'Not applicable',
  sufficient: 'Sufficient',
  partial: 'Partial',
};

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const words = (s: string) => STATUS_WORDS[s] ?? s.replace(/_/g, ' ');
const tone = (s: string) =>
  ['satisfied', 'pass', 'sufficient'].includes(s)
    ? 'ok'
    : ['missing', 'fail', 'inconsistent'].includes(s)
      ? 'bad'
      : 'muted';
const badge = (s: string) => `<span class="badge ${tone(s)}">${escapeHtml(words(s))}</span>`;

function table(head: string[], rows: string[][]): string {
  if (!rows.length) return '<p class="muted">None.</p>';
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function list(items: string[]): string {
  return items.length
    ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
    : '<p class="muted">None.</p>';
}

export function renderEvidenceReport(input: ReportInput): string {
  const { run, evaluation: e } = input;
  const files = usableFiles(run.files);
  const receipt = input.usageReceipt;
  const score = Math.max(0, Math.min(100, e.evidence_score));
  const sections = [
    `<section aria-labelledby="steps"><h2 id="steps">The six evidence steps</h2>${table(
      ['Step', 'Status', 'Records', 'Why'],
      e.steps.map((s, i) => [
        `${i + 1}. ${escapeHtml(STEP_TITLES[s.step] ?? s.step)}`,
        badge(s.status),
        String(s.received.length),
        escapeHtml(s.problems.join(' ') || s.satisfied_by),
      ]),
    )}</section>`,
    `<section aria-labelledby="checks"><h2 id="checks">Cross-checks</h2>${table(
      ['Check', 'Result', 'What was compared'],
      e.checks.map((c) => [escapeHtml(c.title || c.check_id), badge(c.status), escapeHtml(c.detail)]),
    )}</section>`,
    `<section aria-labelledby="trail"><h2 id="trail">Settlement trail</h2>${list(e.links.settlements.map((t) => t.described))}${
      e.settlement_failures.length
        ? `<p class="bad-text">Failed settlements: ${escapeHtml(e.settlement_failures.map((f) => `${f.settlement_reference}${f.reason ? ` (${f.reason})` : ''}`).join('; '))}</p>`
        : ''
    }${
      e.funding_failures?.length
        ? `<p class="bad-text">Failed funding: ${escapeHtml(e.funding_failures.map((f) => `${f.entry_id} (${f.reason})`).join('; '))}</p>`
        : ''
    }</section>`,
    `<section aria-labelledby="receipt"><h2 id="receipt">Usage receipt</h2>${
      receipt
        ? table(
            ['Field', 'Value'],
            [
              ['Receipt', escapeHtml(receipt.receipt_id)],
              ['Credits debited', escapeHtml(receipt.credits_debited)],
              ['Remaining credits', escapeHtml(receipt.remaining_credits)],
              ['Credit entitlement', escapeHtml(receipt.credit_entitlement_id ?? '—')],
              ['Work Order', escapeHtml(receipt.work_order_id ?? '—')],
              ['Result', escapeHtml(receipt.result_url ?? '—')],
              ['Receipt reference', escapeHtml(receipt.receipt_reference)],
              ['Issued', escapeHtml(receipt.issued_at)],
            ],
          )
        : '<p class="muted">No usage receipt issued: the run is not packaged.</p>'
    }</section>`,
    `<section aria-labelledby="open"><h2 id="open">Open items</h2>${list(e.open_items)}</section>`,
    `<section aria-labelledby="files"><h2 id="files">Files</h2>${table(
      ['File', 'Bytes', 'SHA-256', 'Secret scan'],
      files.map((f) => [
        escapeHtml(f.name),
        escapeHtml(f.size),
        `<code>${escapeHtml(f.sha256)}</code>`,
        escapeHtml(words(f.scan.status) + (f.scan.attested_by ? ` by ${f.scan.attested_by}` : '')),
      ]),
    )}</section>`,
    `<section aria-labelledby="trust"><h2 id="trust">Signature</h2><p>${
      input.signerFingerprint
        ? `Signed by the Ed25519 key <code>${escapeHtml(input.signerFingerprint)}</code>. Check the bundle with <code>tokenops verify</code>, or with any BagIt validator and the DSSE envelope in <code>tokenops/signature.dsse.json</code>.`
        : 'Not signed yet: this report was produced before packaging.'
    }</p></section>`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence report · ${escapeHtml(run.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<p class="eyebrow">TokenOps evidence report</p>
<h1>${escapeHtml(run.title)}</h1>
<p class="muted">Run <code>${escapeHtml(run.run_id)}</code> · generated ${escapeHtml(input.generatedAt)}</p>
<div class="summary">
<div class="score ${tone(e.evidence_status)}" role="img" aria-label="Evidence score ${score} of 100"><span class="num">${score}</span><span class="of">of 100</span><span class="bar"><span style="width:${score}%"></span></span></div>
<div><p>${badge(e.evidence_status)} ${e.deliverable ? 'Ready for delivery.' : 'Not ready for delivery.'}</p>${e.blockers.length ? list(e.blockers) : ''}</div>
</div>
</header>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

const STYLE = `
:root{color-scheme:light;--text:#171a21;--muted:#4e5564;--line:#d6dae1;--ok:#166534;--ok-bg:#dcfce7;--bad:#b42318;--bad-bg:#fee4e2}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:var(--text);background:#fff}
main{max-width:960px;margin:0 auto;padding:32px 24px 48px}h1{font-size:26px;margin:4px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.eyebrow{text-transform:uppercase;letter-spacing:.06em;font-size:12px;color:var(--muted);margin:0}.muted{color:var(--muted)}code{font:13px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
table{width:100%;border-collapse:collapse;margin:4px 0}th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}th{font-size:13px;color:var(--muted)}
.badge{display:inline-block;padding:0 8px;border-radius:999px;font-size:13px;font-weight:600;white-space:nowrap}.badge.ok{color:var(--ok);background:var(--ok-bg)}.badge.bad{color:var(--bad);background:var(--bad-bg)}.badge.muted{color:var(--muted);background:#eef0f3}
.summary{display:flex;gap:24px;align-items:center;margin-top:16px}.score{min-width:150px}.score .num{font-size:40px;font-weight:700}.score .of{margin-left:6px;color:var(--muted)}
.bar{display:block;height:8px;background:#eef0f3;border-radius:4px;overflow:hidden;margin-top:4px}.bar span{display:block;height:100%;background:var(--muted)}.score.ok .bar span{background:var(--ok)}.score.bad .bar span{background:var(--bad)}
.bad-text{color:var(--bad)}
@media print{main{padding:0}h2{break-after:avoid}tr{break-inside:avoid}}
`;
