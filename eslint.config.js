// ESLint flat config. The layer table below is the architecture's import rule, enforced by
// .eslint/rules/layers.js (each folder → what its files may import; the longest matching folder wins).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './.eslint/rules/layers.js';

/** @type {import('./.eslint/rules/layers.js').LayerRow[]} */
export const LAYER_TABLE = [
  // Pure core: the domain, evaluation, schemas and the IPC contract. Runs in Node, the renderer and workers.
  { folder: 'shared', may: ['shared'] },
  // Node services: everything the CLI and the app do. Never the Electron API, so Node alone tests them.
  { folder: 'electron/services', may: ['shared', 'electron/services'], builtins: true, packages: true },
  // The CLI: argument parsing and printing over the services.
  { folder: 'electron/cli', may: ['shared', 'electron/services', 'electron/cli'], builtins: true, packages: true },
  { folder: 'electron/cli.ts', may: ['shared', 'electron/services', 'electron/cli'], builtins: true, packages: true },
  // The Electron main process: the thin shell (windows, dialogs, IPC) over the services.
  {
    folder: 'electron/main',
    may: ['shared', 'electron/services', 'electron/main'],
    builtins: true,
    packages: true,
    electron: true,
  },
  // The preload sees only the IPC contract and Electron's bridge.
  { folder: 'electron/preload', may: ['shared/ipc', 'electron/preload'], electron: true },
  // The renderer: React over the contract; no Node, no Electron.
  { folder: 'renderer/src', may: ['shared', 'renderer/src'], packages: true },
];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'shared/schemas/generated/**', 'docs/**', 'resources/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      ecmaVersion: 2022,
      sourceType: 'module',
      parserOptions: { tsconfigRootDir: import.meta.dirname },
    },
    plugins: { tokenops: { rules: { layers } } },
    rules: {
      'tokenops/layers': ['error', { root: import.meta.dirname, table: LAYER_TABLE }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      eqeqeq: ['error', 'smart'],
      'prefer-const': ['error', { destructuring: 'all' }],
      // Comma-operator statements hide a step; write them as plain statements.
      'no-sequences': 'error',
      'no-console': 'off',
    },
  },
  {
    // Tests read untyped JSON documents (CLI --json output, bundle files) and poke at them.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The command's launcher is CommonJS (bin/package.json): it must run before the ES module loader.
    files: ['bin/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
