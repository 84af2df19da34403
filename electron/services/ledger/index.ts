export { HashChainLedger, type LedgerOptions, type LedgerTransaction } from './hash-chain-ledger';
export {
  CreditLedger,
  debitKey,
  type CreditEntry,
  type DebitRequest,
  type DebitResult,
  type GrantResult,
} from './credit-ledger';
export { ReceiptLedger, type ReceiptRecord, type ReceiptAppendResult } from './receipt-ledger';
export { verifyLedgerFile } from './verify-ledger-file';
export { keyIdFromPem } from './signed-head';
export { GENESIS_HASH, type LedgerLine, type LedgerVerification, type SignedHead } from './ledger-types';
