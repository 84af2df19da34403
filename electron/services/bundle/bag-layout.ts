/**
 * The bag inside every bundle: `<bagName>/` holding BagIt 1.0 (RFC 8493) tag files, the payload under
 * `data/`, and TokenOps' signature material as extra tag files under `tokenops/`.
 *
 * tagmanifest-sha256.txt covers EVERY other tag file: bagit.txt, bag-info.txt, manifest-sha256.txt,
 * tokenops/signature.dsse.json and tokenops/signer-public-key.pem. (It cannot list itself.) The
 * verifier requires every tag file present to be listed, so nothing unlisted rides along.
 */
export const BAGIT_TXT = 'bagit.txt';
export const BAG_INFO_TXT = 'bag-info.txt';
export const MANIFEST = 'manifest-sha256.txt';
export const TAGMANIFEST = 'tagmanifest-sha256.txt';
export const SIGNATURE_FILE = 'tokenops/signature.dsse.json';
export const PUBLIC_KEY_FILE = 'tokenops/signer-public-key.pem';
export const PAYLOAD_DIR = 'data/';

export const BAGIT_TXT_CONTENT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

/** Tag files the verifier parses (and so buffers, within maxTagFileBytes). */
export const PARSED_TAG_FILES: ReadonlySet<string> = new Set([
  BAGIT_TXT,
  BAG_INFO_TXT,
  MANIFEST,
  TAGMANIFEST,
  SIGNATURE_FILE,
  PUBLIC_KEY_FILE,
]);

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
