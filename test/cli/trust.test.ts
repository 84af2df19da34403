/**
 * A verifier says who signed and whether that signer is trusted: a bundle signed by another home (an
 * attacker re-signing an edited bundle looks exactly like this) fails verify with exit 1 until its key
 * is trusted, by `trust add` for good or `verify --key` for one check.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE_EVIDENCE, tempDir } from './helpers';

let mine: string;
let theirs: string;
let bundle: string;
let theirPem: string;

beforeAll(async () => {
  assertCliBuilt();
  mine = await tempDir();
  theirs = await tempDir();
  const work = await tempDir();
  bundle = path.join(work, 'theirs.zip');
  const packed = await runCli(['pack', SAMPLE_EVIDENCE, '--out', bundle, '--json'], { home: theirs });
  expect(packed.code, packed.stderr).toBe(0);
  // The signer's public key as anyone holding the bundle can read it.
  const zip = await JSZip.loadAsync(await fs.readFile(bundle));
  const pemEntry = Object.keys(zip.files).find((n) => n.endsWith('tokenops/signer-public-key.pem'))!;
  theirPem = path.join(work, 'their-key.pem');
  await fs.writeFile(theirPem, await zip.file(pemEntry)!.async('string'));
});
afterAll(cleanupTemps);

describe('verify pins the signer', () => {
  it('the home that signed it trusts its own key', async () => {
    const r = await runCli(['verify', bundle, '--json'], { home: theirs });
    expect(r.code).toBe(0);
    expect(r.json.signer_trusted).toBe(true);
  });

  it('another home refuses a valid signature by a key it does not trust, naming the signer and the way to trust it', async () => {
    const r = await runCli(['verify', bundle], { home: mine });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/signature valid, but signer SHA256:\S+ is not trusted/);
    expect(r.stdout + r.stderr).toMatch(/tokenops trust add/);
    const j = await runCli(['verify', bundle, '--json'], { home: mine });
    expect(j.json.ok).toBe(false);
    expect(j.json.signer).toMatch(/^SHA256:/);
    expect(j.json.signer_trusted).toBe(false);
  });

  it('--key trusts a key for one check only', async () => {
    expect((await runCli(['verify', bundle, '--key', theirPem], { home: mine })).code).toBe(0);
    expect((await runCli(['verify', bundle], { home: mine })).code).toBe(1);
  });

  it('trust add, list and remove manage the keyring', async () => {
    const added = await runCli(['trust', 'add', theirPem, '--name', 'partner agent', '--json'], { home: mine });
    expect(added.code, added.stderr).toBe(0);
    expect((await runCli(['verify', bundle], { home: mine })).code).toBe(0);
    const list = await runCli(['trust', 'list', '--json'], { home: mine });
    expect(list.json.keys.map((k: any) => k.name)).toEqual(['partner agent']);
    expect((await runCli(['trust', 'add', theirPem, '--name', 'again'], { home: mine })).code).not.toBe(0);
    expect((await runCli(['trust', 'remove', 'partner agent'], { home: mine })).code).toBe(0);
    expect((await runCli(['verify', bundle], { home: mine })).code).toBe(1);
  });

  it('refuses a key file that is not a PEM public key', async () => {
    const r = await runCli(
      ['trust', 'add', path.join(SAMPLE_EVIDENCE, 'tokenops-demo-work-order.json'), '--name', 'x'],
      { home: mine },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a PEM public key/);
  });
});
