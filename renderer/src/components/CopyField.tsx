import { useState } from 'react';

/**
 * A long value (path, hash, fingerprint), selectable, with a copy button. `shown` replaces the text on screen
 * (e.g. a path shortened to ~/…/name.zip) while Copy and the tooltip keep the full value.
 */
export function CopyField({ value, label, shown }: { value: string; label: string; shown?: string }) {
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
      <code title={shown && shown !== value ? value : undefined}>{shown ?? value}</code>
      <button type="button" className="btn btn-sm btn-ghost" onClick={copy} aria-label={`Copy ${label}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
