/** Evidence used by the end-to-end tests: one consistent paid run (ids end in _e2e_001). */
import { createHash } from 'node:crypto';

export const RUN_PRE = {
  trust_profile_id: 'trust_e2e_agent_001',
  quote_id: 'quote_e2e_tokenops_001',
  credit_entitlement_id: 'cred_e2e_tokenops_001',
};

export const SETTLEMENT = {
  kind: 'settlement_reference',
  settlement_reference: 'stl_e2e_001',
  provider: 'demo-settlement-provider',
  provider_reference: 'prov_e2e_7f3a2c',
  amount: { value: '10.00', currency: 'USD' },
  status: 'settled',
} as const;

export const PAYMENT_REQUEST = {
  kind: 'payment_request',
  payment_request_id: 'preq_e2e_001',
  settlement_reference: 'stl_e2e_001',
  provider: 'demo-settlement-provider',
  provider_id: 'prov_e2e_7f3a2c',
  amount: { value: '10.00', currency: 'USD' },
  scheme: 'credit_funding',
} as const;

export const CREDIT_LEDGER_ENTRY = {
  kind: 'credit_ledger_entry',
  entry_id: 'cle_e2e_001',
  credit_entitlement_id: RUN_PRE.credit_entitlement_id,
  entry_type: 'grant',
  credits: 10,
  balance: 10,
  provider: 'demo-settlement-provider',
  recorded_at: '2026-06-02T09:15:00Z',
} as const;

export const WORK_ORDER = {
  kind: 'work_order',
  work_order_id: 'wo_e2e_001',
  task_run_id: 'taskrun_e2e_001',
  requested_tool: 'tokenops',
  requested_capability: 'tokenops_result_package',
  operating_goal: 'Assemble the settlement evidence of the paid research run into a delivery-ready result package.',
} as const;

export const USAGE_RECEIPT = {
  kind: 'usage_receipt',
  receipt_id: 'usage_e2e_001',
  work_order_id: 'wo_e2e_001',
  credit_entitlement_id: RUN_PRE.credit_entitlement_id,
  credits_debited: 1,
  remaining_credits: 9,
  result_url: 'https://results.example.com/tokenops/usage_e2e_001',
  receipt_reference: 'rcpt_e2e_001',
  issued_at: '2026-06-02T09:40:00Z',
} as const;

export const DELIVERABLE_NAME = 'research-deliverable.md';
export const DELIVERABLE = Buffer.from(
  '# Research deliverable\n\nSummary of the paid research run, delivered by agent_e2e_seller to agent_e2e_buyer.\n' +
    'Public-safe: no keys, tokens or personal data.\n',
);

/** A file manifest naming the deliverable by size and SHA-256, so the manifest cross-check can pass. */
export const FILE_MANIFEST = {
  kind: 'files',
  manifest_id: 'fm_e2e_001',
  files: [
    {
      name: DELIVERABLE_NAME,
      size: DELIVERABLE.length,
      sha256: createHash('sha256').update(DELIVERABLE).digest('hex'),
      media_type: 'text/markdown',
    },
  ],
} as const;

/** A file holding a (fake, well-formed) PEM private key: the secret scan must flag it. */
export const SECRET_FILE_NAME = 'deploy-notes.txt';
export const SECRET_FILE = Buffer.from(
  'Deployment notes for the research agent\n' +
    '-----BEGIN RSA PRIVATE KEY-----\n' +
    'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n' +
    'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n' +
    '-----END RSA PRIVATE KEY-----\n',
);

/** An env file with a (fake, well-formed) AWS access key id. */
export const AWS_KEY_FILE = Buffer.from('REGION=eu-west-1\naws_access_key_id = AKIAQYLPMN5HHHFPZAM2\nRETRIES=3\n');

/** Bytes no text scanner can read: the operator must attest or exclude it. */
export const BINARY_FILE = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0xff, 0xfe, 0, 1, 2, 3, 0,
  0, 0x9c,
]);

/** A Standard Webhooks secret (whsec_ + base64 of 32 bytes). */
export const WEBHOOK_SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

export function json(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v, null, 2) + '\n');
}

/**
 * The n-th consistent paid run on the same credit entitlement: its own settlement, payment request,
 * Work Order, receipt and deliverable (with a file manifest that names it by SHA-256).
 */
export function evidenceSet(n: number, title = `Research run ${n}`): { title: string; files: Record<string, Buffer> } {
  const id = (p: string) => `${p}_e2e_${String(n).padStart(3, '0')}`;
  const deliverable = Buffer.from(`# ${title}\n\nDeliverable ${n}: public-safe summary, no keys or personal data.\n`);
  const deliverableName = `deliverable-${n}.md`;
  return {
    title,
    files: {
      'settlement.json': json({ ...SETTLEMENT, settlement_reference: id('stl') }),
      'payment-request.json': json({
        ...PAYMENT_REQUEST,
        payment_request_id: id('preq'),
        settlement_reference: id('stl'),
      }),
      // Every run on the entitlement cites the same funding grant; the ledger itself debits each run once.
      'credit-ledger.json': json(CREDIT_LEDGER_ENTRY),
      'work-order.json': json({ ...WORK_ORDER, work_order_id: id('wo'), task_run_id: id('taskrun') }),
      'usage-receipt.json': json({
        ...USAGE_RECEIPT,
        receipt_id: id('usage'),
        work_order_id: id('wo'),
        remaining_credits: CREDIT_LEDGER_ENTRY.balance - USAGE_RECEIPT.credits_debited,
        receipt_reference: id('rcpt'),
        result_url: `https://results.example.com/tokenops/${id('usage')}`,
      }),
      [deliverableName]: deliverable,
      'file-manifest.json': json({
        kind: 'files',
        manifest_id: id('fm'),
        files: [
          {
            name: deliverableName,
            size: deliverable.length,
            sha256: createHash('sha256').update(deliverable).digest('hex'),
            media_type: 'text/markdown',
          },
        ],
      }),
    },
  };
}
