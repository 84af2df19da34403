import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { createCipheriv, createDecipheriv, createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import {
  fingerprintOf,
  keyIdOf,
  loadOrCreateSigner,
  verifySignature,
  type KeyProtector,
} from '../../electron/services/keys';
import { TokenOpsError } from '../../shared/errors';

let tmp: string;
const home = () => fs.mkdtemp(path.join(tmp, 'home-'));
const modeOf = async (p: string) => (await fs.stat(p)).mode & 0o777;

/** A real AES-256-GCM protector standing in for Electron safeStorage (same interface, real crypto). */
function aesProtector(key = randomBytes(32), available = true): KeyProtector & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    available: () => available,
    encrypt(buf) {
      calls.push('encrypt');
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(buf), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(buf) {
      calls.push('decrypt');
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]);
    },
  };
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-keys-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('loadOrCreateSigner', () => {
  it('creates an Ed25519 key at keys/signing-key.pem with mode 0600 in a 0700 folder, then reuses it', async () => {
    const h = await home();
    const first = await loadOrCreateSigner(h);
    expect(first.created).toBe(true);
    const file = path.join(h, 'keys', 'signing-key.pem');
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(path.join(h, 'keys'))).toBe(0o700);
    expect((await fs.readFile(file, 'utf8')).startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect((await fs.readdir(path.join(h, 'keys'))).sort()).toEqual(['signing-key.pem']); // no temp files left

    const second = await loadOrCreateSigner(h);
    expect(second.created).toBe(false);
    expect(second.keyId).toBe(first.keyId);
    expect(second.publicKeyPem).toBe(first.publicKeyPem);
  });

  it('derives keyId and fingerprint from the raw 32-byte public key', async () => {
    const s = await loadOrCreateSigner(await home());
    const raw = (createPublicKey(s.publicKeyPem).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32);
    const digest = createHash('sha256').update(raw).digest();
    expect(s.keyId).toBe('ed25519:' + digest.toString('hex'));
    expect(s.fingerprint).toBe('SHA256:' + digest.toString('base64').replace(/=+$/, ''));
    expect(s.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keyIdOf(s.publicKeyPem)).toBe(s.keyId);
    expect(fingerprintOf(s.publicKeyPem)).toBe(s.fingerprint);
  });

  it('signs with Ed25519: verifiable by node:crypto and by verifySignature, tamper-evident', async () => {
    const s = await loadOrCreateSigner(await home());
    const data = Buffer.from('statement bytes');
    const sig = s.sign(data);
    expect(sig.length).toBe(64);
    expect(verify(null, data, createPublicKey(s.publicKeyPem), sig)).toBe(true);
    expect(verifySignature(s.publicKeyPem, data, sig)).toBe(true);
    expect(verifySignature(s.publicKeyPem, Buffer.from('statement bytez'), sig)).toBe(false);
    expect(verifySignature(s.publicKeyPem, data, new Uint8Array(64))).toBe(false);
    expect(verifySignature('not a pem', data, sig)).toBe(false);
  });

  it('refuses a key file other users can read, telling how to fix it (like ssh)', async () => {
    const h = await home();
    await loadOrCreateSigner(h);
    const file = path.join(h, 'keys', 'signing-key.pem');
    await fs.chmod(file, 0o644);
    const err = await loadOrCreateSigner(h).catch((e) => e);
    expect(err).toBeInstanceOf(TokenOpsError);
    expect(err.code).toBe('input_invalid');
    expect(err.message).toContain('0644');
    expect(err.message).toContain(`chmod 600 '${file}'`);
    await fs.chmod(file, 0o640); // group-readable is refused too
    await expect(loadOrCreateSigner(h)).rejects.toThrow(/chmod 600/);
    await fs.chmod(file, 0o600);
    expect((await loadOrCreateSigner(h)).created).toBe(false);
  });

  it('refuses a corrupt key file instead of silently making a new identity', async () => {
    const h = await home();
    await fs.mkdir(path.join(h, 'keys'), { mode: 0o700 });
    await fs.writeFile(path.join(h, 'keys', 'signing-key.pem'), 'garbage', { mode: 0o600 });
    await expect(loadOrCreateSigner(h)).rejects.toMatchObject({ code: 'corrupt_store' });
  });

  it('gives one identity to concurrent first uses', async () => {
    const h = await home();
    const signers = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateSigner(h)));
    expect(new Set(signers.map((s) => s.keyId)).size).toBe(1);
    expect(signers.filter((s) => s.created).length).toBe(1);
    expect(await fs.readdir(path.join(h, 'keys'))).toEqual(['signing-key.pem']);
  });

  describe('with a KeyProtector (safeStorage in the app)', () => {
    it('stores the key encrypted in signing-key.enc when the protector is available', async () => {
      const h = await home();
      const protect = aesProtector();
      const s = await loadOrCreateSigner(h, { protect });
      expect(s.created).toBe(true);
      expect(protect.calls).toEqual(['encrypt']);
      expect(await fs.readdir(path.join(h, 'keys'))).toEqual(['signing-key.enc']);
      const enc = path.join(h, 'keys', 'signing-key.enc');
      expect(await modeOf(enc)).toBe(0o600);
      expect((await fs.readFile(enc)).includes(Buffer.from('PRIVATE KEY'))).toBe(false);

      const again = await loadOrCreateSigner(h, { protect });
      expect(again.created).toBe(false);
      expect(again.keyId).toBe(s.keyId);
      expect(protect.calls).toEqual(['encrypt', 'decrypt']);
      expect(verifySignature(s.publicKeyPem, Buffer.from('x'), again.sign(Buffer.from('x')))).toBe(true);
    });

    it('explains when an encrypted key cannot be opened', async () => {
      const h = await home();
      const key = randomBytes(32);
      await loadOrCreateSigner(h, { protect: aesProtector(key) });
      await expect(loadOrCreateSigner(h)).rejects.toThrow(/encrypted with the desktop app's OS keychain/);
      await expect(loadOrCreateSigner(h, { protect: aesProtector(key, false) })).rejects.toThrow(
        /keychain is not available/,
      );
      await expect(loadOrCreateSigner(h, { protect: aesProtector(randomBytes(32)) })).rejects.toMatchObject({
        code: 'corrupt_store',
      });
    });

    it('falls back to a 0600 PEM when the protector is unavailable', async () => {
      const h = await home();
      const protect = aesProtector(undefined, false);
      const s = await loadOrCreateSigner(h, { protect });
      expect(s.created).toBe(true);
      expect(protect.calls).toEqual([]);
      expect(await fs.readdir(path.join(h, 'keys'))).toEqual(['signing-key.pem']);
    });

    it('refuses a home holding both a plain and an encrypted key', async () => {
      const h = await home();
      await loadOrCreateSigner(h);
      await fs.writeFile(path.join(h, 'keys', 'signing-key.enc'), 'x', { mode: 0o600 });
      await expect(loadOrCreateSigner(h, { protect: aesProtector() })).rejects.toMatchObject({ code: 'conflict' });
    });
  });
});
