/**
 * x402 headers in an HTTP capture saved as text (`.txt`, `.http`, `.log`: a curl -v dump, a proxy log,
 * a REST-client file). Each `PAYMENT-REQUIRED`, `PAYMENT-SIGNATURE` / `X-PAYMENT` and `PAYMENT-RESPONSE` /
 * `X-PAYMENT-RESPONSE` line carries one base64 JSON message (coinbase/x402 specs/transports-v1/http.md,
 * specs/transports-v2/http.md), and each becomes the records its JSON is. curl's `< ` / `> ` prefixes
 * are allowed. Lines that are not such headers are ignored: the file itself stays evidence (step 6).
 */
import { decodeBase64Json } from './parse';

const X402_HEADER =
  /^[<>]?\s*(payment-required|payment-signature|x-payment-response|payment-response|x-payment)\s*:\s*([A-Za-z0-9+/_=-]+)\s*$/i;

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
    if (m) out.push({ header: m[1], line: i + 1, value: decodeBase64Json(m[2]) });
  });
  return out;
}
