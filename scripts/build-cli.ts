// Bundles the `tokenops` CLI into one ESM file (and its intake worker into another); npm packages stay external (they are dependencies).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a content hash: start from an empty folder so old chunks do not pile up.
rmSync('out/cli', { recursive: true, force: true });

// The intake worker is its own file beside the CLI: a worker thread starts from a file.
await build({
  entryPoints: { tokenops: 'electron/cli.ts', 'examine-worker': 'electron/services/intake/examine-worker.ts' },
  outdir: 'out/cli',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // A dynamic import() becomes a chunk of its own, so `tokenops mcp`'s SDK is not loaded by every command.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
