import { verify } from 'node:crypto';
import { publicKeyObject } from './key-id';

/**
 * True only for a valid Ed25519 signature. Never throws: a malformed key or signature is
 * simply "does not verify". Non-Ed25519 keys are refused so a bundle cannot pick its algorithm.
 */
export function verifySignature(publicKeyPem: string, data: Uint8Array, sig: Uint8Array): boolean {
  try {
    return verify(null, data, publicKeyObject(publicKeyPem), sig);
  } catch {
    return false;
  }
}
