/** Pure builders for every TokenOps output; `now` and ids come in as parameters, credits from the ledger. */
export { buildResultPackage, publicDestination } from './result-package';
export { buildUsageReceipt } from './usage-receipt';
export { buildCallbackPayload } from './callback-payload';
export { buildExceptionTicket } from './exception-ticket';
export { buildReplayPackage, recordDigest } from './replay-package';
export { buildEvidenceManifest } from './evidence-manifest';
