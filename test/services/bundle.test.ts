import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import {
  writeBundle,
  verifyBundle,
  type BundlePayloadItem,
  type VerifyReport,
  type WriteBundleInput,
} from '../../electron/services/bundle';
import { loadOrCreateSigner, type LoadedSigner } from '../../electron/services/keys';
import { TokenOpsError } from '../../shared/errors';
import {
  flipByteOf,
  makeZip,
  patchDeclaredSize,
  renameLocalHeader,
  rewriteBundle,
  unzipRead,
  unzipTest,
} from '../helpers/hostile-zips';
import { accelerateYazlCrc32 } from '../../electron/services/bundle/fast-crc32';

let tmp: string;
let signer: LoadedSigner;
let otherSigner: LoadedSigner;
let evidenceDir: string;
let good: string; // a valid bundle shared by the tamper tests
const BAG = 'tokenops-run-42';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function exists(p: string) {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

function input(outPath: string, payload: BundlePayloadItem[], extra: Partial<WriteBundleInput> = {}): WriteBundleInput {
  return {
    outPath,
    bagName: BAG,
    bagInfo: { 'External-Identifier': 'run-42' },
    payload,
    predicateType: 'https://tokenops.dev/result-bundle/v1',
    predicate: { run_id: 'run-42' },
    signer,
    ...extra,
  };
}

function checkOf(report: VerifyReport, id: string) {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}

/** Asserts the report failed exactly at `id`, with later checks not run, and returns the reason. */
function failedAt(report: VerifyReport, id: string): string {
  const order = ['zip_structure', 'bag_manifests', 'signature', 'subjects'];
  expect(report.ok).toBe(false);
  expect(report.checks.map((c) => c.id)).toEqual(order);
  const at = order.indexOf(id);
  report.checks.forEach((c, i) => {
    if (i < at) expect(c.ok, `${c.id} should pass: ${c.message}`).toBe(true);
    if (i === at) expect(c.ok, `${c.id} should fail`).toBe(false);
    if (i > at) expect(c.message).toMatch(/not run/i);
  });
  return checkOf(report, id).message;
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-bundle-'));
  signer = await loadOrCreateSigner(path.join(tmp, 'home'));
  otherSigner = await loadOrCreateSigner(path.join(tmp, 'other-home'));
  evidenceDir = path.join(tmp, 'evidence');
  await fs.mkdir(path.join(evidenceDir, 'nested'), { recursive: true });
  await fs.writeFile(path.join(evidenceDir, 'invoice.pdf'), randomBytes(300_000));
  await fs.writeFile(path.join(evidenceDir, 'nested', 'receipt 100%.json'), JSON.stringify({ receipt_id: 'r-1' }));
  await fs.writeFile(path.join(evidenceDir, 'empty.txt'), '');
  good = path.join(tmp, 'good.zip');
  await writeBundle(
    input(good, [
      { path: 'files/invoice.pdf', source: { kind: 'file', path: path.join(evidenceDir, 'invoice.pdf') } },
      {
        path: 'result-package.json',
        source: { kind: 'bytes', data: Buffer.from('{"package_type":"tokenops_result_package"}') },
      },
    ]),
  );
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('writeBundle + verifyBundle round trip', () => {
  it('writes a bag any zip tool and BagIt reader accepts, and verifies all four checks', async () => {
    const out = path.join(tmp, 'round', 'bundle.zip');
    const progress: Array<{ done: number; total: number }> = [];
    const invoice = await fs.readFile(path.join(evidenceDir, 'invoice.pdf'));
    const result = await writeBundle(
      input(
        out,
        [
          {
            path: 'files/invoice.pdf',
            source: {
              kind: 'file',
              path: path.join(evidenceDir, 'invoice.pdf'),
              expectedSha256: sha256(invoice),
              expectedSize: invoice.length,
            },
          },
          {
            path: 'files/nested/receipt 100%.json',
            source: { kind: 'file', path: path.join(evidenceDir, 'nested', 'receipt 100%.json') },
          },
          { path: 'files/empty.txt', source: { kind: 'file', path: path.join(evidenceDir, 'empty.txt') } },
          { path: 'files/résumé.txt', source: { kind: 'bytes', data: Buffer.from('unicode name') } },
          {
            path: 'result-package.json',
            source: { kind: 'bytes', data: Buffer.from('{"evidence_status":"sufficient"}') },
          },
        ],
        { onProgress: (p) => progress.push({ done: p.done, total: p.total }) },
      ),
    );

    // Real tools accept the archive.
    const t = unzipTest(out);
    expect(t.code, t.out).toBe(0);
    const listing = execFileSync('zipinfo', ['-1', out], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual([
      `${BAG}/bagit.txt`,
      `${BAG}/data/files/invoice.pdf`,
      `${BAG}/data/files/nested/receipt 100%.json`,
      `${BAG}/data/files/empty.txt`,
      `${BAG}/data/files/résumé.txt`,
      `${BAG}/data/result-package.json`,
      `${BAG}/manifest-sha256.txt`,
      `${BAG}/bag-info.txt`,
      `${BAG}/tokenops/signature.dsse.json`,
      `${BAG}/tokenops/signer-public-key.pem`,
      `${BAG}/tagmanifest-sha256.txt`,
    ]);
    expect(execFileSync('zipinfo', [out], { encoding: 'utf8' })).toMatch(/stor/); // STORE, not deflate
    expect(execFileSync('zipinfo', [out], { encoding: 'utf8' })).not.toMatch(/defN|defX/);

    // The result describes the file on disk, hashed while writing.
    const zipBytes = await fs.readFile(out);
    expect(result.sha256).toBe(sha256(zipBytes));
    expect(result.bytes).toBe(zipBytes.length);
    expect(result.payloadOxum).toBe(
      `${invoice.length + '{"receipt_id":"r-1"}'.length + 0 + 'unicode name'.length + '{"evidence_status":"sufficient"}'.length}.5`,
    );
    expect(result.subjects.map((s) => s.name)).toEqual([
      'data/files/invoice.pdf',
      'data/files/nested/receipt 100%.json',
      'data/files/empty.txt',
      'data/files/résumé.txt',
      'data/result-package.json',
    ]);
    expect(result.subjects[0].digest.sha256).toBe(sha256(invoice));
    expect(result.signerKeyId).toBe(signer.keyId);
    expect(result.signerFingerprint).toBe(signer.fingerprint);
    expect(await exists(out + '.partial')).toBe(false);

    // Progress counts payload bytes up to the total.
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({ done: progress[0].total, total: progress[0].total });
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);

    // BagIt content, read with unzip.
    expect(unzipRead(out, `${BAG}/bagit.txt`).toString()).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    const manifest = unzipRead(out, `${BAG}/manifest-sha256.txt`).toString();
    expect(manifest).toContain(`${sha256(invoice)}  data/files/invoice.pdf\n`);
    expect(manifest).toContain('  data/files/nested/receipt 100%25.json\n'); // RFC 8493 percent-encoding
    const bagInfo = unzipRead(out, `${BAG}/bag-info.txt`).toString();
    expect(bagInfo).toMatch(/^Bagging-Date: \d{4}-\d{2}-\d{2}$/m);
    expect(bagInfo).toContain(`Payload-Oxum: ${result.payloadOxum}\n`);
    expect(bagInfo).toContain('External-Identifier: run-42\n');
    expect(bagInfo).toMatch(/^Bag-Software-Agent: TokenOps/m);
    const tagmanifest = unzipRead(out, `${BAG}/tagmanifest-sha256.txt`).toString();
    for (const tag of [
      'bagit.txt',
      'bag-info.txt',
      'manifest-sha256.txt',
      'tokenops/signature.dsse.json',
      'tokenops/signer-public-key.pem',
    ]) {
      expect(tagmanifest).toContain(`${sha256(unzipRead(out, `${BAG}/${tag}`))}  ${tag}\n`);
    }

    // The envelope verifies with nothing but node:crypto.
    const env = JSON.parse(unzipRead(out, `${BAG}/tokenops/signature.dsse.json`).toString());
    const pem = unzipRead(out, `${BAG}/tokenops/signer-public-key.pem`).toString();
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    const body = Buffer.from(env.payload, 'base64');
    const pae = Buffer.concat([
      Buffer.from(`DSSEv1 ${Buffer.byteLength(env.payloadType)} ${env.payloadType} ${body.length} `),
      body,
    ]);
    expect(verify(null, pae, createPublicKey(pem), Buffer.from(env.signatures[0].sig, 'base64'))).toBe(true);
    const rawKey = (createPublicKey(pem).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32);
    expect(env.signatures[0].keyid).toBe('ed25519:' + sha256(rawKey));
    const statement = JSON.parse(body.toString());
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://tokenops.dev/result-bundle/v1');
    expect(statement.predicate).toEqual({ run_id: 'run-42' });
    // The payload, and bag-info.txt (it names the run; the tag manifest that lists it is unsigned).
    const signedInfo = unzipRead(out, `${BAG}/bag-info.txt`);
    expect(statement.subject).toEqual([
      ...result.subjects,
      { name: 'bag-info.txt', digest: { sha256: sha256(signedInfo) } },
    ]);

    // An independent reader (jszip) opens it too.
    const jz = await JSZip.loadAsync(zipBytes);
    expect(await jz.file(`${BAG}/bagit.txt`)!.async('string')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );

    const report = await verifyBundle(out, { trustedKeyIds: [signer.keyId] });
    expect(report.checks.map((c) => [c.id, c.ok])).toEqual([
      ['zip_structure', true],
      ['bag_manifests', true],
      ['signature', true],
      ['subjects', true],
    ]);
    expect(report.ok).toBe(true);
    expect(report.bagName).toBe(BAG);
    expect(report.payloadFiles).toBe(5);
    expect(report.signerKeyId).toBe(signer.keyId);
    expect(report.signerFingerprint).toBe(signer.fingerprint);
    expect((report.statement as { subject: unknown }).subject).toEqual(statement.subject);
  });

  it('has manifests that coreutils `sha256sum -c` accepts after a real unzip', async () => {
    const dir = await fs.mkdtemp(path.join(tmp, 'extract-'));
    execFileSync('unzip', ['-q', good, '-d', dir]);
    const bag = path.join(dir, BAG);
    expect(
      execFileSync('sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], { cwd: bag, encoding: 'utf8' }),
    ).toMatch(/data\/files\/invoice\.pdf: OK/);
    const tags = execFileSync('sha256sum', ['--strict', '-c', 'tagmanifest-sha256.txt'], {
      cwd: bag,
      encoding: 'utf8',
    });
    expect(tags.trim().split('\n')).toHaveLength(5);
    expect(tags).not.toMatch(/FAILED/);
  });

  it('reports verification progress in bytes', async () => {
    const seen: number[] = [];
    const report = await verifyBundle(good, { onProgress: (p) => seen.push(p.done) });
    expect(report.ok).toBe(true);
    expect(seen.at(-1)).toBeGreaterThan(300_000);
  });

  it('replaces an existing bundle atomically and leaves no .partial', async () => {
    const out = path.join(tmp, 'replace.zip');
    await fs.writeFile(out, 'old');
    await writeBundle(input(out, [{ path: 'a.txt', source: { kind: 'bytes', data: Buffer.from('a') } }]));
    expect((await verifyBundle(out)).ok).toBe(true);
    expect(await exists(out + '.partial')).toBe(false);
  });
});

describe('many entries', () => {
  it('keeps every entry, in order, past the writer’s batching of finished entries (1,500 files)', async () => {
    const out = path.join(tmp, 'many.zip');
    const payload: BundlePayloadItem[] = Array.from({ length: 1500 }, (_, i) => ({
      path: `e/${i}.txt`,
      source: { kind: 'bytes', data: Buffer.from(`entry ${i}`) },
    }));
    await writeBundle(input(out, payload));
    const t = unzipTest(out);
    expect(t.code, t.out.slice(-500)).toBe(0);
    const names = execFileSync('zipinfo', ['-1', out], { encoding: 'utf8', maxBuffer: 1 << 24 })
      .trim()
      .split('\n');
    expect(names.length).toBe(1506);
    expect(names.slice(1, 1501)).toEqual(payload.map((p) => `${BAG}/data/${p.path}`));
    const report = await verifyBundle(out);
    expect(report.ok).toBe(true);
    expect(report.payloadFiles).toBe(1500);
  });

  it('uses zlib.crc32 for yazl’s CRCs (checked above by unzip -t)', () => {
    expect(accelerateYazlCrc32()).toBe(true);
  });

  // ~15 s of CPU: opt in with TOKENOPS_SLOW_TESTS=1 (bench/bundle.bench.ts --zip64-entries runs it too).
  it.runIf(process.env.TOKENOPS_SLOW_TESTS === '1')(
    'writes a valid ZIP64 archive past 65,535 entries',
    { timeout: 300_000 },
    async () => {
      const out = path.join(tmp, 'zip64.zip');
      const payload: BundlePayloadItem[] = Array.from({ length: 70_000 }, (_, i) => ({
        path: `e/${Math.floor(i / 1000)}/${i}.txt`,
        source: { kind: 'bytes', data: Buffer.from(`${i}`) },
      }));
      await writeBundle(input(out, payload));
      expect(execFileSync('zipinfo', ['-t', out], { encoding: 'utf8' })).toMatch(/^70006 files/);
      expect(unzipTest(out).code).toBe(0);
      const tail = (await fs.readFile(out)).subarray(-200);
      expect(tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // ZIP64 end of central directory record
      expect((await verifyBundle(out)).ok).toBe(true);
    },
  );
});

describe('writeBundle refuses bad input with an actionable error', () => {
  const out = () => path.join(tmp, `refused-${randomBytes(4).toString('hex')}.zip`);

  it('a file changed since it was added to the run (digest)', async () => {
    const o = out();
    const err = await writeBundle(
      input(o, [
        {
          path: 'a.pdf',
          source: { kind: 'file', path: path.join(evidenceDir, 'invoice.pdf'), expectedSha256: '0'.repeat(64) },
        },
      ]),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(TokenOpsError);
    expect(err.message).toMatch(/changed since it was added to the run/);
    expect(await exists(o)).toBe(false);
    expect(await exists(o + '.partial')).toBe(false);
  });

  it('a file changed since it was added to the run (size)', async () => {
    const err = await writeBundle(
      input(out(), [
        { path: 'a.pdf', source: { kind: 'file', path: path.join(evidenceDir, 'invoice.pdf'), expectedSize: 5 } },
      ]),
    ).catch((e) => e);
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/changed since it was added to the run: it is now 300000 bytes, not 5/);
  });

  it('takes a copy in an intake pack as its range, and refuses one whose bytes changed or whose pack was cut short', async () => {
    const pack = path.join(tmp, `intake-${randomBytes(4).toString('hex')}.pack`);
    const first = Buffer.from('{"first":true}');
    const second = Buffer.from('{"second":"copy in the middle"}');
    await fs.writeFile(pack, Buffer.concat([first, second, Buffer.from('{"third":3}')]));
    const sha = createHash('sha256').update(second).digest('hex');
    const packed = (file: string): BundlePayloadItem => ({
      path: 'second.json',
      source: { kind: 'file', path: file, offset: first.length, expectedSize: second.length, expectedSha256: sha },
    });
    const ok = out();
    await writeBundle(input(ok, [packed(pack)]));
    expect(execFileSync('unzip', ['-p', ok, `${BAG}/data/second.json`]).equals(second)).toBe(true);
    expect((await verifyBundle(ok)).ok).toBe(true);

    const edited = Buffer.from(await fs.readFile(pack));
    edited[first.length + 3] ^= 0x20;
    await fs.writeFile(pack, edited);
    const changed = await writeBundle(input(out(), [packed(pack)])).catch((e) => e);
    expect(changed.code).toBe('conflict');
    expect(changed.message).toMatch(/changed since it was added to the run: its SHA-256 is now/);

    await fs.truncate(pack, first.length + 5);
    const short = await writeBundle(input(out(), [packed(pack)])).catch((e) => e);
    expect(short.code).toBe('conflict');
    expect(short.message).toMatch(
      /"second\.json" changed since it was added to the run: the pack .* is now only 19 bytes/,
    );
  });

  it('with selfVerify, a copy taken at its recorded digest but changed since is still named, and nothing is left', async () => {
    const pack = path.join(tmp, `intake-${randomBytes(4).toString('hex')}.pack`);
    const copy = Buffer.from('{"settlement":"0xabc","amount":"1.00"}');
    await fs.writeFile(pack, Buffer.concat([Buffer.from('{"before":1}'), copy]));
    const item: BundlePayloadItem = {
      path: 'files/settlement.json',
      source: { kind: 'file', path: pack, offset: 12, expectedSize: copy.length, expectedSha256: sha256(copy) },
    };
    const failed = (r: VerifyReport) => new TokenOpsError('bundle_invalid', `refused: ${JSON.stringify(r.checks)}`);
    const ok = out();
    const written = await writeBundle(input(ok, [item], { selfVerify: { failed } }));
    expect(written.subjects[0].digest.sha256).toBe(sha256(copy));
    expect((await verifyBundle(ok, { trustedKeyIds: [signer.keyId] })).ok).toBe(true);

    const edited = Buffer.from(await fs.readFile(pack));
    edited[12 + 5] ^= 0x20; // same size, other bytes: only a digest can tell
    await fs.writeFile(pack, edited);
    const o = out();
    const err = await writeBundle(input(o, [item], { selfVerify: { failed } })).catch((e) => e);
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/changed since it was added to the run: its SHA-256 is now [0-9a-f]{64}, not /);
    expect(await exists(o)).toBe(false);
    expect(await exists(o + '.partial')).toBe(false);
  });

  it('a missing evidence file', async () => {
    const err = await writeBundle(
      input(out(), [{ path: 'a.pdf', source: { kind: 'file', path: path.join(tmp, 'nope.pdf') } }]),
    ).catch((e) => e);
    expect(err.code).toBe('not_found');
    expect(err.message).toMatch(/nope\.pdf/);
  });

  it.each([
    ['../escape.txt', /'\.\.' segment/],
    ['/abs.txt', /absolute path/],
    ['a\\b.txt', /backslash/],
    ['C:/x.txt', /drive letter/],
    ['a//b.txt', /empty path segment/],
    ['line\nbreak.txt', /control character/],
  ])('an unsafe payload path %j', async (p, reason) => {
    const err = await writeBundle(input(out(), [{ path: p, source: { kind: 'bytes', data: Buffer.from('x') } }])).catch(
      (e) => e,
    );
    expect(err.code).toBe('input_invalid');
    expect(err.message).toMatch(reason);
  });

  it('payload paths that collide on macOS/Windows', async () => {
    const err = await writeBundle(
      input(out(), [
        { path: 'Report.pdf', source: { kind: 'bytes', data: Buffer.from('1') } },
        { path: 'report.PDF', source: { kind: 'bytes', data: Buffer.from('2') } },
      ]),
    ).catch((e) => e);
    expect(err.message).toMatch(/would be the same file on macOS or Windows/);
  });

  it('an empty payload, or a bag-info field it computes itself', async () => {
    expect((await writeBundle(input(out(), [])).catch((e) => e)).message).toMatch(/Nothing to export/);
    const err = await writeBundle(
      input(out(), [{ path: 'a', source: { kind: 'bytes', data: Buffer.from('1') } }], {
        bagInfo: { 'Payload-Oxum': '1.1' },
      }),
    ).catch((e) => e);
    expect(err.message).toMatch(/computed by the bundle writer/);
  });
});

describe('cancelling an export', () => {
  it('between files: leaves neither the bundle nor a .partial', async () => {
    const o = path.join(tmp, 'cancel-between.zip');
    const cancel = { cancelled: false };
    const payload: BundlePayloadItem[] = Array.from({ length: 20 }, (_, i) => ({
      path: `f${i}.bin`,
      source: { kind: 'bytes', data: randomBytes(10_000) },
    }));
    const err = await writeBundle(
      input(o, payload, { cancel, onProgress: (p) => p.done > 0 && (cancel.cancelled = true) }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(TokenOpsError);
    expect(err.code).toBe('cancelled');
    expect(await exists(o)).toBe(false);
    expect(await exists(o + '.partial')).toBe(false);
  });

  it('in the middle of a large file: stops between 1 MiB chunks', async () => {
    const big = path.join(tmp, 'big-for-cancel.bin');
    await fs.writeFile(big, randomBytes(5 << 20));
    const o = path.join(tmp, 'cancel-mid.zip');
    const cancel = { cancelled: false };
    let maxDone = 0;
    const err = await writeBundle(
      input(o, [{ path: 'big.bin', source: { kind: 'file', path: big } }], {
        cancel,
        onProgress: (p) => {
          maxDone = Math.max(maxDone, p.done);
          if (p.done >= 1 << 20) cancel.cancelled = true;
        },
      }),
    ).catch((e) => e);
    expect(err.code).toBe('cancelled');
    expect(maxDone).toBeLessThan(5 << 20);
    expect(await exists(o)).toBe(false);
    expect(await exists(o + '.partial')).toBe(false);
  });
});

describe('verifyBundle refuses hostile zips at zip_structure, with a readable reason', () => {
  const z = () => path.join(tmp, `hostile-${randomBytes(4).toString('hex')}.zip`);
  const ok = { name: `${BAG}/bagit.txt`, text: 'BagIt-Version: 1.0\n' };

  it.each<[string, Parameters<typeof makeZip>[1], RegExp]>([
    ['a ../ path', [ok, { name: `${BAG}/../../evil.sh`, text: 'x' }], /'\.\.' segment, which would escape the folder/],
    ['an absolute path', [ok, { name: '/etc/cron.d/evil', text: 'x' }], /absolute path/],
    ['a backslash path', [ok, { name: `${BAG}\\..\\evil.txt`, text: 'x' }], /backslash/],
    ['a drive letter', [{ name: 'C:/evil.txt', text: 'x' }], /drive letter/],
    ['a control character', [ok, { name: `${BAG}/data/a\u0007.txt`, text: 'x' }], /control character/],
    [
      'duplicate entries',
      [ok, { name: `${BAG}/data/a.txt`, text: '1' }, { name: `${BAG}/data/a.txt`, text: '2' }],
      /appears twice/,
    ],
    [
      'case-collision duplicates',
      [ok, { name: `${BAG}/data/Invoice.pdf`, text: '1' }, { name: `${BAG}/data/invoice.PDF`, text: '2' }],
      /would be the same file on macOS or Windows/,
    ],
    [
      'Unicode-normalisation duplicates',
      [ok, { name: `${BAG}/data/caf\u00e9.txt`, text: '1' }, { name: `${BAG}/data/cafe\u0301.txt`, text: '2' }],
      /same file on macOS or Windows/,
    ],
    ['a symlink entry', [ok, { name: `${BAG}/data/link`, text: '/etc/passwd', mode: 0o120777 }], /symbolic link/],
    ['a device entry', [ok, { name: `${BAG}/data/dev`, text: '', mode: 0o020666 }], /device, pipe or socket/],
    ['an entry outside the bag folder', [ok, { name: 'other/readme.txt', text: 'x' }], /outside the bag folder/],
    ['a file at the top level', [{ name: 'readme.txt', text: 'x' }], /top level/],
    [
      'a name that is both file and folder',
      [ok, { name: `${BAG}/data/a`, text: '1' }, { name: `${BAG}/data/a/b`, text: '2' }],
      /both a file and a folder/,
    ],
    [
      'a zip bomb (high-ratio deflate)',
      [ok, { name: `${BAG}/data/bomb.bin`, zeros: 50 << 20, deflate: true }],
      /zip bomb/,
    ],
  ])('%s', async (_label, entries, reason) => {
    const file = z();
    makeZip(file, entries);
    const report = await verifyBundle(file);
    expect(failedAt(report, 'zip_structure')).toMatch(reason);
  });

  it('an entry that inflates past its declared size (counted while streaming)', async () => {
    const file = z();
    const name = `${BAG}/data/liar.bin`;
    makeZip(file, [ok, { name, bytes: randomBytes(200_000), deflate: true }]);
    await patchDeclaredSize(file, name, 1000);
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(
      /inflates to more than the 1000 bytes its header declares/,
    );
  });

  it('the same bomb with a lying header is still caught by counting real bytes', async () => {
    const file = z();
    const name = `${BAG}/data/bomb.bin`;
    makeZip(file, [ok, { name, zeros: 50 << 20, deflate: true }]);
    await patchDeclaredSize(file, name, 4096);
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(/inflates to more than the 4096 bytes/);
  });

  it('an entry whose local header names another file than the zip directory', async () => {
    const file = z();
    makeZip(file, [ok, { name: `${BAG}/data/invoice.txt`, text: 'x' }]);
    await renameLocalHeader(file, `${BAG}/data/invoice.txt`, `${BAG}/data/../evil.txt`);
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(/different name in its local header/);
  });

  it('an entry whose Unicode Path field names another file', async () => {
    const file = z();
    makeZip(file, [ok, { name: `${BAG}/data/a.txt`, text: 'x', unicodePath: `${BAG}/data/b.txt` }]);
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(
      /also carries the different name .*Unicode Path/,
    );
  });

  it('an encrypted entry (zip -P)', async () => {
    const dir = path.join(tmp, `enc-${randomBytes(3).toString('hex')}`);
    await fs.mkdir(path.join(dir, BAG), { recursive: true });
    await fs.writeFile(path.join(dir, BAG, 'bagit.txt'), 'BagIt-Version: 1.0\n');
    const file = z();
    execFileSync('zip', ['-q', '-r', '-P', 'secret', file, BAG], { cwd: dir });
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(/encrypted/);
  });

  it('too many entries (small limits override)', async () => {
    const report = await verifyBundle(good, { limits: { maxEntries: 5 } });
    expect(failedAt(report, 'zip_structure')).toMatch(/8 entries; the limit is 5/);
  });

  it('an entry over the single-entry cap (limits override)', async () => {
    const report = await verifyBundle(good, { limits: { maxEntryBytes: 100_000 } });
    expect(failedAt(report, 'zip_structure')).toMatch(/declares 300000 bytes; the single-entry limit is 100000/);
  });

  it('a truncated zip', async () => {
    const file = z();
    const bytes = await fs.readFile(good);
    await fs.writeFile(file, bytes.subarray(0, bytes.length - 200));
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(/truncated/);
  });

  it('a zip cut in half', async () => {
    const file = z();
    const bytes = await fs.readFile(good);
    await fs.writeFile(file, bytes.subarray(0, bytes.length >> 1));
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(/truncated/);
  });

  it('a file that is not a zip', async () => {
    const file = z();
    await fs.writeFile(file, '%PDF-1.7 this is not a zip archive at all\n'.repeat(50));
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(/not a zip archive/);
  });

  it('an empty file', async () => {
    const file = z();
    await fs.writeFile(file, '');
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(/empty \(0 bytes\)/);
  });

  it('a payload byte flipped in place (stale CRC)', async () => {
    const file = z();
    await fs.copyFile(good, file);
    await flipByteOf(file, 'tokenops_result_package');
    expect(failedAt(await verifyBundle(file), 'zip_structure')).toMatch(/CRC-32 does not match/);
  });

  it.runIf(process.platform === 'linux')('closes every file it opens, for good and hostile bundles alike', async () => {
    const bomb = z();
    makeZip(bomb, [ok, { name: `${BAG}/data/bomb.bin`, zeros: 50 << 20, deflate: true }]);
    await patchDeclaredSize(bomb, `${BAG}/data/bomb.bin`, 4096); // aborts mid-stream
    const dup = z();
    makeZip(dup, [ok, { name: `${BAG}/data/a.txt`, text: '1' }, { name: `${BAG}/data/a.txt`, text: '2' }]);
    const junk = z();
    await fs.writeFile(junk, 'not a zip');
    const openFds = async () => (await fs.readdir('/proc/self/fd')).length;
    await verifyBundle(good); // warm up lazy imports
    const before = await openFds();
    for (let i = 0; i < 5; i++) for (const f of [good, bomb, dup, junk]) await verifyBundle(f);
    expect(await openFds()).toBe(before);
  });

  it('throws only for a path that cannot be read', async () => {
    await expect(verifyBundle(path.join(tmp, 'missing.zip'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(verifyBundle(tmp)).rejects.toMatchObject({ code: 'input_invalid' });
  });
});

describe('verifyBundle detects tampering', () => {
  const z = () => path.join(tmp, `tampered-${randomBytes(4).toString('hex')}.zip`);

  it('a payload file changed (zip rewritten with correct CRCs) fails bag_manifests', async () => {
    const file = z();
    rewriteBundle(good, file, {
      put: { 'data/result-package.json': '{"package_type":"tokenops_result_package","evidence_score":100}' },
    });
    expect(unzipTest(file).code).toBe(0); // a perfectly sound zip
    expect(failedAt(await verifyBundle(file), 'bag_manifests')).toMatch(
      /data\/result-package\.json.*does not match manifest-sha256\.txt/,
    );
  });

  it('a changed payload with the manifests redone to match fails subjects', async () => {
    const file = z();
    rewriteBundle(good, file, { put: { 'data/result-package.json': '{"evidence_score":100}' }, rebag: true });
    expect(failedAt(await verifyBundle(file), 'subjects')).toMatch(
      /content differs from what was signed: "data\/result-package\.json"/,
    );
  });

  it('bag-info.txt edited to name another run, with the tag manifest redone, fails subjects', async () => {
    const file = z();
    const info = unzipRead(good, `${BAG}/bag-info.txt`).toString('utf8');
    expect(info).toContain('External-Identifier:');
    rewriteBundle(good, file, {
      put: { 'bag-info.txt': info.replace(/External-Identifier: .*/, 'External-Identifier: run-43') },
      rebag: true,
    });
    expect(failedAt(await verifyBundle(file), 'subjects')).toMatch(/bag-info\.txt differs from what was signed/);
  });

  it('a payload file removed (and re-bagged) fails subjects', async () => {
    const file = z();
    rewriteBundle(good, file, { remove: ['data/files/invoice.pdf'], rebag: true });
    expect(failedAt(await verifyBundle(file), 'subjects')).toMatch(
      /signed files missing from the bundle: "data\/files\/invoice\.pdf"/,
    );
  });

  it('an extra payload file added to data/ and the manifest, but not the subjects, fails subjects', async () => {
    const file = z();
    rewriteBundle(good, file, { put: { 'data/extra.txt': 'smuggled' }, rebag: true });
    expect(failedAt(await verifyBundle(file), 'subjects')).toMatch(/not covered by the signature: "data\/extra\.txt"/);
  });

  it('an extra payload file not in the manifest fails bag_manifests', async () => {
    const file = z();
    rewriteBundle(good, file, { put: { 'data/extra.txt': 'smuggled' } });
    expect(failedAt(await verifyBundle(file), 'bag_manifests')).toMatch(
      /not in manifest-sha256\.txt: "data\/extra\.txt"/,
    );
  });

  it('the signature replaced by another key’s signature fails signature', async () => {
    const env = JSON.parse(unzipRead(good, `${BAG}/tokenops/signature.dsse.json`).toString());
    const body = Buffer.from(env.payload, 'base64');
    const pae = Buffer.concat([Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${body.length} `), body]);
    env.signatures = [{ keyid: signer.keyId, sig: Buffer.from(otherSigner.sign(pae)).toString('base64') }];
    const file = z();
    rewriteBundle(good, file, { put: { 'tokenops/signature.dsse.json': JSON.stringify(env) }, rebag: true });
    expect(failedAt(await verifyBundle(file), 'signature')).toMatch(/does not verify with the bundled key/);
  });

  it('a signature whose bytes were replaced fails signature', async () => {
    const env = JSON.parse(unzipRead(good, `${BAG}/tokenops/signature.dsse.json`).toString());
    env.signatures[0].sig = randomBytes(64).toString('base64');
    const file = z();
    rewriteBundle(good, file, { put: { 'tokenops/signature.dsse.json': JSON.stringify(env) }, rebag: true });
    expect(failedAt(await verifyBundle(file), 'signature')).toMatch(/does not verify/);
  });

  it('a tag file edited without redoing the tag manifest fails bag_manifests', async () => {
    const file = z();
    rewriteBundle(good, file, { put: { 'tokenops/signer-public-key.pem': otherSigner.publicKeyPem } });
    expect(failedAt(await verifyBundle(file), 'bag_manifests')).toMatch(
      /tokenops\/signer-public-key\.pem.*does not match tagmanifest/,
    );
  });

  it('a bundle signed by an untrusted key fails signature when trustedKeyIds is given', async () => {
    const file = z();
    await writeBundle(
      input(file, [{ path: 'a.txt', source: { kind: 'bytes', data: Buffer.from('a') } }], { signer: otherSigner }),
    );
    expect((await verifyBundle(file)).ok).toBe(true); // integrity alone holds
    const msg = failedAt(await verifyBundle(file, { trustedKeyIds: [signer.keyId] }), 'signature');
    expect(msg).toMatch(/signature valid, but signer SHA256:\S+ is not trusted.*tokenops trust add/);
    expect(msg).toContain(otherSigner.fingerprint);
    expect((await verifyBundle(file, { trustedKeyIds: [otherSigner.fingerprint] })).ok).toBe(true);
  });

  it('an attacker re-signing the whole bundle with their own key is caught only by trustedKeyIds', async () => {
    const file = z();
    // Rebuild the bundle's payload, altered, signed by the attacker's key.
    await writeBundle(
      input(
        file,
        [
          { path: 'files/invoice.pdf', source: { kind: 'file', path: path.join(evidenceDir, 'invoice.pdf') } },
          { path: 'result-package.json', source: { kind: 'bytes', data: Buffer.from('{"forged":true}') } },
        ],
        { signer: otherSigner },
      ),
    );
    expect(failedAt(await verifyBundle(file, { trustedKeyIds: [signer.keyId] }), 'signature')).toMatch(
      /signature valid, but signer SHA256:\S+ is not trusted/,
    );
  });
});
