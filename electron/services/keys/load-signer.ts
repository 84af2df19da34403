import { promises as fs } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { TokenOpsError } from '../../../shared/errors';
import type { Signer } from '../../../shared/signing';
import type { KeyProtector } from './key-protector';
import { createKeyFileExclusive, exists, keyPaths, readKeyFile } from './key-file';
import { fingerprintOf, keyIdOf } from './key-id';

export type LoadedSigner = Signer & { fingerprint: string; created: boolean };

/**
 * The home's Ed25519 signing key, created on first use.
 * - `keys/signing-key.pem`: PKCS#8 PEM, mode 0600 (dir 0700), refused if group/other can read it.
 * - `keys/signing-key.enc`: the same PEM wrapped by `opts.protect` (Electron safeStorage), used
 *   instead when a protector is given and available at creation time.
 * An existing key is never migrated or replaced; the private key stays inside this object.
 */
export async function loadOrCreateSigner(home: string, opts: { protect?: KeyProtector } = {}): Promise<LoadedSigner> {
  const paths = keyPaths(home);
  await fs.mkdir(home, { recursive: true });
  await fs.mkdir(paths.dir, { recursive: true, mode: 0o700 }); // mode applies only when created
  const [hasPem, hasEnc] = await Promise.all([exists(paths.pem), exists(paths.enc)]);

  if (hasPem && hasEnc) {
    throw new TokenOpsError(
      'conflict',
      `Two signing keys found in ${paths.dir} (signing-key.pem and signing-key.enc). A home has one key: move away the one you do not use.`,
    );
  }
  if (hasEnc)
    return toSigner(parsePrivateKey(unwrap(await readKeyFile(paths.enc), paths.enc, opts.protect), paths.enc), false);
  if (hasPem) return toSigner(parsePrivateKey(await readKeyFile(paths.pem), paths.pem), false);

  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = Buffer.from(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 'utf8');
  const protect = opts.protect?.available() ? opts.protect : undefined;
  const target = protect ? paths.enc : paths.pem;
  const created = await createKeyFileExclusive(target, protect ? protect.encrypt(pem) : pem);
  // Another process created the key first: use theirs so the home keeps a single identity.
  if (!created) return loadOrCreateSigner(home, opts);
  return toSigner(privateKey, true);
}

function unwrap(data: Buffer, file: string, protect: KeyProtector | undefined): Buffer {
  if (!protect) {
    throw new TokenOpsError(
      'input_invalid',
      `Signing key ${file} is encrypted with the desktop app's OS keychain, which this process cannot use. Sign from the desktop app, or use a different --home for the command line.`,
    );
  }
  if (!protect.available()) {
    throw new TokenOpsError(
      'input_invalid',
      `Signing key ${file} is encrypted with the OS keychain, but the keychain is not available right now. Unlock your keychain / log in to the desktop session and try again.`,
    );
  }
  try {
    return protect.decrypt(data);
  } catch (e) {
    throw new TokenOpsError(
      'corrupt_store',
      `Signing key ${file} could not be decrypted with the OS keychain (${(e as Error).message}). It may belong to another user account or machine.`,
    );
  }
}

function parsePrivateKey(pem: Buffer, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new TokenOpsError(
      'corrupt_store',
      `Signing key ${file} is not a readable private key (${(e as Error).message}). Restore it from a backup; deleting it creates a new key with a different identity.`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TokenOpsError(
      'corrupt_store',
      `Signing key ${file} is a ${key.asymmetricKeyType} key; TokenOps signs with Ed25519 only.`,
    );
  }
  return key;
}

function toSigner(privateKey: KeyObject, created: boolean): LoadedSigner {
  const publicKeyPem = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }) as string;
  return {
    keyId: keyIdOf(publicKeyPem),
    fingerprint: fingerprintOf(publicKeyPem),
    publicKeyPem,
    created,
    sign: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)),
  };
}
