/**
 * The CLI's commands as data: usage, summary, the document `--json` prints, flags. electron/cli.ts
 * implements exactly these (a test checks), and the manifest publishes them with their arguments and
 * flags, so an agent learns every entry point from `tokenops manifest`.
 */
import type { DocumentName } from '../../shared/schemas/documents';

interface CliFlag {
  type: 'string' | 'boolean';
  multiple?: boolean;
}

export interface CliSpec {
  usage: string;
  summary: string;
  /** The document `--json` prints. */
  doc: DocumentName;
  /** Read-only commands take no writer lock, so they work while the app or another writer is open. */
  readOnly?: boolean;
  options?: Record<string, CliFlag>;
}

const str = { type: 'string' } as const;

export const CLI_SPECS = {
  manifest: {
    usage: 'manifest',
    doc: 'tool_manifest',
    summary: 'print the machine-readable tool manifest',
    readOnly: true,
  },
  'run create': {
    usage: 'run create [--title T] [--trust-profile ID] [--quote ID] [--credit-entitlement ID]',
    doc: 'run_view',
    summary: 'open a run, optionally with trust, quote and credit',
    options: { title: str, 'trust-profile': str, quote: str, 'credit-entitlement': str },
  },
  'run list': {
    usage: 'run list [--query TEXT] [--limit N]',
    doc: 'run_list',
    summary: 'list runs with state, evidence status and score',
    readOnly: true,
    options: { query: str, limit: str },
  },
  'run show': {
    usage: 'run show RUN',
    doc: 'run_view',
    summary: 'a run, its steps, checks, open items and next actions',
    readOnly: true,
  },
  'evidence add': {
    usage: 'evidence add RUN FILE|DIR… [--csv-map MAPPING.json]',
    doc: 'evidence_intake',
    summary:
      'add files or folders of evidence to a run (--csv-map: which column is which in a CSV export TokenOps does not recognise; remembered)',
    options: { 'csv-map': str },
  },
  'evidence paste': {
    usage: 'evidence paste RUN < record.json',
    doc: 'evidence_paste',
    summary: 'add JSON from standard input: our record, an array of records, or a provider object (x402, AP2, Stripe)',
  },
  'evidence remove': {
    usage: 'evidence remove RUN EVIDENCE_ID',
    doc: 'run_view',
    summary:
      'remove one record from a run (from a form, a paste or a file; the file itself stays); a record it had corrected counts again',
  },
  'file exclude': {
    usage: 'file exclude RUN FILE_ID --reason TEXT',
    doc: 'run_view',
    summary: 'exclude a file (e.g. one holding a secret) from evaluation and the bundle; the copy is kept',
    options: { reason: str },
  },
  'file replace': {
    usage: 'file replace RUN FILE_ID PATH',
    doc: 'evidence_intake',
    summary: 'replace a file with a corrected copy (the old one is excluded, not deleted)',
  },
  'file attest': {
    usage: 'file attest RUN (FILE_ID | --all-unscannable) --by NAME',
    doc: 'run_view',
    summary: 'attest that a binary file that cannot be scanned holds no secret (or every such file of the run)',
    options: { by: str, 'all-unscannable': { type: 'boolean' } },
  },
  'file redact': {
    usage: 'file redact RUN FILE_ID',
    doc: 'file_redacted',
    summary:
      'replace a text file holding secrets by a copy with each finding masked (the original is excluded, not deleted)',
  },
  report: {
    usage: 'report RUN --out FILE',
    doc: 'report_written',
    summary:
      'write the evidence report a person reads (self-contained HTML: status, steps, checks, settlement trail, receipt, files, signer); every bundle carries it as data/report.html',
    readOnly: true,
    options: { out: str },
  },
  summary: {
    usage: 'summary RUN',
    doc: 'evidence_summary',
    summary: 'the evidence summary: every usable record and file, where it came from and where it lies in the bundle',
    readOnly: true,
  },
  evaluate: {
    usage: 'evaluate RUN [--require-sufficient]',
    doc: 'tokenops_review',
    summary: 'evaluate the evidence: status, score, rule trace, open items',
    readOnly: true,
    options: { 'require-sufficient': { type: 'boolean' } },
  },
  package: {
    usage: 'package RUN [--out FILE [--force]]',
    doc: 'operating_record',
    summary:
      'debit once and export the signed result bundle, or issue an exception ticket (exit 1); --out refuses the data folder, and a file that is not a bundle unless --force',
    options: { out: str, force: { type: 'boolean' } },
  },
  verify: {
    usage: 'verify FILE [--key PEM]…',
    doc: 'bundle_verification',
    summary:
      "verify a bundle: zip structure, bag manifests, signature by a trusted signer (this home's key, the keyring, or --key), subjects",
    readOnly: true,
    options: { key: { type: 'string', multiple: true } },
  },
  'trust add': {
    usage: 'trust add KEY.pem --name NAME',
    doc: 'trusted_key',
    summary: "trust bundles signed by this public key (the keyring, beside this home's own key)",
    options: { name: str },
  },
  'trust list': {
    usage: 'trust list',
    doc: 'trusted_keys',
    summary: 'the signers this home trusts besides its own key',
    readOnly: true,
  },
  'trust remove': {
    usage: 'trust remove FINGERPRINT|NAME',
    doc: 'trusted_key',
    summary: 'stop trusting a signer',
  },
  'receipt list': {
    usage: 'receipt list',
    doc: 'ledger',
    summary: 'usage receipts and credit balances',
    readOnly: true,
  },
  'receipt verify': {
    usage: 'receipt verify',
    doc: 'ledger_verification',
    summary: 'check the receipt and credit ledgers for edits, reordering and truncation (exit 1 if tampered)',
    readOnly: true,
  },
  'callback set': {
    usage: 'callback set RUN --url URL [--secret whsec_…] [--allow-private]',
    doc: 'callback_destination',
    summary:
      'set the run callback destination (a generated secret is shown once; a loopback or private address needs --allow-private)',
    options: { url: str, secret: str, 'allow-private': { type: 'boolean' } },
  },
  'callback send': {
    usage: 'callback send RUN [--retry-base-ms N] [--max-attempts N]',
    doc: 'callback_delivery',
    summary:
      'deliver the callback payload (Standard Webhooks): the attempts due within 30 s, then pending with its next attempt time; exit 1 if not delivered',
    options: { 'retry-base-ms': str, 'max-attempts': str },
  },
  'callback retry': {
    usage: 'callback retry MESSAGE [--retry-base-ms N] [--max-attempts N]',
    doc: 'callback_delivery',
    summary: 'requeue a failed callback (same webhook-id, attempts kept) and send it like callback send',
    options: { 'retry-base-ms': str, 'max-attempts': str },
  },
  'exception list': {
    usage: 'exception list [--run RUN]',
    doc: 'exception_tickets',
    summary: 'exception tickets and what each is waiting for',
    readOnly: true,
    options: { run: str },
  },
  replay: {
    usage: 'replay RUN [FILE|DIR…] [--out FILE]',
    doc: 'replay_outcome',
    summary: 'add the missing evidence (if given) and resume the run from its exception ticket; never debits twice',
    options: { out: str },
  },
  pack: {
    doc: 'pack_result',
    usage:
      'pack DIR --out FILE [--force] [--title T] [--attest-unscannable NAME] [--csv-map MAPPING.json] [--callback-url URL --callback-secret whsec_… [--allow-private] [--retry-base-ms N] [--max-attempts N]]',
    summary:
      'one shot: a folder of evidence in, a signed bundle out (exit 1 with an exception ticket if evidence is short)',
    options: {
      out: str,
      force: { type: 'boolean' },
      title: str,
      'attest-unscannable': str,
      'csv-map': str,
      'callback-url': str,
      'callback-secret': str,
      'allow-private': { type: 'boolean' },
      'retry-base-ms': str,
      'max-attempts': str,
    },
  },
  schema: {
    usage: 'schema [NAME]',
    doc: 'schema_list',
    summary:
      'print the JSON Schema of an input or of a document TokenOps prints (NAME from `tokenops manifest`); no NAME lists them',
    readOnly: true,
  },
  mcp: {
    usage: 'mcp [--allow DIR]…',
    doc: 'tool_manifest',
    summary:
      'serve the Model Context Protocol over stdio: the whole flow as tools, the manifest, schemas and run reviews as resources; paths only inside --allow folders',
    options: { allow: { type: 'string', multiple: true } },
  },
  key: {
    usage: 'key',
    doc: 'settings',
    summary: 'the signing key fingerprint and where the data folder is',
    readOnly: true,
  },
} as const satisfies Record<string, CliSpec>;

export type CliCommand = keyof typeof CLI_SPECS;

export const CLI_COMMANDS = Object.keys(CLI_SPECS) as CliCommand[];

/** The positional arguments a usage line names (`RUN`, `FILE|DIR…`), in order. */
export function usageArguments(usage: string): string[] {
  return usage
    .replace(/\[[^\]]*\]/g, ' ')
    .split(/\s+/)
    .filter((w) => /^[A-Z(]/.test(w));
}
