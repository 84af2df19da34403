import type { Run, RunSummary } from '../../shared/domain/run';
import type { Progress } from '../../shared/progress';
import type { HomeLayout } from './home';
import type { RunStore } from './store';

/** What every command of the facade works with; built once by openTokenOps. */
export interface ServiceContext {
  layout: HomeLayout;
  store: RunStore<Run, RunSummary>;
  now: () => string;
  newId: (prefix: string) => string;
  onProgress?: (p: Progress & { run_id?: string }) => void;
  /**
   * The receipt the ledger holds for a run, if any. The receipt ledger is the source of truth for debits:
   * a run with a receipt is packaged, whatever a restored run file says, so its evidence is frozen.
   */
  receiptFor?: (runId: string) => Promise<string | undefined>;
}
