/**
 * The only text of a secret we ever echo: enough for the operator to find it, never enough to use it.
 * PEM headers name the key type and are not secret, so they are shown whole.
 */
export function maskSecret(secret: string): string {
  const pem = /^-----BEGIN [A-Z0-9 ]+-----/.exec(secret);
  if (pem) return `${pem[0]}…`;
  const firstLine = secret.split(/\r?\n/, 1)[0];
  // Short secrets show less: 4 characters of an 8-character password would be half of it.
  const shown = Math.min(4, Math.floor(firstLine.length / 4));
  return `${firstLine.slice(0, shown)}…`;
}
