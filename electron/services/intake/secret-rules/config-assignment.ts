import type { DetectorHit, SecretDetector } from './detector';

/**
 * A credential written into configuration: `.env` / shell / INI lines (`DB_PASSWORD=…`, `export
 * API_TOKEN="…"`), YAML (`client_secret: …`) and JSON (`"password": "…"`). The name must *end* in a
 * credential word, or in one and a numbered or environment variant (`API_TOKEN_2`, `DB_PASSWORD_PROD`),
 * so `TOKEN_COUNT=5`, `tokens_in: 1000` or `"invoice_token"` stay evidence: an invoice token is a
 * reference the payment request publishes, not a credential.
 */
const CREDENTIAL_WORD = String.raw`[A-Za-z0-9_.-]*?(?:password|passwd|secret|secret[_-]?key|token|api[_-]?key|access[_-]?key|private[_-]?key)`;
// …or in one followed by a number or an environment: API_TOKEN_2, DB_PASSWORD_PROD, STRIPE_SECRET_KEY_LIVE
// (lowercase: the prefilter, anchors.ts, matches it against lowercased text).
export const NAME_VARIANT = String.raw`[_.-](?:\d+|v\d+|prod|production|live|test|dev|development|stage|staging|old|new|backup|primary|secondary)`;
const VARIANTS = new RegExp(`(?:${NAME_VARIANT})+$`, 'i');
const CREDENTIAL_NAME = String.raw`${CREDENTIAL_WORD}(?:${NAME_VARIANT})*`;
// Line-start assignments: env/INI `NAME=value` and YAML `name: value`.
const LINE_ASSIGNMENT = new RegExp(
  String.raw`^[ \t]*(?:export[ \t]+)?(${CREDENTIAL_NAME})[ \t]*(?:=|:(?=[ \t]))[ \t]*(["']?)([^\r\n"'#]*)\2`,
  'gim',
);
// JSON members whose name is a credential word on its own (not an id or a reference ending in "token").
const JSON_MEMBER =
  /"((?:[a-z0-9]+_)?(?:password|passwd|secret|client_secret|secret_key|api_?key|access_token|refresh_token|auth_token|private_key))"\s*:\s*"((?:[^"\\\r\n]|\\.)*)"/gi;

/** Names that end in "token" but hold references, counts or types, not credentials. */
const NOT_CREDENTIALS =
  /(?:^|[_.-])(?:invoice|payment|csrf|page|next|continuation|cursor|max|num|count|id)[_.-]?token$|token_?type$/i;

/** Values that are placeholders, references or empty, not secrets. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 6) return true;
  if (/^(?:\$\{?|%|\{\{|<|\[|\(|process\.env|env\()/i.test(v)) return true; // ${VAR}, $VAR, %VAR%, {{var}}, <your key>
  if (
    /^(?:x+|\*+|\.+|-+|_+|0+|changeme|change_me|password|secret|token|example\S*|placeholder|dummy|redacted|null|none|true|false|undefined|your[_ -]\S*|replace[_ -]?me\S*|todo|tbd|n\/a)$/i.test(
      v,
    )
  )
    return true;
  return /^\d+$/.test(v) && v.length < 8; // a port or a count, not a password
}

export const configAssignmentDetector: SecretDetector = {
  id: 'tokenops/config-credential',
  label: 'credential assigned in configuration',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(LINE_ASSIGNMENT)) {
      const [whole, name, , value] = m;
      if (NOT_CREDENTIALS.test(name.replace(VARIANTS, '')) || isPlaceholder(value)) continue;
      const start = m.index + whole.length - value.length - m[2].length;
      yield { start, end: start + value.trimEnd().length };
    }
    for (const m of text.matchAll(JSON_MEMBER)) {
      const [whole, , value] = m;
      if (isPlaceholder(value)) continue;
      const start = m.index + whole.length - value.length - 1;
      yield { start, end: start + value.length };
    }
  },
};
