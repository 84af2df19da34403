import { useId } from 'react';

interface BaseProps {
  label: string;
  hint?: string;
  required?: boolean;
  className?: string;
  error?: string;
}

type InputProps = BaseProps & { kind?: 'input' } & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'className'>;
type TextareaProps = BaseProps & { kind: 'textarea'; mono?: boolean } & Omit<
    React.TextareaHTMLAttributes<HTMLTextAreaElement>,
    'className'
  >;
type SelectProps = BaseProps & { kind: 'select'; options: Array<{ value: string; label: string }> } & Omit<
    React.SelectHTMLAttributes<HTMLSelectElement>,
    'className'
  >;

/** A labelled control: the label is always a real <label for>, hints and errors are described-by. */
export function Field(props: InputProps | TextareaProps | SelectProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const { label, hint, required, className, error } = props;
  const described = [hint ? hintId : '', error ? errId : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-describedby': described, 'aria-invalid': error ? true : undefined, required };

  let control: React.ReactNode;
  if (props.kind === 'textarea') {
    const { kind: _k, label: _l, hint: _h, required: _r, className: _c, error: _e, mono, ...rest } = props;
    control = <textarea {...rest} {...common} className={`textarea${mono ? ' mono' : ''}`} />;
  } else if (props.kind === 'select') {
    const { kind: _k, label: _l, hint: _h, required: _r, className: _c, error: _e, options, ...rest } = props;
    control = (
      <select {...rest} {...common} className="select">
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    const { kind: _k, label: _l, hint: _h, required: _r, className: _c, error: _e, ...rest } = props;
    control = <input {...rest} {...common} className="input" />;
  }

  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <span className="field-label-row">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        {required && (
          <span className="req" aria-hidden="true" title="Required">
            *
          </span>
        )}
      </span>
      {control}
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
      {error && (
        <span className="form-error" id={errId}>
          {error}
        </span>
      )}
    </div>
  );
}
