/**
 * Append-only, hash-chained JSON Lines ledger with a signed head, safe across processes and crashes.
 *
 * Every read and write happens inside `transact`, under the ledger's lock file, after the file has
 * been checked against the signed head (and a crash artifact, if any, cut away). An append is
 * committed when append() resolves: line written and fsynced, then head signed and durably replaced.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TokenOpsError, isTokenOpsError } from '../../../shared/errors';
import { canonicalJson } from '../../../shared/canonical-json';
import type { Signer } from '../../../shared/signing';
import { readRange } from '../fs/read-range';
import { appendDurably, fileSize, truncateDurably } from './durable-io';
import { durableWriteFile, isDurableTempName } from '../fs/durable-write';
import { inspectLedger, type Repair } from './inspect-ledger';
import { withLedgerLock } from './ledger-lock';
import { encodeLine, nextLine, scanLines } from './ledger-line';
import { GENESIS_HASH, type LedgerLine, type LedgerVerification } from './ledger-types';
import { encodeHead, readSignedHead, signHead, type HeadRead } from './signed-head';
import { append } from '../../../shared/append';

export interface LedgerOptions {
  /** Signs the head on every append. Without it the ledger is read-only. */
  signer?: Signer;
  /** Key ids whose heads are accepted, besides the signer's own (e.g. keys rotated out). */
  trustedKeyIds?: readonly string[];
  /** Wait this long for another process's lock. Default 15 s. */
  lockTimeoutMs?: number;
  /** Clock for `at`; injectable for tests. */
  now?: () => Date;
}

/** What a callback sees inside the lock. */
export interface LedgerTransaction<E> {
  /** Committed lines, including those appended in this transaction. */
  readonly lines: readonly LedgerLine<E>[];
  append(entry: E): Promise<LedgerLine<E>>;
}

interface Committed<E> {
  lines: LedgerLine<E>[];
  /** File size covering exactly these lines. */
  offset: number;
}

export class HashChainLedger<E> {
  readonly path: string;
  readonly headPath: string;
  readonly lockPath: string;
  readonly repairLogPath: string;
  /** Crash artifacts this instance cut away since it was opened. */
  readonly repairs: string[] = [];
  private readonly trusted: string[];
  private cache: Committed<E> | null = null;

  private constructor(
    path: string,
    private readonly options: LedgerOptions,
  ) {
    this.path = resolve(path);
    this.headPath = `${this.path}.head.json`;
    this.lockPath = `${this.path}.lock`;
    this.repairLogPath = `${this.path}.repairs.jsonl`;
    this.trusted = [...new Set([...(options.trustedKeyIds ?? []), ...(options.signer ? [options.signer.keyId] : [])])];
    if (this.trusted.length === 0) {
      throw new TokenOpsError(
        'usage',
        `Cannot open ledger ${this.path}: give a signer or at least one trusted key id to check its head against.`,
      );
    }
  }

  /**
   * Open (creating the folder if needed) and recover from a crash. A tampered ledger still opens so
   * verify() can report it; reads and appends on it throw `ledger_tampered`.
   */
  static async open<E>(path: string, options: LedgerOptions): Promise<HashChainLedger<E>> {
    const ledger = new HashChainLedger<E>(path, options);
    await mkdir(dirname(ledger.path), { recursive: true });
    try {
      await ledger.transact(() => undefined);
    } catch (e) {
      if (!(isTokenOpsError(e) && e.code === 'ledger_tampered')) throw e;
    }
    return ledger;
  }

  /** Run `fn` under the lock with a fresh, checked view of the ledger. Check-then-append goes here. */
  async transact<T>(fn: (tx: LedgerTransaction<E>) => T | Promise<T>): Promise<T> {
    return withLedgerLock(
      this.lockPath,
      async () => {
        const committed = await this.refresh();
        let open = true;
        const tx: LedgerTransaction<E> = {
          get lines() {
            return committed.lines;
          },
          append: (entry) => {
            if (!open)
              throw new TokenOpsError(
                'usage',
                'Ledger transaction already finished: append inside the transact() callback.',
              );
            return this.appendLocked(committed, entry);
          },
        };
        try {
          return await fn(tx);
        } finally {
          open = false;
        }
      },
      { timeoutMs: this.options.lockTimeoutMs, what: `Ledger ${this.path}` },
    );
  }

  append(entry: E): Promise<LedgerLine<E>> {
    return this.transact((tx) => tx.append(entry));
  }

  /** Committed lines (a copy). */
  read(): Promise<LedgerLine<E>[]> {
    return this.transact((tx) => [...tx.lines]);
  }

  /** Full check of every line and of the signed head. Cuts away a crash artifact first, and says so. */
  verify(): Promise<LedgerVerification> {
    return withLedgerLock(
      this.lockPath,
      async () => {
        this.cache = null;
        const head = await readSignedHead(this.headPath, this.trusted);
        const ins = inspectLedger<E>(await readWhole(this.path), head, basename(this.path));
        const repairs: string[] = [];
        if (ins.repair) {
          await this.applyRepair(ins.repair);
          repairs.push(ins.repair.description);
        }
        return {
          ok: ins.problems.length === 0,
          entries: ins.repair ? ins.committed.length : ins.lineCount,
          problems: ins.problems,
          repairs,
        };
      },
      { timeoutMs: this.options.lockTimeoutMs, what: `Ledger ${this.path}` },
    );
  }

