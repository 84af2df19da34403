/**
 * `tokenops`: the headless face of TokenOps for agents and scripts. Same services as the desktop app.
 * Exit codes: 0 success, 1 a check failed, 2 usage or input error. `--json` prints one JSON document.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { closest } from './cli/suggest';
import { TokenOpsError, isTokenOpsError } from '../shared/errors';
import {
  DOCUMENTS,
  DOCUMENT_NAMES,
  asDocument,
  documentSchema,
  isDocumentName,
  type DocumentName,
} from '../shared/schemas/documents';
import { SCHEMAS, SCHEMA_NAMES, isSchemaName } from '../shared/schemas';
import { openTokenOps, type TokenOps } from './services/tokenops';
import type { CallbackView } from '../shared/ipc/contract';
import { CLI_COMMANDS, CLI_SPECS, type CliCommand, type CliSpec } from './services/cli-commands';
import { AllowedPaths } from './services/mcp/allowed-paths';
import { resolveHome } from './services/home';
import { checkOutPath } from './services/packaging/out-path';
import { readCsvMappingFile } from './services/intake/csv-mapping';
import { renderEvidenceReport } from '../shared/report/evidence-report';
import { progressBar } from './cli/progress-bar';
import { formatEvaluation, formatPackage, formatRun, formatRunList, formatVerify } from './cli/format';
import { append } from '../shared/append';
import { forTerminal } from './cli/terminal-text';

type Run = (
  t: TokenOps,
  args: string[],
  opts: Record<string, unknown>,
) => Promise<{ json: object; text: string; exit?: 0 | 1; doc?: DocumentName; raw?: boolean; silent?: boolean }>;

/**
 * `tokenops mcp`: stdout is the protocol, so nothing else is printed there. The MCP SDK is loaded only
 * here: it is ~110 ms of every other command's start-up otherwise.
 */
const serveMcp: Run = async (t, _a, o) => {
  const { createMcpServer, serveStdio } = await import('./services/mcp/server');
  const { home } = await t.handlers['settings.get']({});
  const paths = await AllowedPaths.of((o.allow as string[] | undefined) ?? [], home);
  await serveStdio(createMcpServer(t, paths, version()));
  return { json: {}, text: '', silent: true };
};

type Cmd = CliSpec & { run: Run };

/** Lines a person reads: a folder of 4,000 logs gives 4,000 alike, so the text shows the first few (--json has all). */
const LISTED_LINES = 10;
function firstOf(lines: string[], what: string): string[] {
  if (lines.length <= LISTED_LINES) return lines;
  return [
    ...lines.slice(0, LISTED_LINES),
    `  … and ${lines.length - LISTED_LINES} more ${what} (--json lists them all)`,
  ];
}

