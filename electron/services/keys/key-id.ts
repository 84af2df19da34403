import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { TokenOpsError } from '../../../shared/errors';

/**
 * Key identity, computed from the raw 32-byte Ed25519 public key (not from the PEM text,
 * whose line breaks and headers may vary):
 * - keyId       `ed25519:<hex sha256(raw)>`  — machine form, stored in DSSE `keyid`.
 * - fingerprint `SHA256:<base64 sha256(raw), unpadded>` — the same digest in the short form
 *   ssh prints. It is NOT comparable with `ssh-keygen -l`, which hashes the ssh wire blob.
 */

export function publicKeyObject(publicKeyPem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch (e) {
    throw new TokenOpsError(
      'input_invalid',
      `Not a readable public key (expected an SPKI PEM): ${(e as Error).message}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TokenOpsError(
      'input_invalid',
      `Public key is ${key.asymmetricKeyType ?? 'of an unknown type'}; TokenOps signatures use Ed25519 keys only.`,
    );
  }
  return key;
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new TokenOpsError('input_invalid', 'Ed25519 public key has no key material.');
  return Buffer.from(jwk.x, 'base64url');
}

function digestOf(key: KeyObject): Buffer {
  return createHash('sha256').update(rawPublicKey(key)).digest();
}

export function keyIdOf(publicKeyPem: string): string {
  return keyIdOfKey(publicKeyObject(publicKeyPem));
}

/** The key id of an Ed25519 public key already parsed (the ledger head checks the key type itself). */
export function keyIdOfKey(key: KeyObject): string {
  return 'ed25519:' + digestOf(key).toString('hex');
}

export function fingerprintOf(publicKeyPem: string): string {
  return 'SHA256:' + digestOf(publicKeyObject(publicKeyPem)).toString('base64').replace(/=+$/, '');
}
