import { describe, expect, it } from 'vitest';
import { TokenOpsError, asIpcErrorCode } from '../../shared/errors';
import { createDispatcher } from '../../shared/ipc/dispatch';

describe('error codes over IPC', () => {
  it('a service error keeps its code; an unexpected throw is `internal`; an unknown wire code reads as `internal`', async () => {
    const dispatch = createDispatcher(
      {
        'settings.get': async () => {
          throw new TokenOpsError('locked', 'The data folder is in use by another TokenOps.');
        },
        'ledger.get': async () => {
          throw new Error('boom');
        },
      },
      () => {},
    );
    expect(await dispatch('settings.get', {})).toEqual({
      ok: false,
      error: { code: 'locked', message: 'The data folder is in use by another TokenOps.' },
    });
    const internal = await dispatch('ledger.get', {});
    expect(internal.ok === false && internal.error.code).toBe('internal');
    expect(asIpcErrorCode('secret_found')).toBe('secret_found');
    expect(asIpcErrorCode('made_up_by_a_newer_version')).toBe('internal');
    expect(asIpcErrorCode(42)).toBe('internal');
  });
});
