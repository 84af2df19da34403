/**
 * Text formats of BagIt tag files (RFC 8493 §2.1–2.2): `Label: value` lines and
 * `<checksum> <path>` manifest lines, with paths percent-encoding CR, LF and %.
 */

function encodeManifestPath(p: string): string {
  return p.replace(/%/g, '%25').replace(/\n/g, '%0A').replace(/\r/g, '%0D');
}

function decodeManifestPath(p: string): string {
  return p.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%');
}

export function formatManifest(lines: Array<{ path: string; sha256: string }>): string {
  return lines.map((l) => `${l.sha256}  ${encodeManifestPath(l.path)}\n`).join('');
}

export interface ManifestLine {
  sha256: string;
  path: string;
  line: number;
}

/** Parses a SHA-256 manifest; returns a reason string on the first malformed line. */
export function parseManifest(text: string): ManifestLine[] | string {
  const out: ManifestLine[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw === '') continue;
    const m = /^([0-9A-Fa-f]{64})[ \t]+(.+)$/.exec(raw);
    if (!m) return `line ${i + 1} is not "<sha256> <path>": ${JSON.stringify(raw.slice(0, 120))}`;
    out.push({ sha256: m[1].toLowerCase(), path: decodeManifestPath(m[2]), line: i + 1 });
  }
  return out;
}

export function formatTagFile(fields: Array<[string, string]>): string {
  return fields.map(([k, v]) => `${k}: ${v}\n`).join('');
}

/** Parses `Label: value` lines, joining continuation lines (leading whitespace). */
export function parseTagFile(text: string): Array<[string, string]> | string {
  const out: Array<[string, string]> = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw === '') continue;
    if (/^[ \t]/.test(raw)) {
      if (out.length === 0) return `line ${i + 1} continues a field that does not exist`;
      out[out.length - 1][1] += ' ' + raw.trim();
      continue;
    }
    const idx = raw.indexOf(':');
    if (idx <= 0) return `line ${i + 1} is not "Label: value": ${JSON.stringify(raw.slice(0, 120))}`;
    out.push([raw.slice(0, idx).trim(), raw.slice(idx + 1).trim()]);
  }
  return out;
}

/** RFC 8493 allows LF, CR or CRLF line endings. A final newline does not make an extra line. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function payloadOxum(bytes: number, files: number): string {
  return `${bytes}.${files}`;
}
