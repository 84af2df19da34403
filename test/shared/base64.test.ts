import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, encodeBase64Url } from '../../shared/base64';

describe('decodeBase64Strict', () => {
  it('decodes what Buffer encodes, in both alphabets, padded or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const buf = Buffer.from(bytes);
        for (const text of [buf.toString('base64'), buf.toString('base64url')]) {
          expect(Buffer.from(decodeBase64Strict(text)!)).toEqual(buf);
        }
        expect(Buffer.from(decodeBase64Strict(buf.toString('base64'), { urlSafe: false, padded: true })!)).toEqual(buf);
      }),
    );
  });

  it('refuses what Buffer would leniently decode', () => {
    const good = randomBytes(32).toString('base64');
    for (const bad of [
      `${good.slice(0, 10)}!${good.slice(11)}`,
      `${good} `,
      `a${good}`.slice(0, 45),
      'abc=d',
      'ab===',
      'é',
    ]) {
      expect(decodeBase64Strict(bad), bad).toBeNull();
    }
    // URL-safe characters only where allowed; padding only where it completes a quantum.
    expect(decodeBase64Strict('ab-_', { urlSafe: false })).toBeNull();
    expect(decodeBase64Strict('ab-_')).not.toBeNull();
    expect(decodeBase64Strict('abc', { padded: true })).toBeNull();
    expect(decodeBase64Strict('abc=', { padded: true })).not.toBeNull();
    expect(decodeBase64Strict('ab=')).toBeNull();
  });
});

describe('encodeBase64Url', () => {
  it('writes what Buffer writes as base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(encodeBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });
});
