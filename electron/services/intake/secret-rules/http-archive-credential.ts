import type { DetectorHit, SecretDetector } from './detector';

/**
 * Credentials recorded as they were sent over HTTP:
 * - in an HTTP archive (HAR 1.2, github.com/ahmadnassri/har-spec versions/1.2.md): a
 *   `{"name": "Authorization", "value": "Basic …"}` header pair (also Proxy-Authorization, Cookie,
 *   Set-Cookie, X-Api-Key; either member order), and the items of a `"cookies": [{"name": …, "value": …}]`
 *   list, whatever the cookie's name;
 * - in a raw capture (`.http`, a log, a curl command line): an `Authorization:` / `Proxy-Authorization:`
 *   field line with a registered auth scheme (IANA HTTP Authentication Scheme Registry, plus the common
 *   Token, NTLM, AWS4-HMAC-SHA256 and ApiKey), and `Cookie:` / `Set-Cookie:` lines (RFC 9112 §5 field
 *   lines, RFC 6265 §4 cookies). `X-Api-Key: …` lines are the config-assignment rule's.
 * Values that are empty, short or placeholders ("", "[REDACTED]", "<token>", "${TOKEN}", "****") are not
 * secrets, and x402's PAYMENT-SIGNATURE and the like are not credential headers: they are the payment
 * evidence.
 *
 * The hit is the credential itself (after the auth scheme, after the cookie's `name=`), so a redacted
 * archive reads `"Bearer [REDACTED …]"` and scans clean. A bearer token or JWT in the header is also
 * found by its own rule, which then names it (secret-scan.ts drops this generic hit under it).
 */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const NAME_MEMBER = /"name"\s*:\s*"((?:proxy-)?authorization|(?:set-)?cookie|x-api-key)"/gi;
const COOKIES_LIST = /"cookies"\s*:\s*\[/gi;
const MEMBER = /"(name|value)"\s*:\s*"((?:[^"\\\r\n]|\\.)*)"/g;
/** A header or cookie object is small; the scan does not look further than this for its braces. */
const MAX_OBJECT = 16 * 1024;
/** An auth scheme (RFC 9110 §11.1: a token) before the credentials. */
const AUTH_SCHEME = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*[ \t]+(?=\S)/;

/**
 * A raw field line naming a credential header: at a line start, or after a quote, space, `{` or `,`
 * (`curl -H "…"`, a JSON or YAML config `"Authorization": "Basic …"`). Groups: what precedes the
 * name, the name, a quote closing the name, a quote opening the value, the value to the line's end.
 */
const FIELD_LINE = /(^|[\s"'{,])((?:proxy-)?authorization|(?:set-)?cookie)(["']?)[ \t]*:[ \t]*(["']?)([^\r\n]*)/gim;
/** Auth schemes (lower case) a raw `Authorization:` line is read with; prose ("Authorization: required") names none. */
const AUTH_SCHEMES = new Set([
  'basic',
  'bearer',
  'concealed',
  'digest',
  'dpop',
  'gnap',
  'hoba',
  'mutual',
  'negotiate',
  'oauth',
  'privatetoken',
  'scram-sha-1',
  'scram-sha-256',
  'vapid',
  'token',
  'ntlm',
  'aws4-hmac-sha256',
  'apikey',
]);

/** Values that are empty, short, masked or placeholders, not secrets. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 6) return true;
  if (/\*{3}|…|\[redacted|\.\.\.$/i.test(v)) return true; // masked, wholly or in part
  return /^(?:\[[^\]]*\]|<[^>]*>|\{\{[^}]*\}\}|\$\{?[\w.]+\}?|%\w+%|x+|\.+|-+|_+|0+|redacted|removed|hidden|masked|filtered|omitted|placeholder|example\S*|dummy|null|none|undefined|n\/a|your[_ -]\S*)$/i.test(
    v,
  );
}

/** The flat JSON object (`{…}` with no nested object or array) that starts at `open`, or null. */
function flatObjectEnd(text: string, open: number): number | null {
  let inString = false;
  for (let i = open + 1; i < text.length && i - open < MAX_OBJECT; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '}') return i + 1;
    else if (c === '{' || c === '[' || c === ']') return null;
  }
  return null;
}

interface Member {
  value: string;
  /** Offset of the value's first character in the scanned text. */
  at: number;
}

function membersOf(text: string, start: number, end: number): { name?: Member; value?: Member } {
  const out: { name?: Member; value?: Member } = {};
  const body = text.slice(start, end);
  for (const m of body.matchAll(MEMBER)) {
    const key = m[1] as 'name' | 'value';
    out[key] ??= { value: m[2], at: start + m.index + m[0].length - m[2].length - 1 };
  }
  return out;
}

