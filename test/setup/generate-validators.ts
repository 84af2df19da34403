/**
 * vitest globalSetup: makes sure shared/generated/validators.{js,d.ts} exist and are newer than the
 * schemas, the IPC contract and the generator; regenerates them otherwise. The generated folder is
 * gitignored (`npm run build` generates it), so a fresh checkout can run `vitest` directly.
 *
 * Parallel test processes in the same tree are safe: the generator writes each file atomically.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATOR_INPUTS, OUT_DTS, OUT_JS, generateValidators } from '../../scripts/gen-validators';

function newestInput(paths: readonly string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (st.isDirectory()) {
      const children = readdirSync(p)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(p, f));
      newest = Math.max(newest, newestInput(children));
    } else {
      newest = Math.max(newest, st.mtimeMs);
    }
  }
  return newest;
}

export function validatorsAreStale(): boolean {
  if (!existsSync(OUT_JS) || !existsSync(OUT_DTS)) return true;
  const output = Math.min(statSync(OUT_JS).mtimeMs, statSync(OUT_DTS).mtimeMs);
  return newestInput(GENERATOR_INPUTS) > output;
}

export default async function setup(): Promise<void> {
  if (!validatorsAreStale()) return;
  const started = Date.now();
  const result = await generateValidators();
  console.log(
    `[globalSetup] generated shared/generated/validators.js (${result.schemaExports.length} schemas, ` +
      `${Object.keys(result.ipcExports).length} IPC inputs) in ${Date.now() - started} ms`,
  );
}
