/**
 * Building blocks shared by the TokenOps JSON Schemas (draft 2020-12).
 *
 * Every schema is a plain `as const` object, so it can be published as-is (manifest, bundle) and
 * compiled ahead of time into standalone validators (scripts/gen-validators.ts): the renderer runs
 * under a strict CSP and must never compile a schema at run time.
 *
 * Fragments are inlined (no cross-schema `$ref`), so each schema is self-contained and an error's
 * `schemaPath` can always be resolved inside the schema that produced it.
 */

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema' as const;
export const SCHEMA_ID_BASE = 'https://schemas.tokenops.dev/' as const;

/** `$id` of a TokenOps schema: just an identifier, nothing is fetched from it. */
export function schemaId<N extends string>(name: N): `${typeof SCHEMA_ID_BASE}${N}.json` {
  return `${SCHEMA_ID_BASE}${name}.json`;
}

/** SHA-256 digest as 64 lowercase hexadecimal characters. */
export const SHA256_PATTERN = '^[0-9a-f]{64}$' as const;
/** A decimal amount kept as a string so no precision is lost: `12`, `0.05`, `-3.10`. */
const DECIMAL_PATTERN = '^-?[0-9]+(\\.[0-9]+)?$' as const;

/** Words for the patterns above, used when an error is written for a person (shared/validate.ts). */
export const PATTERN_HINTS: Readonly<Record<string, string>> = {
  [SHA256_PATTERN]: 'must be a SHA-256 digest: 64 lowercase hexadecimal characters',
  [DECIMAL_PATTERN]: 'must be a decimal number written as a string, e.g. "12" or "0.05"',
};

/** An identifier or a reference: any non-empty string. */
export const idString = { type: 'string', minLength: 1 } as const;
/** Free text that must say something. */
export const text = { type: 'string', minLength: 1 } as const;
/** A string or null (for references that may not exist yet). */
export const idOrNull = { type: ['string', 'null'], minLength: 1 } as const;
/** A timestamp written by TokenOps itself (RFC 3339, e.g. `2026-06-02T10:00:00.000Z`). */
export const timestamp = { type: 'string', format: 'date-time' } as const;
/** A timestamp taken from evidence: kept as given, so only required to be non-empty. */
export const evidenceTimestamp = { type: 'string', minLength: 1 } as const;
export const sha256 = {
  type: 'string',
  pattern: SHA256_PATTERN,
  description: 'SHA-256 digest, 64 lowercase hexadecimal characters.',
} as const;
/** Credits are whole units, never negative. */
export const credits = { type: 'integer', minimum: 0 } as const;
/** A byte count or another whole count. */
export const count = { type: 'integer', minimum: 0 } as const;
export const score = { type: 'integer', minimum: 0, maximum: 100 } as const;
export const stringList = { type: 'array', items: text } as const;

export const money = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'currency'],
  properties: {
    value: { type: 'string', pattern: DECIMAL_PATTERN, description: 'Decimal amount as a string.' },
    currency: { type: 'string', minLength: 1, description: 'Currency or asset code, e.g. USD, USDC, credits.' },
  },
} as const;

const EVIDENCE_STATUS = ['missing', 'partial', 'sufficient'] as const;
const RESULT_STATUS = ['ready', 'pending', 'blocked'] as const;
const CALLBACK_STATUS = ['ready', 'not_configured', 'pending', 'delivered', 'failed', 'disabled'] as const;

export const evidenceStatus = { enum: EVIDENCE_STATUS } as const;
export const resultStatus = { enum: RESULT_STATUS } as const;
export const callbackStatus = { enum: CALLBACK_STATUS } as const;
