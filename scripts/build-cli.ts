// Bundles the `tokenops` CLI into one ESM file; npm packages stay external (they are dependencies).
import { build } from 'esbuild';

await build({
  entryPoints: ['electron/cli.ts'],
  outfile: 'out/cli/tokenops.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
