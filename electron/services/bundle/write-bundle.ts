import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import yazl from 'yazl';
import { TokenOpsError } from '../../../shared/errors';
import { fingerprintOf, keyIdOf } from '../keys/key-id';
import { verifySignature } from '../keys/verify-signature';
import type { BundleSubject, WriteBundleInput, WriteBundleResult } from './bundle-types';
import { BAGIT_TXT, BAGIT_TXT_CONTENT, IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_V1 } from './bag-layout';
import { payloadOxum } from './bag-text';
import { validateBagInfo } from './bag-info';
import { buildTagFiles, signedBagInfo } from './bag-tags';
import { pae, signStatement, type InTotoStatement } from './dsse';
import { HashTap, cancelledError } from './hash-tap';
import { PartialOutput } from './partial-output';
import { accelerateYazlCrc32 } from './fast-crc32';
import { YazlPumpTrimmer } from './yazl-pump';
import { readRegularFileSync } from '../fs/small-file';
import { planPayload, sourceError, type PlannedItem } from './payload-plan';
import { verifyBundle } from './verify-bundle';

export type { BundlePayloadItem, WriteBundleInput, WriteBundleResult } from './bundle-types';

const CHUNK = 1 << 20;
/** Payload files up to this size are read in one synchronous read (the planned size; a grown file is caught by the tap). */
const SMALL_SOURCE_BYTES = 1 << 20;

/**
 * Writes a signed result bundle: one zip (STORE, ZIP64 when needed) holding one BagIt 1.0 bag.
 * Each payload source is read once, in 1 MiB chunks, straight into both its SHA-256 and its zip
 * entry; manifests and the DSSE signature follow the payload. Sources are opened one at a time.
 */
export async function writeBundle(input: WriteBundleInput): Promise<WriteBundleResult> {
  const { signer, cancel, onProgress } = input;
  const { items, totalBytes } = await planPayload(input.bagName, input.payload);
  validateBagInfo(input.bagInfo);
  checkSigner(signer);
  if (cancel?.cancelled) throw cancelledError();
  await fs.mkdir(path.dirname(path.resolve(input.outPath)), { recursive: true });

  accelerateYazlCrc32();
  const out = new PartialOutput(input.outPath);
  const zip = new yazl.ZipFile();
  const pump = new YazlPumpTrimmer(zip);
  let current: Readable | undefined;
  let reject!: (e: unknown) => void;
  const failure = new Promise<never>((_, rej) => (reject = rej));
  failure.catch(() => {});
  let failed = false;
  const fail = (e: unknown) => {
    if (failed) return; // the first error is the one to report
    failed = true;
    reject(e);
  };

  try {
    zip.on('error', fail);
    out.start(zip.outputStream as unknown as Readable);
    out.written().catch((e) => fail(outputError(input.outPath, e)));

    const now = new Date();
    const entry = (bagPath: string) => `${input.bagName}/${bagPath}`;
    const opts = { mtime: now, mode: 0o100644, compress: false };
    zip.addBuffer(Buffer.from(BAGIT_TXT_CONTENT), entry(BAGIT_TXT), opts);

    let done = 0;
    const report = (detail: string) =>
      onProgress?.({ phase: 'export', done, total: totalBytes, unit: 'bytes', detail });
    report('start');
    const digests: string[] = new Array(items.length);
    let allHashed!: () => void;
    const payloadHashed = new Promise<void>((res) => (allHashed = res));

    items.forEach((p, i) => {
      // yazl calls this when it reaches the entry, so exactly one source is open at a time.
      zip.addReadStreamLazy(entry(p.bagPath), opts, (cb) => {
        if (cancel?.cancelled) return fail(cancelledError());
        pump.trim();
        const tap = new HashTap({
          size: p.size,
          expectedSha256: p.item.source.kind === 'file' ? p.item.source.expectedSha256 : undefined,
          readBackLater: input.selfVerify !== undefined,
          cancel,
          onBytes: (n) => {
            done += n;
            report(p.item.path);
          },
          changed: (detail) => changedError(p, detail),
        });
        const src = openSource(p);
        current = src;
        src.on('error', (e) => fail(sourceError(p.item, e)));
        tap.on('error', fail);
        tap.on('finish', () => {
          digests[i] = tap.sha256;
          if (i === items.length - 1) allHashed();
        });
        src.pipe(tap);
        cb(null, tap);
      });
    });
    await Promise.race([payloadHashed, failure]);
    pump.restore();

    const subjects: BundleSubject[] = items.map((p, i) => ({ name: p.bagPath, digest: { sha256: digests[i] } }));
    const oxum = payloadOxum(totalBytes, items.length);
    const bagInfo = signedBagInfo(input.bagInfo, oxum, now);
    const statement: InTotoStatement = {
      _type: IN_TOTO_STATEMENT_V1,
      subject: [...subjects, bagInfo.subject],
      predicateType: input.predicateType,
      predicate: input.predicate,
    };
    const { envelope, body, sig } = sign(statement, signer);
    if (!verifySignature(signer.publicKeyPem, pae(IN_TOTO_PAYLOAD_TYPE, body), sig)) {
      throw new TokenOpsError(
        'input_invalid',
        `The signing key ${signer.keyId} produced a signature that does not verify with its own public key; the key store is inconsistent.`,
      );
    }

    for (const [name, data] of buildTagFiles({
      subjects,
      bagInfoText: bagInfo.text,
      envelope,
      publicKeyPem: signer.publicKeyPem,
    })) {
      zip.addBuffer(data, entry(name), opts);
    }
    zip.end();

    await Promise.race([out.written(), failure]);
    if (cancel?.cancelled) throw cancelledError();
    const { selfVerify } = input;
    const written = await out.commit(selfVerify && ((partial) => readBack(partial, items, signer, selfVerify)));
    onProgress?.({ phase: 'export', done: totalBytes, total: totalBytes, unit: 'bytes', detail: 'done' });
    return {
      path: input.outPath,
      sha256: written.sha256,
      bytes: written.bytes,
      payloadOxum: oxum,
      subjects,
      signerKeyId: signer.keyId,
      signerFingerprint: fingerprintOf(signer.publicKeyPem),
    };
  } catch (e) {
    current?.destroy();
    await out.abort();
    throw e instanceof TokenOpsError ? e : outputError(input.outPath, e);
  }
}

