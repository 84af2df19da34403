import type { Evaluation } from '../../../shared/domain/evaluation';
import { ItemList } from './ItemList';

/** What is still open and what to do next, written for a person and an agent alike. */
export function OpenItemsCard({ evaluation }: { evaluation: Evaluation }) {
  return (
    <section className="card" aria-label="Open items and next actions">
      <div className="card-body">
        <ItemList title="Open items" items={evaluation.open_items} icon="alert" tone="warn" empty="Nothing open." />
        <ItemList
          title="Next actions"
          items={evaluation.next_actions}
          icon="chevron"
          tone="info"
          empty="No action needed."
        />
      </div>
    </section>
  );
}
