/**
 * The signed head: the ledger's commitment to "this many lines, ending in this hash".
 * The chain alone is unkeyed (anyone can append a well-formed line or cut the tail); the head is what
 * makes an unsigned append, a truncation or a rewrite detectable.
 */
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { canonicalJson } from '../../../shared/canonical-json';
import type { Signer } from '../../../shared/signing';
import { keyIdOfKey } from '../keys/key-id';
import type { SignedHead } from './ledger-types';

export type HeadRead =
  { status: 'missing' } | { status: 'invalid'; problems: string[] } | { status: 'ok'; head: SignedHead };

/** The bytes the signature covers. */
export function headPayload(seq: number, hash: string, count: number): Buffer {
  return Buffer.from(canonicalJson({ seq, hash, count }), 'utf8');
}

export function signHead(signer: Signer, seq: number, hash: string, count: number, at: string): SignedHead {
  const sig = Buffer.from(signer.sign(headPayload(seq, hash, count))).toString('base64');
  return { seq, hash, count, at, key_id: signer.keyId, public_key_pem: signer.publicKeyPem, sig };
}

export function encodeHead(head: SignedHead): Buffer {
  return Buffer.from(`${canonicalJson(head)}\n`, 'utf8');
}

export async function readSignedHead(headPath: string, trustedKeyIds: readonly string[]): Promise<HeadRead> {
  let text: string;
  try {
    text = await readFile(headPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { status: 'invalid', problems: [`head ${headPath} is not valid JSON: it was damaged or edited.`] };
  }
  return checkHead(value, trustedKeyIds, headPath);
}

function checkHead(value: unknown, trustedKeyIds: readonly string[], where = 'head'): HeadRead {
  const invalid = (why: string): HeadRead => ({ status: 'invalid', problems: [`${where}: ${why}`] });
  if (typeof value !== 'object' || value === null) return invalid('is not a JSON object.');
  const h = value as Record<string, unknown>;
  if (!Number.isSafeInteger(h.seq) || !Number.isSafeInteger(h.count) || (h.count as number) < 0) {
    return invalid('seq and count must be non-negative integers; the head was edited.');
  }
  for (const k of ['hash', 'at', 'key_id', 'public_key_pem', 'sig'] as const) {
    if (typeof h[k] !== 'string')
      return invalid(`field ${k} is missing or not a string; the head was edited or forged.`);
  }
  const head = value as SignedHead;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(head.public_key_pem);
  } catch {
    return invalid('public_key_pem is not a valid public key; the head was edited or forged.');
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return invalid('public key is not Ed25519; the head was forged.');
  const keyId = keyIdOfKey(publicKey);
  if (keyId !== head.key_id)
    return invalid(
      `key_id ${head.key_id} does not belong to the public key shipped with it (${keyId}); the head was forged.`,
    );
  if (!trustedKeyIds.includes(keyId)) {
    return invalid(
      `is signed by key ${keyId}, which is not a trusted key (${trustedKeyIds.join(', ') || 'none'}). ` +
        'The head was forged, or the ledger comes from another installation whose key must be added to the trusted keys.',
    );
  }
  const ok = verifySignature(
    null,
    headPayload(head.seq, head.hash, head.count),
    publicKey,
    Buffer.from(head.sig, 'base64'),
  );
  if (!ok)
    return invalid('signature is invalid: seq, hash or count were changed after signing, or the head was forged.');
  if (head.seq !== head.count)
    return invalid(`seq ${head.seq} differs from count ${head.count}; the head was signed over an inconsistent state.`);
  return { status: 'ok', head };
}