  /** Bring the committed view up to date. Caller holds the lock. */
  private async refresh(): Promise<Committed<E>> {
    const head = await readSignedHead(this.headPath, this.trusted);
    const fast = await this.tryIncremental(head);
    if (fast) return fast;

    this.cache = null;
    await this.removeOrphanHeadTemps();
    const bytes = await readWhole(this.path);
    const ins = inspectLedger<E>(bytes, head, basename(this.path));
    if (ins.problems.length > 0) {
      throw new TokenOpsError(
        'ledger_tampered',
        `Ledger ${this.path} does not match its signed head and was not changed:\n- ${ins.problems.join('\n- ')}\n` +
          'Restore the ledger and its .head.json from a backup, or keep them as evidence and start a new ledger.',
        { path: this.path, problems: ins.problems },
      );
    }
    let offset = bytes.length;
    if (ins.repair) {
      await this.applyRepair(ins.repair);
      offset = ins.repair.truncateTo;
    }
    this.cache = { lines: ins.committed, offset };
    return this.cache;
  }

  /**
   * Common case: only whole, well-chained lines were added after what we already checked, and the
   * head covers exactly them. Read just those bytes. Anything else falls back to the full check.
   */
  private async tryIncremental(head: HeadRead): Promise<Committed<E> | null> {
    const cache = this.cache;
    if (!cache || head.status !== 'ok') return null;
    const size = await fileSize(this.path);
    if (size === null || size < cache.offset) return null;
    const { count, hash } = head.head;
    const last = cache.lines[cache.lines.length - 1];
    if (size === cache.offset) {
      return count === cache.lines.length && (last?.hash ?? null) === (count === 0 ? null : hash) ? cache : null;
    }
    const scan = scanLines(await readRange(this.path, cache.offset, size), {
      seq: cache.lines.length,
      hash: last?.hash ?? GENESIS_HASH,
      offset: cache.offset,
    });
    const added = scan.lines.map((l) => l.line as LedgerLine<E> | null);
    if (scan.tornBytes > 0 || scan.lines.some((l) => l.problems.length > 0)) return null;
    if (cache.lines.length + added.length !== count || added[added.length - 1]?.hash !== hash) return null;
    append(cache.lines, added as LedgerLine<E>[]);
    cache.offset = size;
    return cache;
  }

  private async appendLocked(committed: Committed<E>, entry: E): Promise<LedgerLine<E>> {
    const signer = this.options.signer;
    if (!signer) {
      throw new TokenOpsError(
        'usage',
        `Ledger ${this.path} was opened without a signer, so it is read-only; open it with the signing key to append.`,
      );
    }
    const at = (this.options.now?.() ?? new Date()).toISOString();
    const line = nextLine(committed.lines[committed.lines.length - 1], at, entry);
    const bytes = encodeLine(line);
    const before = committed.offset;
    await appendDurably(this.path, bytes);
    try {
      await durableWriteFile(this.headPath, encodeHead(signHead(signer, line.seq, line.hash, line.seq, at)));
    } catch (e) {
      this.cache = null;
      const head = await readSignedHead(this.headPath, this.trusted).catch(() => null);
      if (head?.status === 'ok' && head.head.hash === line.hash) {
        // The rename landed (only the folder fsync failed): the line is committed, so keep it.
        throw new TokenOpsError(
          'corrupt_store',
          `Ledger ${this.path} recorded entry ${line.seq}, but the folder could not be synced (${(e as Error).message}); it may not survive a power cut. Check the disk; do not append the entry again.`,
        );
      }
      // Not committed: take the line back now rather than leaving it for the next open to repair.
      await truncateDurably(this.path, before).catch(() => undefined);
      throw new TokenOpsError(
        'corrupt_store',
        `Could not sign the head of ledger ${this.path} (${(e as Error).message}); the entry was not recorded. Check free disk space and permissions, then retry.`,
      );
    }
    committed.lines.push(line);
    committed.offset = before + bytes.length;
    return line;
  }

  /** A writer killed between writing the temp head and renaming it leaves the temp behind. Caller holds the lock. */
  private async removeOrphanHeadTemps(): Promise<void> {
    // Only this ledger's head temps: another ledger may share the folder.
    const prefix = `.${basename(this.headPath)}.`;
    const names = await readdir(dirname(this.path)).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(prefix) && isDurableTempName(name))
        await unlink(join(dirname(this.path), name)).catch(() => undefined);
    }
  }

  private async applyRepair(repair: Repair): Promise<void> {
    const size = (await fileSize(this.path)) ?? 0;
    const removed = size > repair.truncateTo ? await readRange(this.path, repair.truncateTo, size) : Buffer.alloc(0);
    // Keep the removed bytes for an audit before cutting them away.
    const record = {
      at: new Date().toISOString(),
      description: repair.description,
      offset: repair.truncateTo,
      removed_base64: removed.toString('base64'),
    };
    await appendDurably(this.repairLogPath, Buffer.from(`${canonicalJson(record)}\n`, 'utf8'));
    await truncateDurably(this.path, repair.truncateTo);
    this.repairs.push(repair.description);
  }
}

async function readWhole(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  }
}
