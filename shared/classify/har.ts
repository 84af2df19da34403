/**
 * HTTP archives (HAR 1.x, `.har`): an agent's paid x402 calls as a browser, proxy or HTTP client
 * recorded them. Pure (no Node APIs): the renderer and the workers run it alike.
 *
 * Learned from the HAR 1.2 specification (Jan Odvarko, "HTTP Archive 1.2",
 * http://www.softwareishard.com/blog/har-12-spec/, kept at github.com/ahmadnassri/har-spec versions/1.2.md;
 * the W3C Web Performance WG draft "HTTP Archive (HAR) format",
 * https://w3c.github.io/web-performance/specs/HAR/Overview.html): `log{version, creator, entries[]}`,
 * each entry `{startedDateTime, request{method, url, headers[{name, value}]}, response{status, headers[],
 * content{mimeType, text, encoding?}}}`, where `content.encoding: "base64"` means `text` is the body in
 * base64. And from coinbase/x402 specs/transports-v1/http.md and specs/transports-v2/http.md: the
 * `PAYMENT-REQUIRED`, `PAYMENT-SIGNATURE` / `X-PAYMENT` and `PAYMENT-RESPONSE` / `X-PAYMENT-RESPONSE`
 * headers carry base64 JSON messages, and a v1 402 response carries the PaymentRequired in its body.
 *
 * Mapped: every entry that is a paid exchange (an x402 header in its request or response, or a 402 whose
 * body is an x402 PaymentRequired) gives the records its messages classify to (shared/classify/x402.ts),
 * each with `row` = the entry's 1-based index in `log.entries`. Other entries (pages, assets, unpaid API
 * calls) are ignored: the archive itself stays evidence as a file.
 *
 * Decisions:
 *   - A HAR is recognised by `log.version` and `log.entries`; a version other than 1.x is refused
 *     (the spec's versioning: a new major version is not compatible).
 *   - A 402 body is read only when the response has no `PAYMENT-REQUIRED` header (v2 puts the message in
 *     the header and the body is the server's own business), so one requirement is not recorded twice.
 */
import { decodeX402Header, isX402Header } from './http-capture';
import { decodeBase64Json } from './parse';
import type { ClassifiedRecord, FamilyClassifier } from './types';
import { describeValue, isObj, notEvidence, obj, str, type Obj } from './values';

/** Problems listed in the message before "and N more". */
const MAX_PROBLEMS = 5;

export const classifyHar: FamilyClassifier = (o, ctx) => {
  const log = obj(o.log);
  if (!log || !('entries' in log) || !('version' in log)) return null;
  const version = log.version;
  if (typeof version !== 'string' || !/^1\.\d+$/.test(version.trim()))
    return notEvidence(
      `HTTP archive with log.version ${JSON.stringify(version)}: only HAR 1.x (1.1, 1.2, 1.3) is known`,
    );
  if (!Array.isArray(log.entries))
    return notEvidence(`HTTP archive log.entries is ${describeValue(log.entries)}, not a list of entries`);

  const entries: unknown[] = log.entries;
  const records: ClassifiedRecord[] = [];
  const problems: string[] = [];
  let paid = 0;
  entries.forEach((entry, i) => {
    const row = i + 1;
    if (!isObj(entry)) {
      problems.push(`entry ${row} is ${describeValue(entry)}, not an entry object`);
      return;
    }
    const messages = paymentMessages(entry, row, problems);
    if (!messages.length) return;
    paid++;
    for (const m of messages) {
      if (m.value === undefined) {
        problems.push(`entry ${row}: the ${m.where} value is not base64-encoded JSON`);
        continue;
      }
      // Through the top-level dispatcher, so a message that is not x402 is named as what it is.
      const classified = ctx.classify(m.value);
      for (const r of classified.records) records.push({ ...r, row });
      if (classified.unrecognised) problems.push(`entry ${row} (${m.where}): ${classified.unrecognised}`);
    }
  });

  if (!paid) {
    const none = `HTTP archive with ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} holds no x402 payment exchange`;
    return notEvidence(problems.length ? `${none} (${summarise(problems)})` : none);
  }
  return { records, unrecognised: problems.length ? `HTTP archive: ${summarise(problems)}` : null };
};

interface PaymentMessage {
  /** Where it was read, for messages: `request header PAYMENT-SIGNATURE`, `402 response body`. */
  where: string;
  /** The decoded JSON, or undefined when it did not decode. */
  value: unknown;
}

/** The x402 messages of one entry: its request's and response's x402 headers, then a 402's x402 body. */
function paymentMessages(entry: Obj, row: number, problems: string[]): PaymentMessage[] {
  const out: PaymentMessage[] = [];
  const request = obj(entry.request);
  const response = obj(entry.response);
  if (!request && !response) {
    problems.push(`entry ${row} has neither a request nor a response object`);
    return out;
  }
  const responseHeaders = response ? headersOf(response, `entry ${row} response`, problems) : [];
  for (const [side, headers] of [
    ['request', request ? headersOf(request, `entry ${row} request`, problems) : []],
    ['response', responseHeaders],
  ] as const) {
    for (const h of headers) {
      if (!isX402Header(h.name)) continue;
      out.push({
        where: `${side} header ${h.name}`,
        value: typeof h.value === 'string' ? decodeX402Header(h.value) : undefined,
      });
    }
  }
  if (response?.status === 402 && !responseHeaders.some((h) => h.name.toLowerCase() === 'payment-required')) {
    const body = bodyJson(obj(response.content));
    if (isObj(body) && body.x402Version !== undefined && Array.isArray(body.accepts))
      out.push({ where: '402 response body', value: body });
  }
  return out;
}

/** `headers[]` as `{name, value}` pairs; an item without a string name is skipped (and said once). */
function headersOf(message: Obj, where: string, problems: string[]): Array<{ name: string; value: unknown }> {
  if (message.headers === undefined) return [];
  if (!Array.isArray(message.headers)) {
    problems.push(`${where} headers are ${describeValue(message.headers)}, not a list of {name, value}`);
    return [];
  }
  const out: Array<{ name: string; value: unknown }> = [];
  let skipped = 0;
  for (const h of message.headers as unknown[]) {
    const name = str(obj(h)?.name);
    if (name) out.push({ name, value: (h as Obj).value });
    else skipped++;
  }
  if (skipped) problems.push(`${where}: ${skipped} header${skipped === 1 ? ' is' : 's are'} not a {name, value} pair`);
  return out;
}

/** A response body as JSON: `content.text`, base64-decoded first when `content.encoding` is base64. */
function bodyJson(content: Obj | undefined): unknown {
  const text = str(content?.text);
  if (!text) return undefined;
  if (str(content?.encoding)?.toLowerCase() === 'base64') return decodeBase64Json(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function summarise(problems: string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
  const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
  return `${shown}${more}`;
}
