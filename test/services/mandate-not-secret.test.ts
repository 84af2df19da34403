/** A signed AP2 mandate (JWT / SD-JWT) is evidence, not a secret; a bearer JWT stays a secret. */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../electron/services/intake/secret-scan';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const sig = b64url('signature-bytes-long-enough-for-a-jwt');

describe('AP2 mandates signed as JWT / SD-JWT', () => {
  it('an SD-JWT payment mandate (vct names the mandate) with disclosures is not flagged', async () => {
    const mandate = `${b64url('{"alg":"ES256","typ":"dc+sd-jwt"}')}.${b64url('{"vct":"ap2.mandates.PaymentMandate","iat":1780390800,"_sd":["abc"]}')}.${sig}~${b64url('["salt","amount","120.00"]')}~`;
    expect(await scanText('mandate.txt', `user_authorization: ${mandate}\n`)).toEqual([]);
  });

  it('a merchant authorization over a cart hash is not flagged', async () => {
    const auth = `${b64url('{"alg":"RS256","kid":"merchant-1"}')}.${b64url('{"iss":"did:web:merchant.example","cart_hash":"X4fPQ9mK","iat":1700000000}')}.${sig}`;
    expect(await scanText('cart.json', `{"merchant_authorization": "${auth}"}\n`)).toEqual([]);
  });

  it('a bearer JWT without mandate claims is still a secret', async () => {
    const bearer = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"agent-7","scope":"payments:write"}')}.${sig}`;
    const findings = await scanText('h.txt', `Authorization: Bearer ${bearer}\n`);
    expect(findings.map((f) => f.rule)).toContain('tokenops/jwt');
  });
});
