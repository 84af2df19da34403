/**
 * Callback destinations in `home/callbacks/destinations.json` (mode 0600: it holds the secrets).
 * Read from disk on every call so several Outbox instances over one home always agree.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { TokenOpsError } from '../../../shared/errors';
import { durableWriteFile } from '../fs/durable-write';
import { parseCallbackUrl } from './callback-url';
import { privateAddressKind } from './private-address';
import { generateWebhookSecret, parseSecret, SECRET_PREFIX } from './standard-webhooks';
import type { Destination, DestinationView } from './types';

interface DestinationsFile {
  version: 1;
  destinations: Destination[];
}

const ID_PATTERN = /^dst_[0-9a-z_-]{1,64}$/;

function maskDestination(d: Destination): DestinationView {
  const fingerprint = createHash('sha256').update(d.secret).digest('hex').slice(0, 8);
  const view: DestinationView = {
    destination_id: d.destination_id,
    url: d.url,
    secret_hint: `${SECRET_PREFIX}…(sha256:${fingerprint})`,
    created_at: d.created_at,
  };
  if (d.disabled) view.disabled = { ...d.disabled };
  if (d.allow_private) view.allow_private = true;
  return view;
}

/** A callback URL as stored, refused when it is on a loopback or private address the operator did not allow. */
export function checkDestinationUrl(raw: string, allowPrivate: boolean): { url: string; isPrivate: boolean } {
  const parsed = parseCallbackUrl(raw);
  const kind = privateAddressKind(parsed.hostname);
  if (kind && !allowPrivate) {
    throw new TokenOpsError(
      'private_destination',
      `${parsed.host} is ${kind}, not a receiver on the internet. If you mean to deliver callbacks there (a receiver on this machine or your network), allow it: --allow-private in the CLI, or confirm in the app.`,
    );
  }
  return { url: parsed.toString(), isPrivate: kind !== null };
}

export class DestinationStore {
  readonly file: string;

  constructor(
    home: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.file = path.join(home, 'callbacks', 'destinations.json');
  }

  /**
   * Creates a destination, or updates the URL/secret of an existing id. Returns the secret once so the
   * operator can hand it to the receiver; everything else only ever shows the hint. A loopback or
   * private-network address is refused unless `allowPrivate` says the operator chose it.
   */
  async put(input: {
    url: string;
    secret?: string;
    destinationId?: string;
    allowPrivate?: boolean;
  }): Promise<{ destination: DestinationView; secret: string; generated: boolean }> {
    const { url, isPrivate } = checkDestinationUrl(input.url, input.allowPrivate === true);
    if (input.secret !== undefined) parseSecret(input.secret);
    if (input.destinationId !== undefined && !ID_PATTERN.test(input.destinationId)) {
      throw new TokenOpsError(
        'input_invalid',
        `Destination id "${input.destinationId}" must look like dst_<letters, digits, _ or ->.`,
      );
    }
    const data = await this.read();
    let dest = input.destinationId
      ? data.destinations.find((d) => d.destination_id === input.destinationId)
      : undefined;
    const generated = input.secret === undefined && !dest;
    if (dest) {
      dest.url = url;
      if (input.secret !== undefined) dest.secret = input.secret;
    } else {
      dest = {
        destination_id: input.destinationId ?? `dst_${randomBytes(8).toString('hex')}`,
        url,
        secret: input.secret ?? generateWebhookSecret(),
        created_at: new Date(this.clock()).toISOString(),
      };
      data.destinations.push(dest);
    }
    if (isPrivate) dest.allow_private = true;
    else delete dest.allow_private;
    await this.write(data);
    return { destination: maskDestination(dest), secret: dest.secret, generated };
  }

  async list(): Promise<DestinationView[]> {
    return (await this.read()).destinations.map(maskDestination);
  }

  async get(destinationId: string): Promise<DestinationView> {
    return maskDestination(await this.resolve(destinationId));
  }

  /** With the secret: for signing inside this folder only. */
  async resolve(destinationId: string): Promise<Destination> {
    const dest = (await this.read()).destinations.find((d) => d.destination_id === destinationId);
    if (!dest) {
      throw new TokenOpsError(
        'not_found',
        `No callback destination "${destinationId}" in ${this.file}; set the run's callback URL first.`,
      );
    }
    return dest;
  }

  async disable(destinationId: string, reason: string): Promise<DestinationView> {
    return this.update(destinationId, (d) => {
      if (!d.disabled) d.disabled = { at: new Date(this.clock()).toISOString(), reason };
    });
  }

  /** After the receiver is fixed (e.g. it answered 410 by mistake). New messages will be sent again. */
  async enable(destinationId: string): Promise<DestinationView> {
    return this.update(destinationId, (d) => {
      delete d.disabled;
    });
  }

  private async update(destinationId: string, change: (d: Destination) => void): Promise<DestinationView> {
    const data = await this.read();
    const dest = data.destinations.find((d) => d.destination_id === destinationId);
    if (!dest) throw new TokenOpsError('not_found', `No callback destination "${destinationId}" in ${this.file}.`);
    change(dest);
    await this.write(data);
    return maskDestination(dest);
  }

  private async read(): Promise<DestinationsFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, destinations: [] };
      throw err;
    }
    try {
      const data = JSON.parse(text) as DestinationsFile;
      if (data?.version !== 1 || !Array.isArray(data.destinations)) throw new Error('unexpected shape');
      return data;
    } catch (err) {
      // Never reset to empty: that would silently drop every secret.
      throw new TokenOpsError(
        'corrupt_store',
        `${this.file} is not a readable destinations file (${(err as Error).message}). Restore it from a backup or move it aside and set the callback URLs again.`,
      );
    }
  }

  private async write(data: DestinationsFile): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await durableWriteFile(this.file, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
  }
}
