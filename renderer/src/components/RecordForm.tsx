import { useState } from 'react';
import type { EvidenceStep } from '../../../shared/domain/evidence';
import type { Run } from '../../../shared/domain/run';
import { stepDefinition } from '../../../shared/evaluation/catalog';
import { useRecordSubmit } from '../hooks/useRecordSubmit';
import { STEP_FIELDS, buildRecord, initialValues, missingRequired } from '../stepFields';
import { Field } from './Field';

/** Hand entry of one step's record; checked against the step's JSON Schema before it is sent. */
export function RecordForm({ step, run }: { step: Exclude<EvidenceStep, 'files'>; run: Run }) {
  const fields = STEP_FIELDS[step];
  const def = stepDefinition(step);
  const [values, setValues] = useState(() => initialValues(fields, run));
  const { errors, setErrors, busy, send } = useRecordSubmit();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const missing = missingRequired(fields, values);
    if (missing.length) {
      setErrors([`Fill in: ${missing.join(', ')}.`]);
      return;
    }
    await send(def.schema, buildRecord(step, fields, values), () => setValues(initialValues(fields, run)));
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Enter the ${def.title.toLowerCase()} by hand`}>
      <div className="form-grid">
        {fields.map((f) => {
          const common = {
            label: f.label,
            hint: f.hint,
            required: f.required,
            className: f.wide ? 'span-all' : undefined,
            value: values[f.name] ?? '',
          };
          const onChange = (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
            setValues((v) => ({ ...v, [f.name]: e.target.value }));
          if (f.type === 'select')
            return (
              <Field
                key={f.name}
                kind="select"
                {...common}
                onChange={onChange}
                options={(f.options ?? []).map((o) => ({ value: o, label: o || '—' }))}
              />
            );
          if (f.type === 'textarea')
            return <Field key={f.name} kind="textarea" {...common} onChange={onChange} rows={2} />;
          return (
            <Field
              key={f.name}
              {...common}
              onChange={onChange}
              type={f.type === 'number' ? 'number' : f.type === 'url' ? 'url' : 'text'}
              inputMode={f.type === 'number' ? 'numeric' : undefined}
              min={f.type === 'number' ? 0 : undefined}
              step={f.type === 'number' ? 1 : undefined}
              placeholder={f.placeholder}
            />
          );
        })}
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Adding…' : `Add ${def.title.toLowerCase()}`}
        </button>
        {errors.length > 0 && (
          <div className="form-error" role="alert">
            {errors.length === 1 ? (
              errors[0]
            ) : (
              <ul className="error-list">
                {errors.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </form>
  );
}
