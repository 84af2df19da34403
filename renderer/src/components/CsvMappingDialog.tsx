import { useEffect, useRef, useState } from 'react';
import type { CsvColumnMapping } from '../../../shared/domain/csv-mapping';
import type { RunFile } from '../../../shared/domain/run';
import type { CsvPreview } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import { humanize } from '../format';
import { useStore } from '../store';
import { Field } from './Field';
import { Spinner } from './Spinner';
import { TableWrap } from './TableWrap';

type Layout = CsvColumnMapping['layout'];
type Columns = Record<Layout, Record<string, string>>;

const LAYOUTS: Array<{ value: Layout; label: string; hint: string }> = [
  { value: 'credit_ledger', label: 'Credit ledger', hint: 'grants, debits and balances of a credit account' },
  { value: 'usage_receipts', label: 'Usage export', hint: 'one usage receipt per row' },
];

const NO_COLUMN = { value: '', label: '— not in this file —' };

/** Only the columns the operator chose: a mapping names each field it maps, and no other. */
function chosen(columns: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(columns).filter(([, h]) => h !== ''));
}

/**
 * "Map columns…": a modal <dialog> (focus is trapped and Escape closes it) in which the operator says
 * which column of a CSV export holds each field of a credit ledger or a usage export, seeing the
 * file's own headers and first rows. Saved, the file is read again with the mapping, which is
 * remembered for exports with the same headers.
 */
export function CsvMappingDialog({
  file,
  open,
  onClose,
}: {
  file: RunFile;
  open: boolean;
  onClose(saved: boolean): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const runId = useStore((s) => s.currentRunId);
  const mapColumns = useStore((s) => s.mapColumns);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [layout, setLayout] = useState<Layout>('credit_ledger');
  const [columns, setColumns] = useState<Columns>({ credit_ledger: {}, usage_receipts: {} });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = `csv-map-title-${file.file_id}`;
  const descId = `csv-map-desc-${file.file_id}`;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    else if (!open && d.open) d.close();
  }, [open]);

  useEffect(() => {
    if (!open || !runId) return;
    let live = true;
    setPreview(null);
    setLoadError(null);
    setError(null);
    call('files.csvPreview', { run_id: runId, file_id: file.file_id }).then(
      (p) => {
        if (!live) return;
        setPreview(p);
        const s = p.suggestion;
        setColumns({ credit_ledger: {}, usage_receipts: {}, ...(s ? { [s.layout]: { ...s.columns } } : {}) });
        setLayout(s?.layout ?? 'credit_ledger');
      },
      (e: unknown) => live && setLoadError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [open, runId, file.file_id]);

  const setColumn = (field: string) => (e: React.ChangeEvent<HTMLSelectElement>) => {
    setColumns((c) => ({ ...c, [layout]: { ...c[layout], [field]: e.target.value } }));
    setError(null);
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (busy || !preview) return;
    const required = preview.required[layout];
    const picked = chosen(columns[layout]);
    const missing = required.filter((f) => !picked[f]);
    if (missing.length) {
      setError(`Choose the column that holds ${missing.map((f) => humanize(f).toLowerCase()).join(', ')}.`);
      return;
    }
    setBusy(true);
    setError(null);
    const r = await mapColumns(file.file_id, { layout, columns: picked });
    setBusy(false);
    if (r.ok) onClose(true);
    else setError(r.message);
  }

  const options = [NO_COLUMN, ...(preview?.headers ?? []).map((h) => ({ value: h, label: h }))];

  return (
    <dialog
      ref={ref}
      className="dialog dialog-wide"
      aria-labelledby={titleId}
      aria-describedby={descId}
      onClose={() => onClose(false)}
    >
      <form onSubmit={submit} noValidate>
        <div className="dialog-head">
          <h2 id={titleId}>Map columns of {file.name}</h2>
          <p id={descId}>
            Say which column holds each field. Exports with the same headers are read this way from now on.
          </p>
        </div>
        <div className="dialog-body csv-map">
          {loadError ? (
            <p className="form-error" role="alert">
              {loadError}
            </p>
          ) : !preview ? (
            <p className="subtle" role="status">
              <Spinner /> Reading the file…
            </p>
          ) : (
            <>
              <fieldset className="csv-map-layout">
                <legend className="field-label">The file is a</legend>
                {LAYOUTS.map((l) => (
                  <label key={l.value} className="csv-map-choice">
                    <input
                      type="radio"
                      name={`csv-map-layout-${file.file_id}`}
                      value={l.value}
                      checked={layout === l.value}
                      onChange={() => {
                        setLayout(l.value);
                        setError(null);
                      }}
                    />
                    <span>
                      {l.label} <span className="subtle">({l.hint})</span>
                    </span>
                  </label>
                ))}
              </fieldset>

              <TableWrap label={`First rows of ${file.name}`}>
                <table className="table csv-map-preview">
                  <caption className="visually-hidden">First rows of {file.name}</caption>
                  <thead>
                    <tr>
                      {preview.headers.map((h, i) => (
                        <th key={i} scope="col">
                          {h}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows.map((r, i) => (
                      <tr key={i}>
                        {r.map((c, j) => (
                          <td key={j} className="mono">
                            {c}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>

              <div className="form-grid csv-map-fields">
                {preview.fields[layout].map((field) => (
                  <Field
                    key={`${layout}-${field}`}
                    kind="select"
                    label={humanize(field)}
                    required={preview.required[layout].includes(field)}
                    value={columns[layout][field] ?? ''}
                    onChange={setColumn(field)}
                    options={options}
                  />
                ))}
              </div>
              {error && (
                <p className="form-error" role="alert">
                  {error}
                </p>
              )}
            </>
          )}
        </div>
        <div className="dialog-foot">
          <button type="button" className="btn" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !preview}>
            {busy ? 'Reading…' : 'Save mapping'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
