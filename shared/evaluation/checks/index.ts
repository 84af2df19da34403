/** The cross-checks, in the order they are reported and scored. */
import type { CheckId } from '../catalog';
import type { RunContext } from '../context';
import type { CheckOutcome } from './types';
import { checkPaymentRequestMatchesSettlement } from './payment-request-matches-settlement';
import { checkPaymentAmountMatchesSettlement } from './payment-amount-matches-settlement';
import { checkLedgerEntryMatchesEntitlement } from './ledger-entry-matches-entitlement';
import { checkReceiptMatchesWorkOrder } from './receipt-matches-work-order';
import { checkReceiptMatchesEntitlement } from './receipt-matches-entitlement';
import { checkRemainingEqualsBalanceMinusDebited } from './remaining-equals-balance-minus-debited';
import { checkWorkOrderRequestsRunTool } from './work-order-requests-run-tool';
import { checkFileManifestHashesMatch } from './file-manifest-hashes-match';
import { checkNoSecrets } from './no-secrets';

export type { CheckOutcome } from './types';

const CHECKS: ReadonlyArray<{ id: CheckId; run: (ctx: RunContext) => CheckOutcome }> = [
  { id: 'payment_request_matches_settlement', run: checkPaymentRequestMatchesSettlement },
  { id: 'payment_amount_matches_settlement', run: checkPaymentAmountMatchesSettlement },
  { id: 'ledger_entry_matches_entitlement', run: checkLedgerEntryMatchesEntitlement },
  { id: 'receipt_matches_work_order', run: checkReceiptMatchesWorkOrder },
  { id: 'receipt_matches_entitlement', run: checkReceiptMatchesEntitlement },
  { id: 'remaining_equals_balance_minus_debited', run: checkRemainingEqualsBalanceMinusDebited },
  { id: 'work_order_requests_run_tool', run: checkWorkOrderRequestsRunTool },
  { id: 'file_manifest_hashes_match', run: checkFileManifestHashesMatch },
  { id: 'no_secrets', run: checkNoSecrets },
];

export function runChecks(ctx: RunContext): CheckOutcome[] {
  return CHECKS.map((c) => c.run(ctx));
}
