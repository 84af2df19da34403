/** Pure builders for every TokenOps output; `now` and ids come in as parameters, credits from the ledger. */
export {
  buildResultPackage,
  publicDestination,
  CLIENT_DELIVERABLE,
  type ResultPackageInput,
  type CallbackInput,
} from './result-package';
export { buildUsageReceipt, type UsageReceiptInput } from './usage-receipt';
export { buildCallbackPayload, type CallbackPayloadInput } from './callback-payload';
export { buildExceptionTicket, type ExceptionTicketInput } from './exception-ticket';
export { buildReplayPackage, runIdempotencyKey, recordDigest, type ReplayPackageInput } from './replay-package';
export {
  buildEvidenceManifest,
  defaultFilePath,
  defaultRecordPath,
  type EvidenceManifestInput,
} from './evidence-manifest';
export { missingItems } from './missing-items';
export { resultStatusOf } from './result-status';
