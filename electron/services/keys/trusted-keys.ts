import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TokenOpsError } from '../../../shared/errors';
import { durableWriteFile } from '../fs/durable-write';
import { fingerprintOf, keyIdOf } from './key-id';

/** One trusted signer: a public key the operator chose to accept bundles from. */
export interface TrustedKey {
  name: string;
  fingerprint: string;
  key_id: string;
  public_key_pem: string;
  added_at: string;
}

/** `<home>/keys/trusted-keys.json`, mode 0600, written durably. The home's own key is always trusted besides. */
function trustedKeysPath(home: string): string {
  return path.join(home, 'keys', 'trusted-keys.json');
}

export async function listTrustedKeys(home: string): Promise<TrustedKey[]> {
  const file = trustedKeysPath(home);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TokenOpsError(
      'corrupt_store',
      `${file} is not valid JSON (${(e as Error).message}). Fix or remove it; it lists the signers you trust.`,
    );
  }
  const keys = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new TokenOpsError('corrupt_store', `${file} has no "keys" list.`);
  return keys as TrustedKey[];
}

async function save(home: string, keys: TrustedKey[]): Promise<void> {
  const file = trustedKeysPath(home);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await durableWriteFile(file, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
}

export async function addTrustedKey(
  home: string,
  publicKeyPem: string,
  name: string,
  now: string,
): Promise<TrustedKey> {
  if (!name.trim()) throw new TokenOpsError('usage', 'trust add needs --name NAME');
  const fingerprint = fingerprintOf(publicKeyPem);
  const key: TrustedKey = {
    name: name.trim(),
    fingerprint,
    key_id: keyIdOf(publicKeyPem),
    public_key_pem: publicKeyPem,
    added_at: now,
  };
  const keys = await listTrustedKeys(home);
  if (keys.some((k) => k.fingerprint === fingerprint))
    throw new TokenOpsError('conflict', `Key ${fingerprint} is already trusted.`);
  if (keys.some((k) => k.name === key.name))
    throw new TokenOpsError('conflict', `A trusted key is already named "${key.name}"; pick another --name.`);
  await save(home, [...keys, key]);
  return key;
}

/** Removes by fingerprint, key id or name. */
export async function removeTrustedKey(home: string, ref: string): Promise<TrustedKey> {
  const keys = await listTrustedKeys(home);
  const hit = keys.find((k) => k.fingerprint === ref || k.key_id === ref || k.name === ref);
  if (!hit)
    throw new TokenOpsError('not_found', `No trusted key matches "${ref}". Run \`tokenops trust list\` to see them.`);
  await save(
    home,
    keys.filter((k) => k !== hit),
  );
  return hit;
}
