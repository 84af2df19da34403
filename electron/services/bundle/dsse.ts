import { decodeBase64Strict } from '../../../shared/base64';
import { IN_TOTO_PAYLOAD_TYPE, type IN_TOTO_STATEMENT_V1 } from './bag-layout';

/** DSSE v1 envelope (github.com/secure-systems-lab/dsse). */
export interface DsseEnvelope {
  payloadType: string;
  payload: string; // base64
  signatures: Array<{ keyid?: string; sig: string }>;
}

/** in-toto Statement v1; subjects are the bundle's payload files. */
export interface InTotoStatement {
  _type: typeof IN_TOTO_STATEMENT_V1;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: string;
  predicate: unknown;
}

/** Pre-Authentication Encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

export function signStatement(
  statement: InTotoStatement,
  signer: { keyId: string; sign(data: Uint8Array): Uint8Array },
): { envelope: DsseEnvelope; body: Buffer; sig: Uint8Array } {
  const body = Buffer.from(JSON.stringify(statement), 'utf8');
  const sig = signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, body));
  return {
    body,
    sig,
    envelope: {
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      payload: body.toString('base64'),
      signatures: [{ keyid: signer.keyId, sig: Buffer.from(sig).toString('base64') }],
    },
  };
}

/** DSSE allows standard or URL-safe base64; anything else is refused rather than leniently decoded. */
export function decodeDsseBase64(s: string): Buffer | null {
  const bytes = decodeBase64Strict(s, { urlSafe: true });
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
}
