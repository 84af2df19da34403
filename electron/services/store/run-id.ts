/**
 * Run ids become file names (`runs/<run_id>.json`), so they are restricted to a portable, path-safe set.
 * Names Windows reserves for devices, and `index` (the index document), are refused as well.
 */
import { TokenOpsError } from '../../../shared/errors';

const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
const RESERVED = /^(index|con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

export function isValidRunId(id: unknown): id is string {
  return typeof id === 'string' && RUN_ID_PATTERN.test(id) && !RESERVED.test(id);
}

export function assertRunId(id: unknown): asserts id is string {
  if (isValidRunId(id)) return;
  const shown = typeof id === 'string' ? JSON.stringify(id.length > 100 ? id.slice(0, 100) + '…' : id) : String(id);
  const why =
    typeof id === 'string' && RUN_ID_PATTERN.test(id)
      ? 'is a reserved name'
      : 'must be 1 to 80 characters from A-Z, a-z, 0-9, "_" and "-"';
  throw new TokenOpsError('input_invalid', `Run id ${shown} ${why}. Use an id such as "run_2024-05-01_a1b2".`, {
    run_id: id,
  });
}
