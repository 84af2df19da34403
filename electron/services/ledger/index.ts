export { CreditLedger } from './credit-ledger';
export { ReceiptLedger } from './receipt-ledger';
