/**
 * Writes index.json without re-serialising every summary on each save. Each summary is stored as an
 * immutable copy made from its JSON (exactly what a reopen would read back), and that JSON is reused
 * until the summary is replaced: a save at 10,000 runs joins cached strings (a few ms) instead of
 * running JSON.stringify over several MiB while updates wait.
 */
import type { IndexDoc } from './index-load';

export class IndexSerializer<S> {
  private readonly json = new WeakMap<object, string>();

  /** The frozen copy of `summary` to keep in the index; the caller's object stays the caller's. */
  adopt(summary: S): S {
    const json = JSON.stringify(summary);
    if (json === undefined) return null as S; // like JSON: undefined becomes null
    const copy = deepFreeze(JSON.parse(json) as S);
    if (typeof copy === 'object' && copy !== null) this.json.set(copy, json);
    return copy;
  }

  /** For summaries parsed from index.json: already private copies, so only frozen (JSON computed on first save). */
  adoptParsed(summary: S): S {
    return deepFreeze(summary);
  }

  serialize(doc: IndexDoc<S>): string {
    const parts: string[] = [];
    for (const [id, summary] of Object.entries(doc.runs)) {
      let json = typeof summary === 'object' && summary !== null ? this.json.get(summary) : undefined;
      if (json === undefined) {
        json = JSON.stringify(summary) ?? 'null';
        if (typeof summary === 'object' && summary !== null) this.json.set(summary, json);
      }
      parts.push(`${JSON.stringify(id)}:${json}`);
    }
    return `{"version":1,"runs":{${parts.join(',')}}}\n`;
  }
}

function deepFreeze<V>(value: V): V {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
