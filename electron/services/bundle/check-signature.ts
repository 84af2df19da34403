import { fingerprintOf, keyIdOf } from '../keys/key-id';
import { verifySignature } from '../keys/verify-signature';
import { IN_TOTO_PAYLOAD_TYPE, PUBLIC_KEY_FILE, SIGNATURE_FILE } from './bag-layout';
import { decodeDsseBase64, pae } from './dsse';
import type { CheckOutcome } from './check-result';

export interface SignatureOutcome extends CheckOutcome {
  keyId?: string;
  fingerprint?: string;
  /** The signed statement bytes, once the signature verified. */
  body?: Buffer;
  /** Set once the signature verified: whether the signer is one of trustedKeyIds (undefined when none given). */
  trusted?: boolean;
  /** Set once the signature verified: the bundled key, so an operator can choose to trust this signer. */
  publicKeyPem?: string;
}

/**
 * The DSSE envelope must verify (PAE over the in-toto statement) with the public key shipped in
 * the bundle. That proves integrity, not identity: pass trustedKeyIds to require a known signer.
 */
export function checkSignature(tags: Map<string, Buffer>, trustedKeyIds?: string[]): SignatureOutcome {
  const envText = tags.get(SIGNATURE_FILE)?.toString('utf8');
  if (envText === undefined) return { ok: false, message: `${SIGNATURE_FILE} is missing: the bundle is not signed.` };
  let env: unknown;
  try {
    env = JSON.parse(envText);
  } catch (e) {
    return { ok: false, message: `${SIGNATURE_FILE} is not valid JSON (${(e as Error).message}).` };
  }
  const e = env as { payloadType?: unknown; payload?: unknown; signatures?: unknown };
  const sigs = Array.isArray(e?.signatures) ? (e.signatures as Array<{ keyid?: unknown; sig?: unknown }>) : undefined;
  if (
    typeof e?.payloadType !== 'string' ||
    typeof e.payload !== 'string' ||
    !sigs ||
    sigs.length === 0 ||
    sigs.some((s) => typeof s?.sig !== 'string')
  ) {
    return {
      ok: false,
      message: `${SIGNATURE_FILE} is not a DSSE envelope (needs payloadType, payload and at least one signature).`,
    };
  }
  if (e.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return {
      ok: false,
      message: `The envelope's payloadType is ${JSON.stringify(e.payloadType)}; expected ${IN_TOTO_PAYLOAD_TYPE}.`,
    };
  const body = decodeDsseBase64(e.payload);
  if (!body) return { ok: false, message: 'The envelope payload is not base64.' };

  const pem = tags.get(PUBLIC_KEY_FILE)?.toString('utf8');
  if (pem === undefined)
    return { ok: false, message: `${PUBLIC_KEY_FILE} is missing: there is no key to check the signature with.` };
  let keyId: string;
  let fingerprint: string;
  try {
    keyId = keyIdOf(pem);
    fingerprint = fingerprintOf(pem);
  } catch (err) {
    return { ok: false, message: `${PUBLIC_KEY_FILE} is unusable: ${(err as Error).message}` };
  }

  const mine = sigs.filter((s) => s.keyid === undefined || s.keyid === '' || s.keyid === keyId);
  if (mine.length === 0)
    return {
      ok: false,
      message: `No signature in the envelope is by the bundled key ${keyId}; the key or the signature was swapped.`,
      keyId,
      fingerprint,
    };
  const message = pae(IN_TOTO_PAYLOAD_TYPE, body);
  const valid = mine.some((s) => {
    const sig = decodeDsseBase64(s.sig as string);
    return sig !== null && verifySignature(pem, message, sig);
  });
  if (!valid)
    return {
      ok: false,
      message: `The signature does not verify with the bundled key ${fingerprint}: the signed statement or the signature was altered.`,
      keyId,
      fingerprint,
    };

  if (trustedKeyIds && !trustedKeyIds.includes(keyId) && !trustedKeyIds.includes(fingerprint)) {
    return {
      ok: false,
      message: `signature valid, but signer ${fingerprint} is not trusted. If you expect this signer, trust its public key: \`tokenops trust add <pem> --name NAME\` (the bundle ships it as ${PUBLIC_KEY_FILE}), or pass \`--key <pem>\` for one check.`,
      keyId,
      fingerprint,
      trusted: false,
      publicKeyPem: pem,
    };
  }
  const trust = trustedKeyIds
    ? 'a trusted key'
    : 'the bundled key (not pinned: pass trusted key ids to require a known signer)';
  return {
    ok: true,
    message: `DSSE signature valid, by ${trust} ${fingerprint}.`,
    keyId,
    fingerprint,
    body,
    publicKeyPem: pem,
    ...(trustedKeyIds ? { trusted: true } : {}),
  };
}
