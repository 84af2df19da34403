/**
 * Precompiles every TokenOps JSON Schema (shared/schemas) and every IPC input schema
 * (shared/ipc/contract.ts) into standalone validators:
 *
 *   shared/generated/validators.js    ESM, self-contained (no imports), one named export per schema
 *                                     plus `ipcInputValidators` keyed by channel
 *   shared/generated/validators.d.ts  their types
 *
 * Why: ajv compiles schemas with `new Function`, which the renderer's strict CSP forbids. Here ajv
 * emits standalone source instead; its few runtime helpers (ucs2length, deep equal, ajv-formats'
 * date-time check) are `require`d by that source, so the source is bundled with esbuild into one ESM
 * file without imports that Node, Vite and the renderer can all load. The script refuses to write
 * output containing `new Function` or `eval`.
 *
 * Run: `npm run gen:validators` (part of `npm run build`); vitest runs it through
 * test/setup/generate-validators.ts when the output is missing or stale.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020';
import standaloneCodeModule from 'ajv/dist/standalone';
import addFormatsModule from 'ajv-formats';
import { build } from 'esbuild';
import { SCHEMAS, SCHEMA_NAMES } from '../shared/schemas/index';
import { IPC_CHANNELS, IPC_CONTRACT } from '../shared/ipc/contract';

// CommonJS packages seen from ESM: the class/function may sit on `.default`.
type Ctor<T> = new (opts: Record<string, unknown>) => T;
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as Ctor<
  import('ajv/dist/2020').default
>;
const standaloneCode = ((standaloneCodeModule as unknown as { default?: unknown }).default ??
  standaloneCodeModule) as typeof standaloneCodeModule;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'shared', 'generated');
export const OUT_JS = join(OUT_DIR, 'validators.js');
export const OUT_DTS = join(OUT_DIR, 'validators.d.ts');
/** Files whose change makes the generated validators stale (directories are scanned for *.ts). */
export const GENERATOR_INPUTS = [
  join(ROOT, 'shared', 'schemas'),
  join(ROOT, 'shared', 'ipc', 'contract.ts'),
  join(ROOT, 'scripts', 'gen-validators.ts'),
];

/** Export name of the compiled input validator of an IPC channel: `runs.setPreRun` → `ipc_runs_setPreRun`. */
export function ipcExportName(channel: string): string {
  return 'ipc_' + channel.replace(/[^A-Za-z0-9_]/g, '_');
}

const FORBIDDEN = /new\s+Function\b|\bFunction\s*\(|\beval\s*\(/;

export interface GenerateResult {
  js: string;
  dts: string;
  schemaExports: string[];
  ipcExports: Record<string, string>;
}

/** Compiles everything and returns the file contents (does not write). */
export async function generateValidatorsSource(): Promise<GenerateResult> {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    // `string | null` fields are written as `type: ["string", "null"]`.
    allowUnionTypes: true,
    // evidence_record chooses its branch by `kind`, so only that branch reports errors.
    discriminator: true,
    code: { source: true, esm: true },
  });
  addFormats(ajv);

  const exportsMap: Record<string, string> = {};
  for (const name of SCHEMA_NAMES) {
    const schema = SCHEMAS[name] as unknown as { $id: string };
    ajv.addSchema(schema as object);
    exportsMap[name] = schema.$id;
  }
  const ipcExports: Record<string, string> = {};
  for (const channel of IPC_CHANNELS) {
    const exportName = ipcExportName(channel);
    if (exportsMap[exportName]) throw new Error(`Export name clash: ${exportName}`);
    const key = `tokenops-ipc:${channel}`;
    // A deep copy: the contract shares fragments between channels, and ajv caches schemas by object.
    ajv.addSchema(JSON.parse(JSON.stringify(IPC_CONTRACT[channel].input)), key);
    exportsMap[exportName] = key;
    ipcExports[channel] = exportName;
  }
  // Compile each now, so a schema error names its schema.
  for (const [exportName, key] of Object.entries(exportsMap)) {
    try {
      ajv.getSchema(key);
    } catch (e) {
      throw new Error(`Schema "${exportName}" does not compile: ${(e as Error).message}`, { cause: e });
    }
  }

  let code = standaloneCode(ajv, exportsMap);
  code +=
    '\nexport const ipcInputValidators = {\n' +
    IPC_CHANNELS.map((c) => `  ${JSON.stringify(c)}: ${ipcExports[c]},`).join('\n') +
    '\n};\n';

  // Inline ajv's runtime helpers (required by the standalone code) into one import-free ESM file.
  const bundled = await build({
    stdin: { contents: code, resolveDir: ROOT, sourcefile: 'validators.standalone.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    legalComments: 'none',
    // Generated code is not read by people; ~4x smaller for the renderer bundle.
    minify: true,
    logLevel: 'silent',
  });
  const body = bundled.outputFiles[0].text;
  const js =
    '// GENERATED by scripts/gen-validators.ts from shared/schemas and shared/ipc/contract.ts. Do not edit.\n' +
    '// Standalone ajv validators: no run-time schema compilation (safe under a strict CSP).\n' +
    '/* eslint-disable */\n' +
    body;

  const match = FORBIDDEN.exec(js);
  if (match) {
    throw new Error(`Generated validators contain "${match[0]}": the renderer's CSP forbids it.`);
  }
  // esbuild fails on a require it cannot resolve, and leaves a throwing shim for a dynamic one.
  if (js.includes('Dynamic require of') || /^\s*import[\s{*]/m.test(js)) {
    throw new Error('Generated validators still import or require something: they must be self-contained.');
  }

  const schemaExports = [...SCHEMA_NAMES];
  const dts = [
    '// GENERATED by scripts/gen-validators.ts. Do not edit.',
    '/** One error as ajv reports it. */',
    'export interface ValidatorError {',
    '  instancePath: string;',
    '  schemaPath: string;',
    '  keyword: string;',
    '  params: Record<string, any>;',
    '  message?: string;',
    '}',
    '/** A precompiled validator: returns whether `data` is valid; errors are left on `.errors`. */',
    'export interface CompiledValidator {',
    '  (data: unknown): boolean;',
    '  errors?: ValidatorError[] | null;',
    '}',
    ...schemaExports.map((n) => `export declare const ${n}: CompiledValidator;`),
    ...IPC_CHANNELS.map((c) => `export declare const ${ipcExports[c]}: CompiledValidator;`),
    '/** Compiled IPC input validators, keyed by channel. */',
    'export declare const ipcInputValidators: {',
    ...IPC_CHANNELS.map((c) => `  readonly ${JSON.stringify(c)}: CompiledValidator;`),
    '};',
    '',
  ].join('\n');

  return { js, dts, schemaExports, ipcExports };
}

/** Writes shared/generated/validators.{js,d.ts}, each atomically (temp file + rename). */
export async function generateValidators(): Promise<GenerateResult> {
  const result = await generateValidatorsSource();
  mkdirSync(OUT_DIR, { recursive: true });
  writeAtomic(OUT_DTS, result.dts);
  writeAtomic(OUT_JS, result.js);
  return result;
}

function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  generateValidators().then(
    (r) => {
      const size = readFileSync(OUT_JS).length;
      console.log(
        `gen:validators: ${r.schemaExports.length} schemas + ${Object.keys(r.ipcExports).length} IPC inputs → ` +
          `shared/generated/validators.js (${(size / 1024).toFixed(0)} KiB)`,
      );
    },
    (e: unknown) => {
      console.error(`gen:validators failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