/** The credential's range within a header value, or null when the value holds none. */
function credentialIn(header: string, value: Member): DetectorHit | null {
  const v = value.value;
  let from = 0;
  let to = v.trimEnd().length;
  if (header === 'authorization' || header === 'proxy-authorization') {
    from = AUTH_SCHEME.exec(v)?.[0].length ?? 0;
  } else if (header === 'cookie' || header === 'set-cookie') {
    // `a=1; b=2` sends two cookies; `sid=…; Path=/; HttpOnly` sets one, its attributes follow.
    const sent = header === 'cookie' ? v : v.split(';')[0];
    if (sent.split(';').every((p) => isPlaceholder(p.slice(p.indexOf('=') + 1)))) return null;
    from = sent.indexOf('=') + 1;
    to = sent.trimEnd().length;
    return { start: value.at + from, end: value.at + to };
  }
  if (isPlaceholder(v.slice(from, to))) return null;
  return { start: value.at + from, end: value.at + to };
}

/** The credential of one raw field line, or null when it holds none. */
function fieldLineCredential(header: string, value: Member, quote: string): DetectorHit | null {
  let v = value.value;
  // Quoted (`-H "Authorization: …"`, `"Cookie": "…"`), the value ends at its closing quote.
  if (quote) {
    const close = v.search(quote === '"' ? /(?<!\\)"/ : /'/);
    if (close >= 0) v = v.slice(0, close);
  }
  if (header === 'authorization' || header === 'proxy-authorization') {
    const scheme = AUTH_SCHEME.exec(v)?.[0];
    if (!scheme || !AUTH_SCHEMES.has(scheme.trim().toLowerCase())) return null;
    // A token68 credential is one word; what follows it on the line is prose ("… with each call").
    // Auth parameters (Digest: `username="ops", response="…"`) run on.
    const rest = v.slice(scheme.length);
    // A placeholder, whole ("<base64 of user:password>") or starting one ("{{token}} here"), is none.
    if (isPlaceholder(rest) || /^[<[{$%]/.test(rest)) return null;
    if (!/^[\w-]+=/.test(rest)) v = scheme + (/^\S+/.exec(rest)?.[0] ?? '');
  } else if (!v.includes('=')) return null; // a cookie is name=value
  return credentialIn(header, { value: v, at: value.at });
}

export const httpArchiveCredentialDetector: SecretDetector = {
  id: 'tokenops/http-archive-credential',
  label: 'credential in a recorded HTTP header or cookie',
  *detect(text: string): Iterable<DetectorHit> {
    const seen = new Set<number>(); // a cookie named "Cookie" in a cookies list is one finding, not two
    for (const m of text.matchAll(FIELD_LINE)) {
      const at = m.index + m[0].length - m[5].length;
      const quote = m[4] || (m[1] === '"' || m[1] === "'" ? m[1] : '');
      const hit = fieldLineCredential(m[2].toLowerCase(), { value: m[5], at }, quote);
      if (hit && !seen.has(hit.start)) {
        seen.add(hit.start);
        yield hit;
      }
    }
    for (const m of text.matchAll(NAME_MEMBER)) {
      const header = m[1].toLowerCase();
      if (!CREDENTIAL_HEADERS.has(header)) continue;
      // The object around the name member: its `{` is before it, with no other brace in between.
      const before = text.slice(Math.max(0, m.index - MAX_OBJECT), m.index);
      const open = Math.max(before.lastIndexOf('{'), before.lastIndexOf('}'));
      if (open < 0 || before[open] !== '{') continue;
      const start = m.index - before.length + open;
      const end = flatObjectEnd(text, start);
      if (end === null) continue;
      const { value } = membersOf(text, start, end);
      const hit = value && credentialIn(header, value);
      if (hit && !seen.has(hit.start)) {
        seen.add(hit.start);
        yield hit;
      }
    }
    for (const m of text.matchAll(COOKIES_LIST)) {
      // Each `{name, value, path, …}` item of the list, until the first thing that is not one.
      let at = m.index + m[0].length;
      for (;;) {
        while (at < text.length && /[\s,]/.test(text[at])) at++;
        if (text[at] !== '{') break;
        const end = flatObjectEnd(text, at);
        if (end === null) break;
        const { value } = membersOf(text, at, end);
        if (value && !isPlaceholder(value.value) && !seen.has(value.at)) {
          seen.add(value.at);
          yield { start: value.at, end: value.at + value.value.trimEnd().length };
        }
        at = end;
      }
    }
  },
};
