import { BAG_INFO_TXT, IN_TOTO_STATEMENT_V1, PAYLOAD_DIR } from './bag-layout';
import { listSome, type CheckOutcome } from './check-result';
import type { EntryDigest } from './zip-content';

/**
 * The signed in-toto statement must name exactly the payload files, with their actual SHA-256, plus
 * bag-info.txt (which names the run; the tag manifest that also lists it is not signed).
 */
export function checkSubjects(body: Buffer, files: Map<string, EntryDigest>): CheckOutcome & { statement?: unknown } {
  let statement: unknown;
  try {
    statement = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return { ok: false, message: `The signed payload is not JSON (${(e as Error).message}).` };
  }
  const s = statement as { _type?: unknown; subject?: unknown; predicateType?: unknown };
  if (s?._type !== IN_TOTO_STATEMENT_V1)
    return {
      ok: false,
      message: `The signed payload is not an in-toto Statement v1 (_type ${JSON.stringify(s?._type)}).`,
      statement,
    };
  if (!Array.isArray(s.subject) || typeof s.predicateType !== 'string')
    return { ok: false, message: 'The signed statement has no subject list or no predicateType.', statement };

  const signed = new Map<string, string>();
  for (const sub of s.subject as Array<{ name?: unknown; digest?: { sha256?: unknown } }>) {
    const sha = sub?.digest?.sha256;
    if (typeof sub?.name !== 'string' || typeof sha !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha)) {
      return {
        ok: false,
        message: `A signed subject is malformed (needs a name and a sha256 digest): ${JSON.stringify(sub).slice(0, 200)}.`,
        statement,
      };
    }
    if (signed.has(sub.name))
      return { ok: false, message: `The signed statement names ${JSON.stringify(sub.name)} twice.`, statement };
    signed.set(sub.name, sha.toLowerCase());
  }

  const bagInfo = files.get(BAG_INFO_TXT);
  const signedBagInfo = signed.get(BAG_INFO_TXT);
  signed.delete(BAG_INFO_TXT);

  const payload = [...files].filter(([p]) => p.startsWith(PAYLOAD_DIR));
  const unsigned = payload.filter(([p]) => !signed.has(p)).map(([p]) => p);
  const present = new Set(payload.map(([p]) => p));
  const absent = [...signed.keys()].filter((p) => !present.has(p));
  const differ = payload.filter(([p, d]) => signed.has(p) && signed.get(p) !== d.sha256).map(([p]) => p);
  const problems: string[] = [];
  if (unsigned.length) problems.push(`payload files not covered by the signature: ${listSome(unsigned)}`);
  if (absent.length) problems.push(`signed files missing from the bundle: ${listSome(absent)}`);
  if (differ.length) problems.push(`payload files whose content differs from what was signed: ${listSome(differ)}`);
  if (!signedBagInfo)
    problems.push(
      'bag-info.txt is not covered by the signature, so its run identifier and dates could have been changed after signing',
    );
  else if (!bagInfo || bagInfo.sha256 !== signedBagInfo) problems.push('bag-info.txt differs from what was signed');
  if (problems.length)
    return {
      ok: false,
      message: `The signed statement does not match the payload: ${problems.join('; ')}.`,
      statement,
    };
  return {
    ok: true,
    message: `The signed statement covers exactly the ${payload.length} payload files and bag-info.txt with matching SHA-256 digests (predicate ${s.predicateType}).`,
    statement,
  };
}