/** What each command does; its usage, flags and document are in CLI_SPECS (services/cli-commands.ts). */
const RUNNERS: Record<Exclude<CliCommand, 'mcp'>, { run: Run }> = {
  manifest: {
    async run(t) {
      const m = await t.handlers['manifest.get']({});
      return { json: m, text: JSON.stringify(m, null, 2) };
    },
  },
  'run create': {
    async run(t, _a, o) {
      const pre_run = compact({
        trust_profile_id: o['trust-profile'],
        quote_id: o.quote,
        credit_entitlement_id: o['credit-entitlement'],
      });
      const v = await t.handlers['runs.create']({ ...(o.title ? { title: String(o.title) } : {}), pre_run });
      return { json: v, text: `created run ${v.run.run_id}` };
    },
  },
  'run list': {
    async run(t, _a, o) {
      const r = await t.handlers['runs.list']({
        ...(o.query ? { query: String(o.query) } : {}),
        ...(o.limit ? { limit: int(o.limit, '--limit') } : {}),
      });
      return { json: r, text: formatRunList(r.runs, r.total) };
    },
  },
  'run show': {
    async run(t, a) {
      const v = await t.handlers['runs.get']({ run_id: arg(a, 0, 'RUN') });
      return { json: v, text: formatRun(v) };
    },
  },
  'evidence add': {
    async run(t, a, o) {
      const runId = arg(a, 0, 'RUN');
      const paths = a.slice(1);
      if (!paths.length) throw usage('evidence add needs at least one FILE or DIR after the run id');
      const csvMapping = o['csv-map'] ? await readCsvMappingFile(String(o['csv-map'])) : undefined;
      const r = await t.handlers['evidence.addFiles']({
        run_id: runId,
        paths,
        ...(csvMapping ? { csv_mapping: csvMapping } : {}),
      });
      const lines = r.report.added_files.map(
        (f) =>
          `  + ${f.name} (${f.classified_as ? `${f.classified_as.kind}, ${f.classified_as.format}` : 'unclassified'}; scan ${f.scan_status})${f.problem ? ` — ${f.problem}` : ''}`,
      );
      append(
        lines,
        r.report.skipped.map((s) => `  skipped ${s.path}: ${s.reason}`),
      );
      return { json: r, text: `${lines.join('\n')}\n\n${formatEvaluation(r.view.evaluation)}` };
    },
  },
  'evidence paste': {
    async run(t, a) {
      const text = await readStdin();
      const r = await t.handlers['evidence.paste']({ run_id: arg(a, 0, 'RUN'), text });
      return {
        json: r,
        text: `${r.added.map((e) => `  + ${e.kind} (${e.format})`).join('\n')}\n\n${formatEvaluation(r.view.evaluation)}`,
      };
    },
  },
  'evidence remove': {
    async run(t, a) {
      const v = await t.handlers['evidence.remove']({
        run_id: arg(a, 0, 'RUN'),
        evidence_id: arg(a, 1, 'EVIDENCE_ID'),
      });
      return { json: v, text: formatRun(v) };
    },
  },
  'file exclude': {
    async run(t, a, o) {
      if (!o.reason) throw usage('file exclude needs --reason');
      const v = await t.handlers['files.exclude']({
        run_id: arg(a, 0, 'RUN'),
        file_id: arg(a, 1, 'FILE_ID'),
        reason: String(o.reason),
      });
      return { json: v, text: formatRun(v) };
    },
  },
  'file replace': {
    async run(t, a) {
      const r = await t.handlers['files.replace']({
        run_id: arg(a, 0, 'RUN'),
        file_id: arg(a, 1, 'FILE_ID'),
        path: arg(a, 2, 'PATH'),
      });
      return { json: r, text: formatRun(r.view) };
    },
  },
  'file attest': {
    async run(t, a, o) {
      if (!o.by) throw usage('file attest needs --by NAME (who attests)');
      if (o['all-unscannable']) {
        if (a[1]) throw usage('file attest takes a FILE_ID or --all-unscannable, not both');
        const r = await t.handlers['files.attestUnscannable']({ run_id: arg(a, 0, 'RUN'), attested_by: String(o.by) });
        return {
          doc: 'files_attested',
          json: r,
          text: `attested by ${String(o.by)}:\n${r.attested.map((n) => `  ${n}`).join('\n')}\n\n${formatRun(r.view)}`,
        };
      }
      const v = await t.handlers['files.attest']({
        run_id: arg(a, 0, 'RUN'),
        file_id: arg(a, 1, 'FILE_ID'),
        attested_by: String(o.by),
      });
      return { json: v, text: formatRun(v) };
    },
  },
  'file redact': {
    async run(t, a) {
      const r = await t.handlers['files.redact']({ run_id: arg(a, 0, 'RUN'), file_id: arg(a, 1, 'FILE_ID') });
      const added = r.report.added_files[0];
      return {
        json: r,
        text: `redacted: ${r.masked} finding${r.masked === 1 ? '' : 's'} masked in ${added?.file_id ?? 'a new copy'} (${added?.name ?? ''})\n\n${formatRun(r.view)}`,
      };
    },
  },
  report: {
    async run(t, a, o) {
      if (!o.out) throw usage('report needs --out FILE (an .html file)');
      const view = await t.handlers['runs.get']({ run_id: arg(a, 0, 'RUN') });
      const html = renderEvidenceReport({
        run: view.run,
        evaluation: view.evaluation,
        usageReceipt: view.run.outputs?.usage_receipt ?? null,
        ...(view.run.outputs?.bundle ? { signerFingerprint: view.run.outputs.bundle.signer_fingerprint } : {}),
        generatedAt: new Date().toISOString(),
      });
      // Same rules as a bundle's --out: never inside the data folder; an earlier .html report may be replaced.
      const { home } = await t.handlers['settings.get']({});
      const out = await checkOutPath(String(o.out), home, { force: /\.html?$/i.test(String(o.out)) });
      await writeFile(out, html, { flag: 'w' });
      return { json: { run_id: view.run.run_id, report: out, bytes: Buffer.byteLength(html) }, text: `report ${out}` };
    },
  },
  summary: {
    async run(t, a) {
      const m = await t.evidenceSummary(arg(a, 0, 'RUN'));
      const lines = [
        `run ${m.run_id}: ${m.records.length} record${m.records.length === 1 ? '' : 's'}, ${m.files.length} file${m.files.length === 1 ? '' : 's'}`,
        ...m.records.map(
          (r) => `  record ${r.kind} (${r.format}) from ${r.source}${r.file ? ` ${r.file}` : ''} → ${r.path}`,
        ),
        ...m.files.map((f) => `  file ${f.name} ${f.size} bytes sha256 ${f.sha256} → ${f.path}`),
      ];
      return { json: m, text: lines.join('\n') };
    },
  },
  evaluate: {
    async run(t, a, o) {
      const v = await t.handlers['runs.get']({ run_id: arg(a, 0, 'RUN') });
      const e = v.evaluation;
      const trace = e.rule_trace
        .map(
          (r) => `  ${String(r.earned).padStart(3)}/${String(r.weight).padEnd(3)} ${r.rule_id.padEnd(40)} ${r.reason}`,
        )
        .join('\n');
      const exit = o['require-sufficient'] && e.evidence_status !== 'sufficient' ? 1 : 0;
      return { json: e, text: `${formatEvaluation(e)}\n\nrule trace:\n${trace}`, exit };
    },
  },
  package: {
    async run(t, a, o) {
      const r = await t.handlers['run.package']({
        run_id: arg(a, 0, 'RUN'),
        ...(o.out ? { out_path: String(o.out) } : {}),
        ...(o.force ? { force: true } : {}),
      });
      return { json: r, text: formatPackage(r), exit: r.packaged ? 0 : 1 };
    },
  },
  verify: {
    async run(t, a, o) {
      const pems = await Promise.all(((o.key as string[] | undefined) ?? []).map((p) => readPem(p)));
      const v = await t.verify(arg(a, 0, 'FILE'), pems);
      return { json: v, text: formatVerify(v), exit: v.ok ? 0 : 1 };
    },
  },
  'trust add': {
    async run(t, a, o) {
      if (!o.name) throw usage('trust add needs --name NAME: say whose key this is');
      const k = await t.trustAdd(await readPem(arg(a, 0, 'KEY.pem')), String(o.name));
      return { json: k, text: `trusted ${k.fingerprint} as "${k.name}"` };
    },
  },
  'trust list': {
    async run(t) {
      const keys = await t.trustList();
      return {
        json: { keys },
        text: keys.length
          ? keys.map((k) => `  ${k.fingerprint}  ${k.name}  added ${k.added_at}`).join('\n')
          : "no trusted keys besides this home's own",
      };
    },
  },
  'trust remove': {
    async run(t, a) {
      const k = await t.trustRemove(arg(a, 0, 'FINGERPRINT|NAME'));
      return { json: k, text: `no longer trusted: ${k.fingerprint} ("${k.name}")` };
    },
  },
  'receipt list': {
    async run(t) {
      const l = await t.handlers['ledger.get']({});
      const rows = l.receipts.map(
        (r) =>
          `  ${String(r.receipt_id).padEnd(36)} debited ${r.credits_debited}  remaining ${r.remaining_credits}  run ${r.run_id}`,
      );
      const bal = l.balances.map(
        (b) =>
          `  ${b.credit_entitlement_id.padEnd(36)} granted ${b.granted}  debited ${b.debited}  balance ${b.balance}`,
      );
      return {
        json: l,
        text: [`receipts (${l.receipts.length}):`, ...rows, '', 'credit balances:', ...bal].join('\n'),
      };
    },
  },
  'receipt verify': {
    async run(t) {
      const l = await t.handlers['ledger.get']({});
      const text = l.verify.ok
        ? `ledgers intact: ${l.verify.entries} entries, signed heads valid`
        : `LEDGER TAMPERED:\n${l.verify.problems.map((p) => `  - ${p}`).join('\n')}`;
      return { json: l.verify, text, exit: l.verify.ok ? 0 : 1 };
    },
  },
  'callback set': {
    async run(t, a, o) {
      if (!o.url) throw usage('callback set needs --url');
      const v = await t.handlers['runs.setCallback']({
        run_id: arg(a, 0, 'RUN'),
        url: String(o.url),
        ...(o.secret ? { secret: String(o.secret) } : {}),
        ...(o['allow-private'] ? { allow_private: true } : {}),
      });
      const callback = v.run.callback!;
      // A generated secret is printed this once: the receiver needs it to verify signatures, and it is
      // stored only in the data folder's 0600 destinations file.
      const secret = v.generated_secret;
      const text = secret
        ? `callback for ${v.run.run_id}: ${callback.url}\nsigning secret (shown once; give it to the receiver): ${secret}`
        : `callback for ${v.run.run_id}: ${callback.url}`;
      return { json: { ...callback, ...(secret ? { generated_secret: secret } : {}) }, text };
    },
  },
  'callback send': {
    async run(t, a) {
      const runId = arg(a, 0, 'RUN');
      return deliveryResult(await t.sendCallbackWithin(runId), `callback send ${runId}`);
    },
  },
  'callback retry': {
    async run(t, a) {
      const sent = await t.retryCallback(arg(a, 0, 'MESSAGE'));
      // Requeued and still pending: from here on it is the run's callback, sent again with callback send.
      return deliveryResult(sent, `callback send ${(await t.outbox.get(sent.message_id)).run_id}`);
    },
  },
  'exception list': {
    async run(t, _a, o) {
      const l = await t.handlers['exceptions.list'](o.run ? { run_id: String(o.run) } : {});
      const text = l.length
        ? l
            .map(
              (x) =>
                `${x.ticket_id}  run ${x.run_id}  ${x.exception_type}  ${x.status}\n${x.missing_items.map((m) => `  missing: ${m}`).join('\n')}`,
            )
            .join('\n')
        : 'no exception tickets';
      return { json: { exceptions: l }, text };
    },
  },
  replay: {
    async run(t, a, o) {
      const runId = arg(a, 0, 'RUN');
      if (a.length > 1) await t.handlers['evidence.addFiles']({ run_id: runId, paths: a.slice(1) });
      const r = await t.replay(runId, o.out ? String(o.out) : undefined);
      const text = r.package ? formatPackage(r.package) : formatRun(r.view);
      return {
        json: r,
        text: `${r.resumed_from ? `resumed from ${r.resumed_from} (ticket ${r.ticket_id})\n` : ''}${text}`,
        exit: r.package?.packaged ? 0 : 1,
      };
    },
  },
  pack: {
    async run(t, a, o) {
      if (!o.out) throw usage('pack needs --out FILE');
      // pack prints no secret: a generated one would be lost, and no receiver could verify a signature.
      if (o['callback-url'] && !o['callback-secret'])
        throw usage('pack --callback-url needs --callback-secret whsec_… (the secret the receiver verifies with)');
      const csvMapping = o['csv-map'] ? await readCsvMappingFile(String(o['csv-map'])) : undefined;
      const r = await t.pack({
        ...(csvMapping ? { csvMapping } : {}),
        dir: arg(a, 0, 'DIR'),
        out: String(o.out),
        ...(o.force ? { force: true } : {}),
        ...(o.title ? { title: String(o.title) } : {}),
        ...(o['attest-unscannable'] ? { attestUnscannable: String(o['attest-unscannable']) } : {}),
        ...(o['callback-url'] ? { callbackUrl: String(o['callback-url']) } : {}),
        ...(o['callback-secret'] ? { callbackSecret: String(o['callback-secret']) } : {}),
        ...(o['allow-private'] ? { allowPrivate: true } : {}),
      });
      const cb = r.callback ? `\ncallback ${r.callback.message_id}: ${r.callback.state}` : '';
      const intake = [
        `took in ${r.intake.added_files} file${r.intake.added_files === 1 ? '' : 's'}, ${r.intake.added_records} record${r.intake.added_records === 1 ? '' : 's'}`,
        ...r.intake.attested.map((n) => `  attested ${n} (by ${String(o['attest-unscannable'])})`),
        ...firstOf(
          r.intake.skipped.map((s) => `  skipped ${s.path}: ${s.reason}`),
          'skipped',
        ),
        ...firstOf(
          r.intake.unread.map((u) => `  not read as records: ${u.name}: ${u.problem}`),
          'not read as records',
        ),
      ].join('\n');
      return { json: r, text: `run ${r.run_id}\n${intake}\n${formatPackage(r)}${cb}`, exit: r.packaged ? 0 : 1 };
    },
  },
  schema: {
    async run(_t, a) {
      const name = a[0];
      if (!name) {
        const names = [
          ...SCHEMA_NAMES.map((n) => `  ${n}  (input/output record)`),
          ...DOCUMENT_NAMES.map((n) => `  ${n}  (document v${DOCUMENTS[n].version})`),
        ];
        return { json: { inputs: SCHEMA_NAMES, documents: DOCUMENT_NAMES }, text: names.join('\n') };
      }
      const body = isDocumentName(name) ? documentSchema(name) : isSchemaName(name) ? SCHEMAS[name] : null;
      if (!body) {
        const near = closest(name, [...SCHEMA_NAMES, ...DOCUMENT_NAMES]);
        throw usage(
          `no schema named "${name}"${near ? ` (did you mean ${near}?)` : ''}; \`tokenops schema\` lists them`,
        );
      }
      return { raw: true, json: body, text: JSON.stringify(body, null, 2) };
    },
  },
  key: {
    async run(t) {
      const s = await t.handlers['settings.get']({});
      return {
        json: s,
        text: `data folder  ${s.home}\nsigning key  ${s.signer_fingerprint}\nkey id       ${s.signer_key_id}`,
      };
    },
  },
};