/**
 * The self-verify: the finished file must pass every check with only this signer trusted. Sources
 * were not rehashed on the way in, so when it fails, the likely cause (a copy changed since it was
 * added) is looked for first, to name the file as the tap would have.
 */
async function readBack(
  partialPath: string,
  items: PlannedItem[],
  signer: WriteBundleInput['signer'],
  selfVerify: NonNullable<WriteBundleInput['selfVerify']>,
): Promise<void> {
  const report = await verifyBundle(partialPath, { trustedKeyIds: [signer.keyId] });
  if (report.ok && report.signerTrusted === true) return;
  for (const p of items) {
    const src = p.item.source;
    if (src.kind !== 'file' || !src.expectedSha256) continue;
    const now = await sha256Of(openSource(p)).catch(() => undefined);
    if (now !== undefined && now !== src.expectedSha256.toLowerCase())
      throw changedError(p, `its SHA-256 is now ${now}, not ${src.expectedSha256.toLowerCase()}`);
  }
  throw selfVerify.failed(report);
}

async function sha256Of(src: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of src) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function openSource(p: PlannedItem): Readable {
  const src = p.item.source;
  // A small file is read whole with synchronous calls when yazl reaches it: a stream's open, reads and
  // close are thread-pool round trips that cost more than the read (fs/small-file.ts).
  // A copy inside an intake pack is its range of the pack.
  if (src.kind === 'file' && p.size <= SMALL_SOURCE_BYTES) {
    const { path, offset } = src;
    // One byte past the plan on a file of its own, so the tap sees one that grew, without reading all of it.
    const range = offset !== undefined ? { offset, length: p.size } : { offset: 0, length: p.size + 1 };
    return new Readable({
      read() {
        this.push(readRegularFileSync(path, range));
        this.push(null);
      },
    });
  }
  if (src.kind === 'file')
    return createReadStream(src.path, {
      highWaterMark: CHUNK,
      ...(src.offset !== undefined ? { start: src.offset, end: src.offset + p.size - 1 } : {}),
    });
  const data = src.data;
  return Readable.from(
    (function* () {
      for (let off = 0; off < data.byteLength; off += CHUNK) {
        yield Buffer.from(data.buffer, data.byteOffset + off, Math.min(CHUNK, data.byteLength - off));
      }
    })(),
    { objectMode: false },
  );
}

function sign(statement: InTotoStatement, signer: WriteBundleInput['signer']): ReturnType<typeof signStatement> {
  try {
    return signStatement(statement, signer);
  } catch (e) {
    if (e instanceof TokenOpsError) throw e;
    throw new TokenOpsError(
      'input_invalid',
      `Signing with key ${signer.keyId} failed: ${(e as Error).message}. No bundle was written.`,
    );
  }
}

function changedError(p: PlannedItem, detail: string): TokenOpsError {
  const src = p.item.source;
  if (src.kind === 'file' && (src.expectedSha256 !== undefined || src.expectedSize !== undefined)) {
    return new TokenOpsError(
      'conflict',
      `File ${JSON.stringify(src.path)} changed since it was added to the run: ${detail}. Restore the original or add the file to the run again, then export.`,
    );
  }
  const name = src.kind === 'file' ? src.path : p.item.path;
  return new TokenOpsError(
    'conflict',
    `File ${JSON.stringify(name)} changed while it was being exported: ${detail}. Make sure nothing writes to it, then export again.`,
  );
}

function checkSigner(signer: WriteBundleInput['signer']): void {
  const id = keyIdOf(signer.publicKeyPem);
  if (id !== signer.keyId) {
    throw new TokenOpsError(
      'input_invalid',
      `Signer key id ${signer.keyId} does not match its public key (${id}); the key store is inconsistent.`,
    );
  }
}

function outputError(outPath: string, e: unknown): TokenOpsError {
  if (e instanceof TokenOpsError) return e;
  const err = e as NodeJS.ErrnoException;
  const hint =
    err.code === 'ENOSPC'
      ? ' The disk is full; free some space and export again.'
      : err.code === 'EACCES' || err.code === 'EPERM'
        ? ' Choose a folder you can write to.'
        : '';
  return new TokenOpsError(
    'input_invalid',
    `Could not write the bundle ${JSON.stringify(outPath)}: ${err.message}.${hint}`,
  );
}
