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
}