const COMMANDS: Record<string, Cmd> = Object.fromEntries(
  CLI_COMMANDS.map((name) => [
    name,
    { ...(CLI_SPECS[name] as CliSpec), run: name === 'mcp' ? serveMcp : RUNNERS[name].run },
  ]),
);

/** Node's parseArgs messages, in one line an operator can act on: the flag, a suggestion, the usage. */
function parseArgsProblem(e: TypeError, cmd: { usage: string; options?: Record<string, unknown> }): string {
  const code = (e as { code?: string }).code;
  const flag = /'(-{1,2}[^']+)'/.exec(e.message)?.[1];
  const known = ['json', 'home', ...Object.keys(cmd.options ?? {})];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const near = closest(flag.replace(/^-+/, '').split('=')[0], known);
    return `unknown option ${flag}${near ? ` (did you mean --${near}?)` : ''}. usage: tokenops ${cmd.usage}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag)
    return `option ${flag.split(' ')[0]} needs a value. usage: tokenops ${cmd.usage}`;
  return `${e.message.split('. ')[0]}. usage: tokenops ${cmd.usage}`;
}

/** A public key file for trust/--key: read as text, refused clearly when it is not a PEM. */
async function readPem(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new TokenOpsError(
      'input_invalid',
      `Cannot read key file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
    );
  }
  if (!/-----BEGIN PUBLIC KEY-----/.test(text))
    throw new TokenOpsError('input_invalid', `${file} is not a PEM public key (expected -----BEGIN PUBLIC KEY-----).`);
  return text;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw usage('evidence paste reads JSON from standard input: pipe a file into it');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function compact<T extends Record<string, unknown>>(o: T): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'string' && v)) as Record<string, string>;
}
function usage(msg: string): TokenOpsError {
  return new TokenOpsError('usage', msg);
}
function arg(a: string[], i: number, name: string): string {
  const v = a[i];
  if (!v) throw usage(`missing ${name}`);
  return v;
}
function int(v: unknown, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw usage(`${name} takes a whole number ≥ 1, not "${String(v)}"`);
  return n;
}

