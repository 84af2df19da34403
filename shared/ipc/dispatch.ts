import { TokenOpsError, isTokenOpsError } from '../errors';
import type { IpcChannel, IpcResult } from './contract';
import { IPC_CONTRACT } from './contract';
import { validateIpcInput } from '../validate';

export type Handler = (input: never) => Promise<unknown>;
export type Dispatch = (channel: string, input: unknown) => Promise<IpcResult<unknown>>;

/**
 * What Electron main does with every IPC call, in one place so the end-to-end bridge does exactly the same:
 * refuse unknown channels, validate the input against the contract's schema, run the handler,
 * and return errors as data (code + message for a person) rather than as thrown exceptions.
 */
export function createDispatcher(
  handlers: Partial<Record<IpcChannel, Handler>>,
  log: (e: unknown) => void = () => {},
): Dispatch {
  return async (channel, input) => {
    try {
      if (!Object.hasOwn(IPC_CONTRACT, channel)) throw new TokenOpsError('usage', `Unknown channel "${channel}".`);
      const handler = handlers[channel as IpcChannel];
      if (!handler) throw new TokenOpsError('usage', `Channel "${channel}" has no handler here.`);
      const checked = validateIpcInput(channel as IpcChannel, input ?? {});
      if (!checked.ok)
        throw new TokenOpsError('input_invalid', `Invalid input for ${channel}: ${checked.errors.join('; ')}`);
      return { ok: true, value: await handler(input as never) };
    } catch (e) {
      if (isTokenOpsError(e)) return { ok: false, error: { code: e.code, message: e.message } };
      log(e);
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `Something went wrong inside TokenOps: ${(e as Error)?.message ?? String(e)}. Nothing was lost; the details are in the log.`,
        },
      };
    }
  };
}
