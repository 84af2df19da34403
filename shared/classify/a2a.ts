/**
 * A2A (Agent2Agent) wrappers: AP2 v0.1 travels inside A2A messages and artifacts as DataParts.
 * Learned from the A2A specification (a2aproject/A2A, specification/json/a2a.json: Message `{kind: "message",
 * messageId, role, parts[]}`, Artifact `{artifactId, parts[]}`, Task `{kind: "task", id, artifacts[], history[]}`,
 * DataPart `{kind: "data", data{…}}`) and the AP2 samples that put `ap2.mandates.CartMandate`,
 * `ap2.mandates.PaymentMandate` and `ap2.PaymentReceipt` under a DataPart's `data`.
 *
 * Each DataPart's `data` is classified as evidence of its own; text and file parts carry no record.
 * The shapes are few and stable, so they are read here rather than through `@a2a-js/sdk` (whose types
 * would bring the SDK's server and client into the pure core).
 */
import type { FamilyClassifier } from './types';
import { isObj, notEvidence, type Obj } from './values';

function dataParts(o: Obj): unknown[] {
  const out: unknown[] = [];
  const fromParts = (parts: unknown) => {
    if (!Array.isArray(parts)) return;
    for (const p of parts) {
      // `kind` in A2A ≥ 0.2.5, `type` in earlier drafts.
      if (isObj(p) && ((p as Obj).kind === 'data' || (p as Obj).type === 'data') && isObj((p as Obj).data))
        out.push((p as Obj).data);
    }
  };
  fromParts(o.parts);
  for (const list of [o.artifacts, o.history]) {
    if (Array.isArray(list)) for (const a of list) if (isObj(a)) fromParts((a as Obj).parts);
  }
  const status = o.status;
  if (isObj(status) && isObj((status as Obj).message)) fromParts(((status as Obj).message as Obj).parts);
  return out;
}

function isA2a(o: Obj): boolean {
  if (o.kind === 'message' && Array.isArray(o.parts)) return true;
  if (typeof o.artifactId === 'string' && Array.isArray(o.parts)) return true;
  return o.kind === 'task' && (Array.isArray(o.artifacts) || Array.isArray(o.history));
}

export const classifyA2a: FamilyClassifier = (o, ctx) => {
  if (!isA2a(o)) return null;
  const data = dataParts(o);
  if (!data.length)
    return notEvidence(`A2A ${String(o.kind ?? 'artifact')} holds no data part: no evidence record in it`);
  return ctx.classify(data);
};
