import type { Run } from '../../../shared/domain/run';
import { Icon } from './Icon';
import { PreRunForm } from './PreRunForm';
import { CallbackForm } from './CallbackForm';

/** The run's header data, folded once set: trust profile, quote, credit entitlement, tool, callback. */
export function RunSetup({ run, frozen }: { run: Run; frozen: boolean }) {
  const p = run.pre_run;
  const summary = [p.trust_profile_id, p.quote_id, p.credit_entitlement_id].filter(Boolean).join(' · ') || 'Not set';
  return (
    <details className="card disclosure run-setup" open={run.state === 'draft' || undefined}>
      <summary>
        <Icon name="chevron" className="chev" />
        <span className="strong">Trust, quote, credit &amp; callback</span>
        <span className="subtle setup-summary break">
          {summary} · {p.requested_tool}/{p.requested_capability} · callback {run.callback ? 'set' : 'not set'}
        </span>
      </summary>
      <div className="setup-body">
        <PreRunForm preRun={run.pre_run} disabled={frozen} />
        <CallbackForm run={run} disabled={frozen} />
      </div>
    </details>
  );
}
