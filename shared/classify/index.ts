/**
 * Evidence classification: a JSON value -> our normalised evidence records, by the value's SHAPE.
 * Pure and deterministic. Each provider family lives in its own module and says which fields it maps
 * and where its shapes were learned; this file only dispatches.
 *
 * Order matters only where shapes could overlap: explicit markers first (our `kind`, `x402Version`,
 * Stripe's `object`, AP2's mandate keys, the seed's `receipt_type`/`package_type`), then our record
 * fields without `kind`, which is the loosest match.
 */
import { classifyA2a } from './a2a';
import { classifyAcp } from './acp';
import { classifyAp2 } from './ap2';
import { classifyAp2V02 } from './ap2-v02';
import { classifyHar } from './har';
import { classifyStripe } from './stripe';
import { classifyKindless, classifyTokenOpsRecord, classifyTokenOpsSeed } from './tokenops';
import type { ClassifyContext, ClassifyResult, FamilyClassifier, FamilyContext } from './types';
import { describeValue, isObj } from './values';
import { classifyX402 } from './x402';
import { append } from '../append';

export type { ClassifyContext, ClassifyResult } from './types';
export { checkDuplicateKeys, parseEvidenceText } from './parse';
export { minorUnitsToDecimal } from './values';

const FAMILIES: ReadonlyArray<[string, FamilyClassifier]> = [
  ['TokenOps record', classifyTokenOpsRecord],
  ['HTTP archive', classifyHar],
  ['x402', classifyX402],
  ['Stripe', classifyStripe],
  ['A2A', classifyA2a],
  // Before v0.1: both use the A2A key `ap2.PaymentReceipt`, and v0.1 names an unknown shape under it.
  ['AP2 v0.2', classifyAp2V02],
  ['AP2', classifyAp2],
  ['ACP', classifyAcp],
  ['TokenOps seed object', classifyTokenOpsSeed],
  ['TokenOps record fields', classifyKindless],
];

/** Wrappers (arrays, lists, events) nest; real exports are shallow, so deeper nesting is refused rather than recursed. */
const MAX_DEPTH = 4;

export function classifyJson(value: unknown, ctx: ClassifyContext = {}): ClassifyResult {
  return classifyAt(value, ctx, 0);
}

function classifyAt(value: unknown, ctx: ClassifyContext, depth: number): ClassifyResult {
  if (depth > MAX_DEPTH)
    return { records: [], unrecognised: `${describeValue(value)} is nested too deeply to be evidence` };
  if (Array.isArray(value)) return classifyArray(value, ctx, depth);
  if (!isObj(value)) return { records: [], unrecognised: `${describeValue(value)} is not an evidence object` };

  const family: FamilyContext = { ...ctx, classify: (inner) => classifyAt(inner, ctx, depth + 1) };
  for (const [name, classify] of FAMILIES) {
    try {
      const result = classify(value, family);
      if (result) return result;
    } catch (e) {
      // A mapper bug must not turn well-formed JSON into a crash; say what happened instead.
      return {
        records: [],
        unrecognised: `${describeValue(value)} could not be read as ${name}: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  }
  return { records: [], unrecognised: `${describeValue(value)} matches no known evidence shape` };
}

function classifyArray(items: unknown[], ctx: ClassifyContext, depth: number): ClassifyResult {
  if (!items.length) return { records: [], unrecognised: 'JSON array is empty: no evidence in it' };
  const out: ClassifyResult = { records: [], unrecognised: null };
  const problems: string[] = [];
  items.forEach((item, index) => {
    const r = classifyAt(item, ctx, depth + 1);
    append(out.records, r.records);
    if (r.pre_run) out.pre_run = { ...out.pre_run, ...r.pre_run };
    if (r.unrecognised) problems.push(`item ${index + 1}: ${r.unrecognised}`);
  });
  if (problems.length) {
    const shown = problems.slice(0, 5).join('; ');
    out.unrecognised = problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown;
  }
  return out;
}
