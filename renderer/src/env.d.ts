import type { TokenOpsApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Exposed by the preload (or the end-to-end bridge): the only way the page reaches TokenOps services. */
    tokenops?: TokenOpsApi;
  }
}

export {};
