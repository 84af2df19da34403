#!/usr/bin/env node
// The `tokenops` command: runs the built CLI (npm run build makes out/cli/tokenops.js).
// CommonJS (bin/package.json), so this runs before Node's ES module loader first uses the thread pool:
// the pool's size is fixed then. Intake and export fsync many files side by side, and blocked fsyncs
// hold pool threads: 32 instead of the default 4 made 1,000 fsyncs about three times faster.
'use strict';
process.env.UV_THREADPOOL_SIZE ??= '32';
// V8's memory-saving mode (what Chrome runs on low-memory devices), set before the CLI allocates: a pack
// reads and writes every evidence file through short-lived buffers, and with V8's default heap growth a
// pack of 4,000 logs of 50 KiB peaked at 176-227 MiB RSS (GC timing decides). With it: 126-140 MiB, about
// 5% slower (interleaved runs: 4.9 s against 4.7 s median). The flag is process-wide, so the intake
// workers get it too. Node documents runtime flags as use-with-care; this one only changes heuristics.
require('node:v8').setFlagsFromString('--optimize-for-size');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const built = join(__dirname, '..', 'out', 'cli', 'tokenops.js');
if (!existsSync(built)) {
  process.stderr.write('tokenops: the CLI is not built yet. Run `npm run build` in the TokenOps folder first.\n');
  process.exit(2);
}
import(pathToFileURL(built).href)
  .then(({ main }) => main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  });
