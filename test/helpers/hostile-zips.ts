/**
 * Builds real zip files for the bundle tests: hostile archives written with python3's zipfile
 * module, the `zip` CLI, or raw byte patches, and "smart tamperer" rewrites of real bundles.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';

export interface ZipEntrySpec {
  name: string;
  text?: string;
  bytes?: Buffer;
  /** that many zero bytes (compresses extremely well) */
  zeros?: number;
  deflate?: boolean;
  /** full st_mode stored in the external attributes, with create_system = unix */
  mode?: number;
  /** an Info-ZIP Unicode Path extra field (0x7075) naming the entry differently */
  unicodePath?: string;
}

function python(script: string, input: unknown): string {
  return execFileSync('python3', ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

const MAKE_ZIP = `
import sys, json, zipfile, base64, warnings, struct, zlib
warnings.simplefilter('ignore')
spec = json.load(sys.stdin)
with zipfile.ZipFile(spec['out'], 'w') as z:
    for e in spec['entries']:
        zi = zipfile.ZipInfo(e['name'], date_time=(2024, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED if e.get('deflate') else zipfile.ZIP_STORED
        if 'mode' in e:
            zi.create_system = 3
            zi.external_attr = e['mode'] << 16
        if 'unicodePath' in e:
            alt = e['unicodePath'].encode('utf-8')
            body = struct.pack('<BI', 1, zlib.crc32(e['name'].encode('utf-8'))) + alt
            zi.extra = struct.pack('<HH', 0x7075, len(body)) + body
        if 'zeros' in e:
            data = bytes(e['zeros'])
        else:
            data = base64.b64decode(e.get('b64', ''))
        z.writestr(zi, data)
`;

/** Writes a zip with exactly these entries (duplicates, absolute names and all). */
export function makeZip(out: string, entries: ZipEntrySpec[]): void {
  python(MAKE_ZIP, {
    out,
    entries: entries.map((e) => ({
      name: e.name,
      deflate: e.deflate ?? false,
      ...(e.mode !== undefined ? { mode: e.mode } : {}),
      ...(e.unicodePath !== undefined ? { unicodePath: e.unicodePath } : {}),
      ...(e.zeros !== undefined
        ? { zeros: e.zeros }
        : { b64: (e.bytes ?? Buffer.from(e.text ?? 'x')).toString('base64') }),
    })),
  });
}

const REWRITE = `
import sys, json, zipfile, base64, hashlib, warnings
warnings.simplefilter('ignore')
spec = json.load(sys.stdin)
src = zipfile.ZipFile(spec['src'])
names = [i.filename for i in src.infolist() if not i.filename.endswith('/')]
top = names[0].split('/')[0] + '/'
files = {}
for n in names:
    files[n[len(top):]] = src.read(n)
for p in spec.get('remove', []):
    files.pop(p, None)
for p, b in spec.get('put', {}).items():
    files[p] = base64.b64decode(b)
if spec.get('rebag'):
    data = sorted(p for p in files if p.startswith('data/'))
    files['manifest-sha256.txt'] = ''.join('%s  %s\\n' % (hashlib.sha256(files[p]).hexdigest(), p) for p in data).encode()
    info = files['bag-info.txt'].decode().splitlines()
    oxum = '%d.%d' % (sum(len(files[p]) for p in data), len(data))
    files['bag-info.txt'] = ''.join(('Payload-Oxum: ' + oxum if l.startswith('Payload-Oxum:') else l) + '\\n' for l in info).encode()
    tags = [p for p in files if not p.startswith('data/') and p != 'tagmanifest-sha256.txt']
    files['tagmanifest-sha256.txt'] = ''.join('%s  %s\\n' % (hashlib.sha256(files[p]).hexdigest(), p) for p in tags).encode()
with zipfile.ZipFile(spec['dst'], 'w') as z:
    for p, b in files.items():
        zi = zipfile.ZipInfo(top + p, date_time=(2024, 1, 1, 0, 0, 0))
        zi.create_system = 3
        zi.external_attr = 0o100644 << 16
        z.writestr(zi, b)
`;

/**
 * Rewrites a bundle the way a careful tamperer would: a fresh, CRC-correct zip with files
 * removed, replaced or added (paths inside the bag). With `rebag`, manifest-sha256.txt,
 * Payload-Oxum and tagmanifest-sha256.txt are recomputed so the bag itself looks valid.
 */
export function rewriteBundle(
  src: string,
  dst: string,
  opts: { remove?: string[]; put?: Record<string, string | Buffer>; rebag?: boolean },
): void {
  const put = Object.fromEntries(
    Object.entries(opts.put ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  python(REWRITE, { src, dst, remove: opts.remove ?? [], put, rebag: opts.rebag ?? false });
}

/** Reads one entry with the real `unzip` tool. */
export function unzipRead(zip: string, name: string): Buffer {
  return execFileSync('unzip', ['-p', zip, name], { maxBuffer: 1 << 30 });
}

/** Runs `unzip -t`; returns its exit code and output (never throws). */
export function unzipTest(zip: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('unzip', ['-t', zip], { encoding: 'utf8', maxBuffer: 1 << 28 }) };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: `${err.stdout}${err.stderr}` };
  }
}

/**
 * Overwrites the uncompressed size recorded for `name` in the central directory and local
 * header, so the entry inflates to more bytes than it declares.
 */
export async function patchDeclaredSize(zip: string, name: string, size: number): Promise<void> {
  const buf = await fs.readFile(zip);
  const nameBytes = Buffer.from(name, 'utf8');
  let patched = 0;
  for (let i = 0; i + 46 < buf.length; i++) {
    const sig = buf.readUInt32LE(i);
    if (
      sig === 0x02014b50 &&
      buf.subarray(i + 46, i + 46 + nameBytes.length).equals(nameBytes) &&
      buf.readUInt16LE(i + 28) === nameBytes.length
    ) {
      buf.writeUInt32LE(size, i + 24);
      patched++;
    } else if (
      sig === 0x04034b50 &&
      buf.subarray(i + 30, i + 30 + nameBytes.length).equals(nameBytes) &&
      buf.readUInt16LE(i + 26) === nameBytes.length
    ) {
      buf.writeUInt32LE(size, i + 22);
      patched++;
    }
  }
  if (patched !== 2) throw new Error(`expected to patch 2 headers for ${name}, patched ${patched}`);
  await fs.writeFile(zip, buf);
}

/** Flips one byte of `needle`'s first occurrence in the file, in place (CRC left stale). */
export async function flipByteOf(zip: string, needle: string): Promise<void> {
  const buf = await fs.readFile(zip);
  const at = buf.indexOf(Buffer.from(needle));
  if (at < 0) throw new Error(`${needle} not found in ${zip}`);
  buf[at] ^= 0x01;
  await fs.writeFile(zip, buf);
}

/** Renames an entry in its local header only (same length), leaving the central directory as is. */
export async function renameLocalHeader(zip: string, name: string, other: string): Promise<void> {
  if (Buffer.byteLength(name) !== Buffer.byteLength(other)) throw new Error('names must have the same byte length');
  const buf = await fs.readFile(zip);
  const nameBytes = Buffer.from(name);
  for (let i = 0; i + 30 < buf.length; i++) {
    if (buf.readUInt32LE(i) === 0x04034b50 && buf.subarray(i + 30, i + 30 + nameBytes.length).equals(nameBytes)) {
      Buffer.from(other).copy(buf, i + 30);
      await fs.writeFile(zip, buf);
      return;
    }
  }
  throw new Error(`no local header for ${name}`);
}
