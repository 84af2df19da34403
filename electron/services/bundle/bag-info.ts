import { TokenOpsError } from '../../../shared/errors';
import { formatTagFile } from './bag-text';

const AGENT = 'TokenOps (https://in-toto.io/Statement/v1 + BagIt 1.0)';
const COMPUTED = new Set(['payload-oxum']);

/** Refuses bag-info fields that would corrupt the tag file or override what the writer computes. */
export function validateBagInfo(extra: Record<string, string>): void {
  for (const [label, value] of Object.entries(extra)) {
    if (!/^[^\s:][^:\r\n]*$/.test(label) || label !== label.trim()) {
      throw new TokenOpsError(
        'input_invalid',
        `bag-info label ${JSON.stringify(label)} is not valid: a label is one line, without ':' or surrounding spaces.`,
      );
    }
    if (COMPUTED.has(label.toLowerCase())) {
      throw new TokenOpsError(
        'input_invalid',
        `bag-info field ${label} is computed by the bundle writer and cannot be given.`,
      );
    }
    if (typeof value !== 'string' || /[\r\n]/.test(value)) {
      throw new TokenOpsError('input_invalid', `bag-info field ${label} must be a single line of text.`);
    }
  }
}

/** bag-info.txt: Bagging-Date, Payload-Oxum, Bag-Software-Agent, then the caller's fields (which may override date and agent). */
export function buildBagInfo(extra: Record<string, string>, oxum: string, now: Date): string {
  const fields = new Map<string, [string, string]>();
  const put = (k: string, v: string) => fields.set(k.toLowerCase(), [k, v]);
  put('Bagging-Date', now.toISOString().slice(0, 10));
  put('Payload-Oxum', oxum);
  put('Bag-Software-Agent', AGENT);
  for (const [k, v] of Object.entries(extra)) put(k, v);
  return formatTagFile([...fields.values()]);
}
