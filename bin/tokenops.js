#!/usr/bin/env node
// The `tokenops` command: runs the built CLI (npm run build makes out/cli/tokenops.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/tokenops.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('tokenops: the CLI is not built yet. Run `npm run build` in the TokenOps folder first.\n');
  process.exit(2);
}
const { main } = await import(built);
process.exitCode = await main(process.argv.slice(2));
