/**
 * The renderer's only door to TokenOps: unwraps `IpcResult` and turns failures into errors whose
 * message a person can act on. Nothing here touches Node; everything goes through `window.tokenops`.
 */
import { asIpcErrorCode, type IpcErrorCode } from '../../shared/errors';
import type {
  IpcChannel,
  IpcEvents,
  IpcInput,
  IpcOutput,
  IpcResult,
  PathGrant,
  TokenOpsApi,
} from '../../shared/ipc/contract';

class ApiError extends Error {
  readonly code: IpcErrorCode;
  readonly channel: string;
  constructor(code: IpcErrorCode, message: string, channel: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.channel = channel;
  }
}

function bridge(channel: string): TokenOpsApi {
  const api = window.tokenops;
  if (!api) {
    throw new ApiError(
      'not_connected',
      'TokenOps services are not connected. This window must be opened by the TokenOps app; restart the app and try again.',
      channel,
    );
  }
  return api;
}

/** Calls one channel and returns its value, or throws an `ApiError` carrying the service's own message. */
export async function call<C extends IpcChannel>(channel: C, input: IpcInput<C>): Promise<IpcOutput<C>> {
  const api = bridge(channel);
  const fn = api[channel] as unknown as ((i: IpcInput<C>) => Promise<IpcResult<IpcOutput<C>>>) | undefined;
  if (typeof fn !== 'function') {
    throw new ApiError('not_connected', `This version of TokenOps does not offer "${channel}".`, channel);
  }
  let result: IpcResult<IpcOutput<C>>;
  try {
    result = await fn(input);
  } catch (e) {
    throw new ApiError('bridge_failed', `TokenOps did not answer (${channel}): ${rawMessage(e)}`, channel);
  }
  if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
    throw new ApiError(
      'bridge_failed',
      `TokenOps sent an answer this window does not understand (${channel}).`,
      channel,
    );
  }
  if (result.ok) return result.value;
  const { code, message } = result.error ?? { code: 'internal', message: '' };
  throw new ApiError(
    asIpcErrorCode(code),
    message?.trim() || `TokenOps refused the request (${code || 'unknown error'}).`,
    channel,
  );
}

/** A grant for a dropped file (Electron: the preload resolves it with webUtils.getPathForFile; main issues it). */
export async function grantForFile(file: File): Promise<PathGrant> {
  const api = bridge('grantForFile');
  let result: IpcResult<PathGrant>;
  try {
    result = await api.grantForFile(file);
  } catch (e) {
    throw new ApiError('bridge_failed', `TokenOps did not answer (drop): ${rawMessage(e)}`, 'grantForFile');
  }
  if (result?.ok) return result.value;
  throw new ApiError(
    asIpcErrorCode(result?.error?.code),
    result?.error?.message || `"${file.name}" has no path on disk (was it dragged from another application?).`,
    'grantForFile',
  );
}

/** Subscribes to progress events; returns the unsubscribe function (a no-op when not connected). */
export function onProgress(listener: (p: IpcEvents['progress']) => void): () => void {
  const api = window.tokenops;
  if (!api || typeof api.onProgress !== 'function') return () => {};
  return api.onProgress(listener);
}

function rawMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : 'unknown error';
}

/** Human words for an error code, used as the headline when the caller has none. */
const CODE_TITLES: Record<IpcErrorCode, string> = {
  usage: 'Not a request TokenOps understands',
  check_failed: 'A check failed',
  internal: 'Something went wrong inside TokenOps',
  no_path: 'No file on disk',
  input_invalid: 'Some values are not valid',
  not_found: 'Not found',
  conflict: 'Not possible in this state',
  locked: 'The data folder is in use',
  corrupt_store: 'Stored data is damaged',
  secret_found: 'A secret was found',
  insufficient_evidence: 'Evidence is not sufficient',
  insufficient_credits: 'Not enough credits',
  bundle_invalid: 'The bundle is not valid',
  ledger_tampered: 'The ledger does not verify',
  cancelled: 'Cancelled',
  delivery_failed: 'Callback delivery failed',
  private_destination: 'A private callback address',
  not_connected: 'Not connected',
  bridge_failed: 'No answer from TokenOps',
};

/** The code of an error TokenOps answered with, for the few a screen handles itself. */
export function errorCode(e: unknown): IpcErrorCode | undefined {
  return e instanceof ApiError ? e.code : undefined;
}

export function errorTitle(e: unknown): string | undefined {
  return e instanceof ApiError ? CODE_TITLES[e.code] : undefined;
}

/** The message to show a person for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return 'Something unexpected went wrong. Try again; if it keeps happening, restart TokenOps.';
}