function helpText(): string {
  const rows = Object.values(COMMANDS).map((c) => `  tokenops ${c.usage}\n      ${c.summary}`);
  return [
    'tokenops — gather paid-agent-run evidence, see what is missing, export a signed verifiable result bundle',
    '',
    'commands:',
    ...rows,
    '',
    'every command takes --json (one JSON document on stdout) and --home DIR (data folder; env TOKENOPS_HOME)',
    'exit codes: 0 ok, 1 a check failed, 2 usage or input error',
  ].join('\n');
}

/** Options that take a value, across all commands: their values are not command words. */
const VALUE_OPTIONS = new Set([
  '--home',
  ...Object.values(COMMANDS).flatMap((c) =>
    Object.entries(c.options ?? {})
      .filter(([, o]) => o.type === 'string')
      .map(([k]) => `--${k}`),
  ),
]);

/** The words of argv that are not options or option values, with their positions. */
function positionalWords(argv: string[]): Array<{ word: string; at: number }> {
  const words: Array<{ word: string; at: number }> = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    words.push({ word: a, at: i });
  }
  return words;
}

function commandWords(argv: string[]): string[] {
  return positionalWords(argv).map((w) => w.word);
}

function findCommand(argv: string[]): { name: string; cmd: Cmd; rest: string[] } | null {
  const words = positionalWords(argv);
  const two = words
    .slice(0, 2)
    .map((w) => w.word)
    .join(' ');
  const n = COMMANDS[two] ? 2 : COMMANDS[words[0]?.word ?? ''] ? 1 : 0;
  if (!n) return null;
  const name = words
    .slice(0, n)
    .map((w) => w.word)
    .join(' ');
  const drop = new Set(words.slice(0, n).map((w) => w.at));
  return { name, cmd: COMMANDS[name]!, rest: argv.filter((_, i) => !drop.has(i)) };
}

