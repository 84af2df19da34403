import { BAGIT_TXT, BAG_INFO_TXT, MANIFEST, PAYLOAD_DIR, TAGMANIFEST } from './bag-layout';
import { parseManifest, parseTagFile, payloadOxum } from './bag-text';
import { listSome, type CheckOutcome } from './check-result';
import type { ContentResult } from './zip-content';

export interface BagOutcome extends CheckOutcome {
  payloadFiles: number;
  payloadBytes: number;
}

/**
 * RFC 8493 validation from the digests computed while streaming: bagit.txt, a complete and
 * exact payload manifest, Payload-Oxum, and a tag manifest covering every other tag file.
 */
export function checkBag(content: ContentResult): BagOutcome {
  const payload = [...content.files].filter(([p]) => p.startsWith(PAYLOAD_DIR));
  const payloadFiles = payload.length;
  const payloadBytes = payload.reduce((sum, [, d]) => sum + d.size, 0);
  const fail = (message: string): BagOutcome => ({ ok: false, message, payloadFiles, payloadBytes });
  const text = (name: string) => content.tags.get(name)?.toString('utf8');

  const bagit = text(BAGIT_TXT);
  if (bagit === undefined) return fail('bagit.txt is missing, so this is not a BagIt bag.');
  const declaration = parseTagFile(bagit); // RFC 8493: no byte-order mark, so none is stripped
  if (typeof declaration === 'string') return fail(`bagit.txt is malformed: ${declaration}.`);
  const version = declaration.find(([k]) => k === 'BagIt-Version')?.[1];
  const encoding = declaration.find(([k]) => k === 'Tag-File-Character-Encoding')?.[1];
  if (
    declaration.length !== 2 ||
    declaration[0][0] !== 'BagIt-Version' ||
    version !== '1.0' ||
    encoding?.toUpperCase() !== 'UTF-8'
  ) {
    return fail(
      `bagit.txt must declare "BagIt-Version: 1.0" then "Tag-File-Character-Encoding: UTF-8"; found ${JSON.stringify(bagit.slice(0, 200))}.`,
    );
  }

  const otherManifests = [...content.files.keys()].filter(
    (p) => /^(tag)?manifest-[^/]+\.txt$/.test(p) && p !== MANIFEST && p !== TAGMANIFEST,
  );
  if (otherManifests.length > 0)
    return fail(
      `The bag has manifests this verifier does not check (${listSome(otherManifests)}); TokenOps bundles carry SHA-256 manifests only.`,
    );
  if (payloadFiles === 0) return fail('The bag has no payload: nothing under data/.');

  const manifestText = text(MANIFEST);
  if (manifestText === undefined) return fail('manifest-sha256.txt is missing: the payload files cannot be checked.');
  const manifest = parseManifest(manifestText);
  if (typeof manifest === 'string') return fail(`manifest-sha256.txt is malformed: ${manifest}.`);
  const listed = new Set<string>();
  for (const line of manifest) {
    if (!line.path.startsWith(PAYLOAD_DIR))
      return fail(
        `manifest-sha256.txt line ${line.line} lists ${JSON.stringify(line.path)}, which is not under data/.`,
      );
    if (listed.has(line.path)) return fail(`manifest-sha256.txt lists ${JSON.stringify(line.path)} twice.`);
    listed.add(line.path);
    const actual = content.files.get(line.path);
    if (!actual)
      return fail(
        `manifest-sha256.txt lists ${JSON.stringify(line.path)}, which is not in the bundle: a payload file was removed.`,
      );
    if (actual.sha256 !== line.sha256)
      return fail(
        `Payload file ${JSON.stringify(line.path)} does not match manifest-sha256.txt (SHA-256 is ${actual.sha256}, manifest says ${line.sha256}): it was altered.`,
      );
  }
  const unlisted = payload.map(([p]) => p).filter((p) => !listed.has(p));
  if (unlisted.length > 0)
    return fail(
      `Payload files not in manifest-sha256.txt: ${listSome(unlisted)}. They were added after the bag was made.`,
    );

  const info = text(BAG_INFO_TXT);
  if (info === undefined) return fail('bag-info.txt is missing, so Payload-Oxum cannot be checked.');
  const fields = parseTagFile(info);
  if (typeof fields === 'string') return fail(`bag-info.txt is malformed: ${fields}.`);
  const oxums = fields.filter(([k]) => k === 'Payload-Oxum');
  if (oxums.length !== 1) return fail(`bag-info.txt must have exactly one Payload-Oxum; it has ${oxums.length}.`);
  const expectedOxum = payloadOxum(payloadBytes, payloadFiles);
  if (oxums[0][1] !== expectedOxum)
    return fail(`Payload-Oxum in bag-info.txt is ${oxums[0][1]} but the payload is ${expectedOxum} (bytes.files).`);

  const tagText = text(TAGMANIFEST);
  if (tagText === undefined)
    return fail('tagmanifest-sha256.txt is missing: the tag files (manifest, signature, key) cannot be checked.');
  const tagManifest = parseManifest(tagText);
  if (typeof tagManifest === 'string') return fail(`tagmanifest-sha256.txt is malformed: ${tagManifest}.`);
  const tagListed = new Set<string>();
  for (const line of tagManifest) {
    if (line.path.startsWith(PAYLOAD_DIR) || line.path === TAGMANIFEST)
      return fail(
        `tagmanifest-sha256.txt line ${line.line} lists ${JSON.stringify(line.path)}, which is not a tag file it may cover.`,
      );
    if (tagListed.has(line.path)) return fail(`tagmanifest-sha256.txt lists ${JSON.stringify(line.path)} twice.`);
    tagListed.add(line.path);
    const actual = content.files.get(line.path);
    if (!actual) return fail(`tagmanifest-sha256.txt lists ${JSON.stringify(line.path)}, which is not in the bundle.`);
    if (actual.sha256 !== line.sha256)
      return fail(`Tag file ${JSON.stringify(line.path)} does not match tagmanifest-sha256.txt: it was altered.`);
  }
  const uncovered = [...content.files.keys()].filter(
    (p) => !p.startsWith(PAYLOAD_DIR) && p !== TAGMANIFEST && !tagListed.has(p),
  );
  if (uncovered.length > 0) return fail(`Tag files not covered by tagmanifest-sha256.txt: ${listSome(uncovered)}.`);

  return {
    ok: true,
    message: `BagIt 1.0 bag valid: ${payloadFiles} payload files (${payloadBytes} bytes) match manifest-sha256.txt; ${tagListed.size} tag files match tagmanifest-sha256.txt.`,
    payloadFiles,
    payloadBytes,
  };
}
