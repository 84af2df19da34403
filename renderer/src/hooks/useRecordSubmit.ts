import { useState } from 'react';
import type { EvidenceRecord } from '../../../shared/domain/evidence';
import { validate, type SchemaName } from '../../../shared/validate';
import { useStore } from '../store';

/**
 * The shared tail of every hand-entry form: check the record against its schema in the page (errors next to
 * the form, nothing sent), send it, and reset the form only once it was accepted.
 */
export function useRecordSubmit() {
  const addRecord = useStore((s) => s.addRecord);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function send(schema: SchemaName, record: EvidenceRecord, reset: () => void): Promise<void> {
    const checked = validate(schema, record);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    const res = await addRecord(record);
    setBusy(false);
    if (res.ok) {
      setErrors([]);
      reset();
    } else setErrors([res.message]);
  }

  return { errors, setErrors, busy, send };
}