/** What to say for words that name no command: a group's subcommands, or the closest command. */
function unknownCommand(words: string[]): string {
  const [first = '', second] = words;
  const group = Object.keys(COMMANDS).filter((n) => n.startsWith(`${first} `));
  if (group.length) {
    const sub = second ? closest(`${first} ${second}`, group) : null;
    const lead = second
      ? `unknown command "${first} ${second}"${sub ? `; did you mean ${sub}?` : '.'}`
      : `tokenops ${first} needs a subcommand.`;
    return `${lead} ${first} commands: ${group.map((g) => g.slice(first.length + 1)).join(', ')}.`;
  }
  const firsts = [...new Set(Object.keys(COMMANDS).map((n) => n.split(' ')[0]))];
  const near = closest(first, firsts);
  return `unknown command "${words.slice(0, 2).join(' ')}"${near ? `; did you mean ${near}?` : '.'} Run \`tokenops --help\` for the list.`;
}

/** The package's version, from the package.json above this file (source or built bundle). */
function version(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'tokenops' && pkg.version) return pkg.version;
    } catch {
      // not here: look one folder up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  const wantsJson = argv.includes('--json');
  if (commandWords(argv).length === 0 && (argv.includes('--version') || argv.includes('-V'))) {
    io.out.write(`tokenops ${version()}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found || argv.includes('--help') || argv.includes('-h')) {
    if (found || argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
      io.out.write(`${found ? `usage: tokenops ${found.cmd.usage}\n  ${found.cmd.summary}` : helpText()}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    return fail(new TokenOpsError('usage', unknownCommand(commandWords(argv))), wantsJson, io);
  }
  let tokenops: TokenOps | undefined;
  const bar = progressBar(io.err as NodeJS.WriteStream);
  try {
    const parsed = parseArgs({
      args: found.rest,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, home: { type: 'string' }, ...(found.cmd.options ?? {}) },
    });
    const values = parsed.values as Record<string, unknown>;
    const retry = {
      ...(values['retry-base-ms'] ? { baseMs: int(values['retry-base-ms'], '--retry-base-ms') } : {}),
      ...(values['max-attempts'] ? { maxAttempts: int(values['max-attempts'], '--max-attempts') } : {}),
    };
    tokenops = await openTokenOps({
      home: resolveHome(values.home as string | undefined),
      callbackRetry: retry,
      readOnly: Boolean(found.cmd.readOnly),
      onProgress: (p) => bar.update(p),
    });
    const result = await found.cmd.run(tokenops, parsed.positionals, parsed.values as Record<string, unknown>);
    bar.done();
    const doc = result.doc ?? found.cmd.doc;
    // A schema is printed as it is (its own `$schema` names the JSON Schema dialect).
    const body = result.raw ? result.json : asDocument(doc, result.json);
    if (!result.silent)
      io.out.write(wantsJson ? `${JSON.stringify(body, null, 2)}\n` : `${forTerminal(result.text)}\n`);
    return result.exit ?? 0;
  } catch (e) {
    bar.done();
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      return fail(new TokenOpsError('usage', parseArgsProblem(e, found.cmd)), wantsJson, io);
    }
    return fail(e, wantsJson, io);
  } finally {
    // A restore from a backup is never silent, whatever the command and output format.
    for (const r of tokenops?.recoveries() ?? [])
      io.err.write(forTerminal(`tokenops: warning: ${r.file} was damaged and restored from ${r.from}: ${r.reason}\n`));
    await tokenops?.close();
  }
}

