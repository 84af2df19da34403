/**
 * One webhook POST with node:http / node:https.
 * Why not fetch: node:http never follows redirects (there is no option to get wrong), and one timer
 * that destroys the request bounds the whole exchange — DNS, connect, TLS, headers and body — which a
 * fetch AbortSignal only does if every later body read is wired to it. `agent: false` gives each
 * attempt its own connection, so nothing lingers between retries minutes apart.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { privateAddressKind } from './private-address';

interface PostRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The operator allowed a loopback or private address; otherwise a name resolving to one is refused. */
  allowPrivate?: boolean;
}

/**
 * dns.lookup, refusing a name that resolves to a loopback or private address: the URL was checked when it
 * was set, but a public name can point (or be re-pointed) at 127.0.0.1 or a metadata service. Node calls
 * this with `all: true` (happy eyeballs, the default since Node 20) or for a single address.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const found = addresses.find((a) => privateAddressKind(a.address));
    if (found) {
      const refused = Object.assign(
        new Error(
          `${hostname} resolves to ${found.address}, ${privateAddressKind(found.address)}; set the callback again with --allow-private if that receiver is meant`,
        ),
        { code: 'EPRIVATE' },
      );
      return callback(refused, '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};

export type PostOutcome =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      location?: string;
      retryAfter?: string;
      bodySnippet: string;
    }
  /** `refused`: not sent at all (a private address the operator did not allow); retrying would not help. */
  | { kind: 'error'; error: string; timedOut: boolean; refused?: true };

/** Swappable for a proxy-aware sender; must not follow redirects. */
export type Transport = (request: PostRequest) => Promise<PostOutcome>;

/** Enough of the receiver's answer to explain a failure, never a whole page. */
const SNIPPET_BYTES = 300;

function describeError(err: NodeJS.ErrnoException, url: URL): string {
  const where = url.host;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (ECONNREFUSED): nothing is listening there`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${url.hostname} could not be resolved (${err.code})`;
    case 'ECONNRESET':
      return `connection to ${where} was reset (ECONNRESET)`;
    case 'EPRIVATE':
      return `refused: ${err.message}`;
    default:
      return `request to ${where} failed: ${err.message}${err.code ? ` (${err.code})` : ''}`;
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export const postWebhook: Transport = (request) =>
  new Promise<PostOutcome>((resolve) => {
    const { url, timeoutMs } = request;
    const literal = request.allowPrivate ? null : privateAddressKind(url.hostname);
    if (literal) {
      // A destination stored before the check existed; an address literal never reaches the lookup below.
      resolve({
        kind: 'error',
        timedOut: false,
        refused: true,
        error: `refused: ${url.host} is ${literal}; set the callback again with --allow-private if that receiver is meant`,
      });
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    let timedOut = false;
    // Set once the request is under way; `finish` may run first (a synchronous error) and sees undefined.
    // eslint-disable-next-line prefer-const
    let timer: NodeJS.Timeout | undefined;
    let answered: Extract<PostOutcome, { kind: 'response' }> | undefined;
    const chunks: Buffer[] = [];
    let kept = 0;

    const finish = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const finishAnswered = (): void => {
      if (!answered) return;
      const snippet = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
      finish({ ...answered, bodySnippet: snippet });
    };
    const onResponse = (res: http.IncomingMessage): void => {
      answered = {
        kind: 'response',
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        location: firstHeader(res.headers.location),
        retryAfter: firstHeader(res.headers['retry-after']),
        bodySnippet: '',
      };
      res.on('data', (chunk: Buffer) => {
        if (kept < SNIPPET_BYTES) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      res.on('end', finishAnswered);
      // The status is what counts; a body cut short (or timed out) does not change it.
      res.on('error', finishAnswered);
      res.on('close', finishAnswered);
    };

    let req: http.ClientRequest;
    try {
      const headers = { ...request.headers, 'content-length': String(Buffer.byteLength(request.body, 'utf8')) };
      const lookup = request.allowPrivate ? {} : { lookup: publicOnlyLookup };
      req = client.request(url, { method: 'POST', agent: false, headers, ...lookup }, onResponse);
    } catch (err) {
      // e.g. a header value Node refuses: reported like any other failed attempt.
      finish({ kind: 'error', timedOut: false, error: describeError(err as NodeJS.ErrnoException, url) });
      return;
    }

    timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);

    req.on('error', (err: NodeJS.ErrnoException) => {
      if (answered) return finishAnswered();
      finish({
        kind: 'error',
        timedOut,
        ...(err.code === 'EPRIVATE' ? { refused: true as const } : {}),
        error: timedOut ? `no answer from ${url.host} within ${timeoutMs} ms (timed out)` : describeError(err, url),
      });
    });

    req.end(request.body);
  });
