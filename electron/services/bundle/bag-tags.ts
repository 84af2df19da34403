import { createHash } from 'node:crypto';
import {
  BAGIT_TXT,
  BAGIT_TXT_CONTENT,
  BAG_INFO_TXT,
  MANIFEST,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  TAGMANIFEST,
} from './bag-layout';
import { formatManifest } from './bag-text';
import { buildBagInfo } from './bag-info';
import type { BundleSubject } from './bundle-types';
import type { DsseEnvelope } from './dsse';

/**
 * The tag files written after the payload, in zip order. tagmanifest-sha256.txt comes last and
 * covers every other tag file, bagit.txt included (which the writer puts first in the zip).
 */
export function buildTagFiles(a: {
  subjects: BundleSubject[];
  bagInfoText: Buffer;
  envelope: DsseEnvelope;
  publicKeyPem: string;
}): Array<[string, Buffer]> {
  const tags: Array<[string, Buffer]> = [
    [MANIFEST, Buffer.from(formatManifest(a.subjects.map((s) => ({ path: s.name, sha256: s.digest.sha256 }))))],
    [BAG_INFO_TXT, a.bagInfoText],
    [SIGNATURE_FILE, Buffer.from(JSON.stringify(a.envelope, null, 2) + '\n')],
    [PUBLIC_KEY_FILE, Buffer.from(a.publicKeyPem)],
  ];
  const covered: Array<[string, Buffer]> = [[BAGIT_TXT, Buffer.from(BAGIT_TXT_CONTENT)], ...tags];
  const lines = covered.map(([path, data]) => ({ path, sha256: createHash('sha256').update(data).digest('hex') }));
  return [...tags, [TAGMANIFEST, Buffer.from(formatManifest(lines))]];
}

/**
 * bag-info.txt says whose bundle this is (External-Identifier: the run). The tag manifest is unsigned,
 * so bag-info.txt is also a subject of the signed statement: its text cannot be changed after signing.
 */
export function signedBagInfo(
  bagInfo: Record<string, string>,
  oxum: string,
  now: Date,
): { text: Buffer; subject: BundleSubject } {
  const text = Buffer.from(buildBagInfo(bagInfo, oxum, now));
  return { text, subject: { name: BAG_INFO_TXT, digest: { sha256: createHash('sha256').update(text).digest('hex') } } };
}