function fail(e: unknown, json: boolean, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): number {
  const err = isTokenOpsError(e)
    ? e
    : new TokenOpsError('input_invalid', `Unexpected error: ${(e as Error)?.stack ?? String(e)}`);
  if (json)
    io.out.write(
      `${JSON.stringify(asDocument('error', { error: { code: err.code, message: err.message, details: err.details ?? null } }), null, 2)}\n`,
    );
  io.err.write(`${forTerminal(`tokenops: ${err.message}`)}\n`);
  return err.exitCode;
}

/** The text and exit of a delivery: every attempt, and when a pending message is next due. */
function deliveryResult(c: CallbackView, again: string) {
  const attempts = c.attempts.map((x, i) => `  attempt ${i + 1}: ${x.status ?? x.error}`).join('\n');
  const next = c.next_attempt_at
    ? `\nnext attempt due ${c.next_attempt_at}: the app delivers it then, or run tokenops ${again} (the webhook-id stays the same)`
    : c.state === 'failed'
      ? `\nfix the receiver, then: tokenops callback retry ${c.message_id}`
      : '';
  const exit: 0 | 1 = c.state === 'delivered' ? 0 : 1;
  return { json: c, text: `callback ${c.message_id}: ${c.state}\n${attempts}${next}`, exit };
}
