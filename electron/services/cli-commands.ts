/** The CLI's commands as the manifest publishes them (electron/cli.ts implements exactly these; a test checks). */
export const CLI_COMMANDS = [
  'manifest',
  'run create',
  'run list',
  'run show',
  'evidence add',
  'evaluate',
  'package',
  'verify',
  'receipt list',
  'receipt verify',
  'callback set',
  'callback send',
  'exception list',
  'replay',
  'pack',
  'key',
] as const;
