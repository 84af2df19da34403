/** The run store: durable per-run lowdb documents plus a derived index. See run-store.ts. */
export { openRunStore } from './run-store';
export type { RunStore, RunStoreOptions } from './types';
