import { useEffect, useRef, useState } from 'react';
import { DEFAULT_PRE_RUN } from '../../../shared/domain/run';
import { useStore } from '../store';
import { Field } from './Field';

const EMPTY = {
  title: '',
  trust_profile_id: '',
  quote_id: '',
  credit_entitlement_id: '',
  requested_tool: DEFAULT_PRE_RUN.requested_tool,
  requested_capability: DEFAULT_PRE_RUN.requested_capability,
};

/** "New run": a modal <dialog> (focus is trapped and Escape closes it) opening a run with trust, quote and credit. */
export function NewRunDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const createRun = useStore((s) => s.createRun);
  const [form, setForm] = useState(EMPTY);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setForm(EMPTY);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  const set = (k: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const { title, ...pre } = form;
    const id = await createRun({ title, pre_run: pre });
    setBusy(false);
    if (id) onClose();
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="new-run-title"
      aria-describedby="new-run-desc"
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate>
        <div className="dialog-head">
          <h2 id="new-run-title">New run</h2>
          <p id="new-run-desc">
            One paid agent task whose evidence you will assemble. Trust, quote and credit can also be set later.
          </p>
        </div>
        <div className="dialog-body">
          <div className="form-grid">
            <Field
              label="Title"
              className="span-all"
              value={form.title}
              onChange={set('title')}
              placeholder="e.g. June 2 research run"
              autoFocus
            />
            <Field
              label="Trust profile"
              value={form.trust_profile_id}
              onChange={set('trust_profile_id')}
              placeholder="trust_…"
            />
            <Field label="Quote" value={form.quote_id} onChange={set('quote_id')} placeholder="quote_…" />
            <Field
              label="Credit entitlement"
              value={form.credit_entitlement_id}
              onChange={set('credit_entitlement_id')}
              placeholder="cred_…"
            />
            <Field label="Requested tool" value={form.requested_tool} onChange={set('requested_tool')} />
            <Field
              label="Requested capability"
              value={form.requested_capability}
              onChange={set('requested_capability')}
            />
          </div>
        </div>
        <div className="dialog-foot">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create run'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
