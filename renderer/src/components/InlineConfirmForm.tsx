import { useId } from 'react';

/** A one-field form that confirms an action in place (exclude with a reason, attest with a name), with Cancel. */
export function InlineConfirmForm(props: {
  formLabel: string;
  fieldLabel: string;
  value: string;
  onChange: (value: string) => void;
  confirmLabel: string;
  confirmClass: string;
  busy: boolean;
  onConfirm: (e: React.FormEvent) => void;
  onCancel: () => void;
}) {
  const id = useId();
  return (
    <form className="inline-form" onSubmit={props.onConfirm} aria-label={props.formLabel}>
      <label className="field-label" htmlFor={id}>
        {props.fieldLabel}
      </label>
      <div className="row">
        <input
          id={id}
          className="input grow"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          autoFocus
        />
        <button type="submit" className={`btn ${props.confirmClass} btn-sm`} disabled={props.busy}>
          {props.confirmLabel}
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
