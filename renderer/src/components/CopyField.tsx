import { useState } from 'react';

/** A long value (path, hash, fingerprint) shown in full and selectable, with a copy button. */
export function CopyField({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard may be unavailable (permissions); the value stays selectable.
    }
  }
  return (
    <span className="copy-field">
      <code>{value}</code>
      <button type="button" className="btn btn-sm btn-ghost" onClick={copy} aria-label={`Copy ${label}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
