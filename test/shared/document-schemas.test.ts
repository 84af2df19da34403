/**
 * The document schemas are pinned: the committed files match the TypeScript types that produce the
 * documents (else run `npm run gen:schemas`), and each `name@version` has one fixed digest (else the
 * change is breaking for agents: bump the document's version in shared/schemas/documents.ts and add
 * the new pin below, keeping the old one).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentFiles, generateDocumentSchemas } from '../../scripts/gen-document-schemas';
import { DOCUMENTS, DOCUMENT_NAMES } from '../../shared/schemas/documents';
import PINS from './document-schema-pins.json';

const DIR = path.resolve(import.meta.dirname, '..', '..', 'shared', 'schemas', 'documents');
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

describe('document schemas', () => {
  const files = documentFiles(generateDocumentSchemas());

  it('the committed files are what the types generate (npm run gen:schemas)', () => {
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(path.join(DIR, name), 'utf8'), `${name} is stale: run npm run gen:schemas`).toBe(text);
    }
  });

  it('each name@version keeps its digest: a changed schema needs a new version', () => {
    const now = Object.fromEntries(
      DOCUMENT_NAMES.map((n) => [`${n}@v${DOCUMENTS[n].version}`, digest(files[`${n}.json`]!)]),
    );
    for (const [key, value] of Object.entries(now)) {
      const pinned = (PINS as Record<string, string>)[key];
      expect(
        pinned,
        `${key} has no pin: add "${key}": "${value}" to test/shared/document-schema-pins.json`,
      ).toBeDefined();
      expect(value, `${key} changed without a version bump`).toBe(pinned);
    }
  });
});
