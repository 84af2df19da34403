/**
 * A cheap prefilter in front of the full rule set. Every rule (secretlint's preset as we run it, and
 * ours) can only report where some fixed text or shape occurs; these patterns are a superset of those,
 * so a text none of them matches cannot give a finding and skips lintSource (about a millisecond per
 * 50 KiB of JSON, most of an intake's time). A false "maybe" only costs the full scan; a false "no"
 * would hide a secret, so each anchor below names the rule it stands for and is at least as loose.
 * test/services/secret-prefilter.test.ts checks every rule's positives against it.
 */
import { BASE64_ALPHABET, MIN_RUN } from '../base64-runs';
import { NAME_VARIANT } from './config-assignment';

// Case-sensitive anchors, a little looser than the rules (a shorter literal) where that keeps them few.
// They run as one alternation (ANY_LITERAL): on 1,000 runtime logs of 50 KiB, one pass took 86 ms where
// one regex each took 190 ms. The two led by a character class (basic auth, IBAN) run on their own: in
// the alternation they defeat V8's first-character check and double its cost.
const LITERALS: readonly RegExp[] = [
  // tokenops/stripe-api-key ([sr]k_live_, [sr]k_test_), tokenops/stripe-client-secret (pi_…_secret_…),
  // secretlint npm (.npmrc _authToken=), github (github_pat_), linear (lin_api_)
  /_(?:live|test)_|_secret_|_authToken=|_pat_|_api_/,
  // tokenops/stripe-webhook-secret, secretlint npm (npm_), shopify, github (ghp_ …), 1password (ops_ey…)
  /whsec_|npm_|shp(?:pa|ca|at|ss)_|gh[pousr]_|ops_ey/,
  // tokenops/google-api-key, tokenops/aws-access-key-id (its prefixes), secretlint openai (every key
  // format holds T3BlbkFJ), sendgrid (SG.)
  /AIza|A3T|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|T3BlbkFJ|SG\./,
  /eyJ/, // tokenops/jwt: a JOSE header is a JSON object, `{"` in base64url
  // tokenops/private-key, secretlint npm (package.json x-oauth-basic), slack tokens, anthropic
  /-----BEGIN|x-oauth-basic|xox[bpaor]-|xapp-|sk-ant-api0/,
];
const ANY_LITERAL = anyOf(LITERALS);
const BASIC_AUTH = /:\/\/[-\w]{1,256}:[-\w]{1,256}@/; // secretlint basicauth: scheme://user:password@

// The rules that match case-insensitively, run on the lowercased text: for ASCII letters that matches
// what the `i` flag does, and it can only add matches (K, the Kelvin sign, lowercases to k).
const WORDS: readonly RegExp[] = [
  /bearer[ \t]/, // tokenops/bearer-token
  // tokenops/config-credential: a name ending in one of these words (or in one and its variants, as in
  // api_token_2 or db_password_prod), then `=`, `: ` or (JSON) `":`.
  new RegExp(String.raw`(?:passw(?:or)?d|secret|key|token)(?:${NAME_VARIANT})*(?:[ \t]*(?:=|:[ \t])|"\s*:)`),
  /secret_?access_?key/, // secretlint aws: secret access keys
  /hooks\.slack\.com\/services\//, // secretlint slack: incoming webhooks
  /(?:mongodb(?:\+srv)?|mysqlx?|postgres(?:ql)?):\/\//, // secretlint database-connection-string
  // tokenops/http-archive-credential: a HAR header named `"authorization"` (or proxy-), `"cookie"` (or
  // set-), `"x-api-key"`, or a `"cookies"` list.
  /authorization"|cookies?"|x-api-key"/,
  // tokenops/http-archive-credential: a raw `Authorization:` or (`Set-`)`Cookie:` field line.
  /(?:authorization|cookie)["']?[ \t]*:/,
];
const ANY_WORD = anyOf(WORDS);

// tokenops/iban: country, check digits, then at least 11 more (the shortest IBAN has 15), spaced or not.
const IBAN = /[A-Z]{2}\d\d(?: ?[A-Z0-9]){11}/;

// tokenops/card-number: 13 or more digits, single spaces or dashes between groups. Evidence is full of
// digits, so this regex only runs on spans of digits, spaces and dashes long enough to hold it.
const CARD_DIGITS = /\d(?:[ -]?\d){12}/;
const MIN_CARD_SPAN = 13;
const CARD_CHARS = asciiSet('0123456789 -');
const BASE64_CHARS = asciiSet(BASE64_ALPHABET);

/** False only when no rule of the scan can report anything in `text` (base64 runs aside: mayHoldBase64). */
export function mayHoldSecret(text: string): boolean {
  const lower = text.toLowerCase();
  return (
    ANY_LITERAL.test(text) ||
    ANY_WORD.test(lower) ||
    BASIC_AUTH.test(text) ||
    IBAN.test(text) ||
    someRun(text, MIN_CARD_SPAN, CARD_CHARS, (start, end) => CARD_DIGITS.test(text.slice(start, end)))
  );
}

/** False only when base64Runs finds no run to decode in `text`. */
export function mayHoldBase64(text: string): boolean {
  return someRun(text, MIN_RUN, BASE64_CHARS, () => true);
}

/** One regex matching wherever any of `res` matches (none has flags). */
function anyOf(res: readonly RegExp[]): RegExp {
  return new RegExp(res.map((re) => `(?:${re.source})`).join('|'));
}

/** A lookup table of ASCII characters (a table beats a callback or a regex class in the loop below). */
function asciiSet(chars: string): Uint8Array {
  const set = new Uint8Array(0x10000); // indexed by any UTF-16 code unit
  for (const c of chars) set[c.charCodeAt(0)] = 1;
  return set;
}

/**
 * Whether a maximal run of characters in `set`, at least `min` long, passes `accept`. It reads only every
 * `min`-th character and the runs around the ones in the set: any run that long covers one of them.
 */
function someRun(text: string, min: number, set: Uint8Array, accept: (start: number, end: number) => boolean): boolean {
  for (let probe = min - 1; probe < text.length;) {
    if (set[text.charCodeAt(probe)] !== 1) {
      probe += min;
      continue;
    }
    let start = probe;
    let end = probe + 1;
    while (start > 0 && set[text.charCodeAt(start - 1)] === 1) start--;
    while (end < text.length && set[text.charCodeAt(end)] === 1) end++;
    if (end - start >= min && accept(start, end)) return true;
    probe = end + ((min - 1 - (end % min) + min) % min); // the first probe past this run
  }
  return false;
}
