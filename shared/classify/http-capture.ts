/**
 * x402 headers in an HTTP capture saved as text (`.txt`, `.http`, `.log`: a curl -v dump, a proxy log,
 * a REST-client file). Each `PAYMENT-REQUIRED`, `PAYMENT-SIGNATURE` / `X-PAYMENT` and `PAYMENT-RESPONSE` /
 * `X-PAYMENT-RESPONSE` line carries one base64 JSON message (coinbase/x402 specs/transports-v1/http.md,
 * specs/transports-v2/http.md), and each becomes the records its JSON is. curl's `< ` / `> ` prefixes
 * are allowed. Lines that are not such headers are ignored: the file itself stays evidence (step 6).
 */
import { decodeBase64Json } from './parse';

/** The x402 header names, v2 and v1 (longest first where one is a prefix of another). */
const X402_HEADER_NAMES = [
  'payment-required',
  'payment-signature',
  'x-payment-response',
  'payment-response',
  'x-payment',
];
const X402_HEADER = new RegExp(`^[<>]?\\s*(${X402_HEADER_NAMES.join('|')})\\s*:\\s*([A-Za-z0-9+/_=-]+)\\s*$`, 'i');

/** Whether `name` is an x402 header (HTTP header names are case-insensitive; HTTP/2 writes them lower case). */
export function isX402Header(name: string): boolean {
  return X402_HEADER_NAMES.includes(name.trim().toLowerCase());
}

/** An x402 header value decoded: its JSON message, or undefined when the value is not base64 JSON. */
export function decodeX402Header(value: string): unknown {
  return decodeBase64Json(value);
}

export interface CapturedHeader {
  /** The header name as written. */
  header: string;
  /** 1-based line of the header in the capture. */
  line: number;
  /** The decoded JSON, or undefined when the value is not base64 JSON. */
  value: unknown;
}

export function x402HeadersIn(text: string): CapturedHeader[] {
  const out: CapturedHeader[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const m = X402_HEADER.exec(raw.trim());
    if (m) out.push({ header: m[1], line: i + 1, value: decodeX402Header(m[2]) });
  });
  return out;
}
