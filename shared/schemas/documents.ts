/**
 * The JSON documents TokenOps answers with: every `tokenops … --json` output and every MCP tool result.
 * Each names its schema in `$schema`, an id that carries the document's version. The schema bodies are
 * generated from the TypeScript types that produce the documents (npm run gen:schemas, written to
 * shared/schemas/documents/) and pinned by a test, so a change to an output is always deliberate:
 * a breaking change bumps the version here.
 */
import { DOCUMENT_SCHEMA_BODIES } from './documents/index';

export const DOCUMENTS = {
  tool_manifest: {
    version: 1,
    description: 'The tool manifest: inputs, outputs, steps, scoring, entry points, schemas.',
  },
  run_view: {
    version: 3,
    description: 'A run and its evaluation (run create/show, evidence remove, file exclude/attest).',
  },
  run_list: { version: 1, description: 'Runs with state, evidence status and score.' },
  evidence_intake: {
    version: 3,
    description: 'Files taken into a run, each classified and scanned, and what was skipped.',
  },
  evidence_paste: { version: 3, description: 'Records added from pasted JSON, and the run after.' },
  files_attested: { version: 3, description: 'Unscannable files attested in bulk, and the run after.' },
  file_redacted: { version: 3, description: 'A redacted copy of a file holding secrets, and the run after.' },
  report_written: { version: 1, description: 'Where the HTML evidence report was written.' },
  tokenops_review: {
    version: 2,
    description:
      'The evaluation an agent acts on: status, score with its rule trace, steps, checks, open items, next actions.',
  },
  evidence_summary: {
    version: 1,
    description: 'Every usable record and file of the run, where it came from and where it lies in the bundle.',
  },
  operating_record: {
    version: 2,
    description:
      'The outcome of packaging: debit, usage receipt, signed bundle, or the exception ticket and replay package.',
  },
  pack_result: { version: 2, description: 'The one-shot pack: the operating record plus what the folder gave.' },
  bundle_verification: { version: 1, description: 'The four checks of a bundle and who signed it.' },
  trusted_key: { version: 1, description: 'A signer added to or removed from the trust keyring.' },
  trusted_keys: { version: 1, description: "The signers trusted besides this home's own key." },
  ledger: { version: 1, description: 'Usage receipts, credit balances and events, and the ledger check.' },
  ledger_verification: { version: 1, description: 'The receipt and credit ledger check.' },
  callback_destination: {
    version: 2,
    description: "A run's callback destination; a secret TokenOps generated is shown this once.",
  },
  callback_delivery: { version: 1, description: 'A callback delivery: state, attempts, when the next attempt is due.' },
  exception_tickets: { version: 2, description: 'Exception tickets and what each is waiting for.' },
  replay_outcome: { version: 3, description: 'A run resumed from its exception ticket.' },
  settings: { version: 1, description: 'The data folder, the signing key and callback destinations.' },
  schema_list: { version: 1, description: 'The names of the input schemas and of the document schemas.' },
  error: { version: 2, description: 'What went wrong, as a code and a message a person can act on.' },
} as const satisfies Record<string, { version: number; description: string }>;

export type DocumentName = keyof typeof DOCUMENTS;
export const DOCUMENT_NAMES = Object.keys(DOCUMENTS) as DocumentName[];

export function isDocumentName(name: unknown): name is DocumentName {
  return typeof name === 'string' && Object.hasOwn(DOCUMENTS, name);
}

/** `https://schemas.tokenops.dev/documents/<name>/v<version>.json` */
export function documentId(name: DocumentName): string {
  return `https://schemas.tokenops.dev/documents/${name}/v${DOCUMENTS[name].version}.json`;
}

/** The schema body of a document (JSON Schema draft-07, generated from its TypeScript type). */
export function documentSchema(name: DocumentName): Record<string, unknown> {
  return DOCUMENT_SCHEMA_BODIES[name];
}

/** A document as printed: `$schema` first, then the body. */
export function asDocument<T extends object>(name: DocumentName, body: T): { $schema: string } & T {
  return { $schema: documentId(name), ...body };
}
