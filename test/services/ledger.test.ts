import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from '../../shared/canonical-json';
import { isTokenOpsError, type TokenOpsError } from '../../shared/errors';
import { CreditLedger, debitKey } from '../../electron/services/ledger/credit-ledger';
import { HashChainLedger } from '../../electron/services/ledger/hash-chain-ledger';
import { ReceiptLedger } from '../../electron/services/ledger/receipt-ledger';
import { verifyLedgerFile } from '../../electron/services/ledger/verify-ledger-file';
import { encodeLine, lineHash, nextLine } from '../../electron/services/ledger/ledger-line';
import { encodeHead, headPayload, signHead } from '../../electron/services/ledger/signed-head';
import type { LedgerLine, SignedHead } from '../../electron/services/ledger/ledger-types';
import { newPrivateKeyPem, signerFromPem } from '../fixtures/ledger-test-signer';

const ROOT = resolve(__dirname, '../..');
const privateKeyPem = newPrivateKeyPem();
const signer = signerFromPem(privateKeyPem);
const otherSigner = signerFromPem(newPrivateKeyPem());

let root: string;
let keyPath: string;
let dirCount = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tokenops-ledger-'));
  keyPath = join(root, 'key.pem');
  await writeFile(keyPath, privateKeyPem, { mode: 0o600 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = join(root, `d${++dirCount}`);
  await mkdir(dir);
  return dir;
}

async function caught(p: Promise<unknown>): Promise<TokenOpsError> {
  try {
    await p;
  } catch (e) {
    if (isTokenOpsError(e)) return e;
    throw e;
  }
  throw new Error('expected a TokenOpsError, got success');
}

/** A valid ledger file + signed head, built with the pure helpers (no fsync, so properties run fast). */
async function writeValidLedger(path: string, entries: unknown[]): Promise<LedgerLine<unknown>[]> {
  const lines: LedgerLine<unknown>[] = [];
  for (const [i, entry] of entries.entries()) {
    lines.push(nextLine(lines[lines.length - 1], new Date(Date.UTC(2026, 5, 2, 0, 0, i)).toISOString(), entry));
  }
  await writeFile(path, Buffer.concat(lines.map(encodeLine)));
  const last = lines[lines.length - 1];
  if (last) await writeFile(`${path}.head.json`, encodeHead(signHead(signer, last.seq, last.hash, last.seq, last.at)));
  return lines;
}

function splitLines(text: string): string[] {
  return text.split('\n').slice(0, -1);
}

describe('canonical JSON', () => {
  it('sorts keys at every depth, writes no whitespace and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: [{ d: true, c: null }], e: undefined, é: 'x\n' })).toBe(
      '{"a":[{"c":null,"d":true}],"b":1,"é":"x\\n"}',
    );
    expect(canonicalJson(-0)).toBe('0');
  });

  it('refuses values JSON would silently change, naming where they are', () => {
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(/\$\.a\[1\]/);
    expect(() => canonicalJson({ a: new Map() })).toThrow(/Map/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  it('is stable under a parse round trip for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

describe('hash-chain ledger', () => {
  it('appends lines chained from 64 zeros, signs the head, and reopens clean', async () => {
    const path = join(await freshDir(), 'chain.jsonl');
    const ledger = await HashChainLedger.open<{ n: number }>(path, { signer });
    const a = await ledger.append({ n: 1 });
    const b = await ledger.append({ n: 2 });
    expect(a).toMatchObject({ seq: 1, prev_hash: '0'.repeat(64) });
    expect(b.prev_hash).toBe(a.hash);
    expect(b.hash).toBe(lineHash(b.seq, b.at, b.prev_hash, b.entry));

    const text = await readFile(path, 'utf8');
    expect(splitLines(text).map((l) => JSON.parse(l))).toEqual([a, b]);
    const head = JSON.parse(await readFile(`${path}.head.json`, 'utf8')) as SignedHead;
    expect(head).toMatchObject({
      seq: 2,
      count: 2,
      hash: b.hash,
      key_id: signer.keyId,
      public_key_pem: signer.publicKeyPem,
    });
    expect(
      verifySignature(
        null,
        headPayload(2, b.hash, 2),
        createPublicKey(head.public_key_pem),
        Buffer.from(head.sig, 'base64'),
      ),
    ).toBe(true);

    const reopened = await HashChainLedger.open<{ n: number }>(path, { trustedKeyIds: [signer.keyId] });
    expect(await reopened.read()).toEqual([a, b]);
    expect(await reopened.verify()).toEqual({ ok: true, entries: 2, problems: [], repairs: [] });
    expect(reopened.repairs).toEqual([]);
    await expect(reopened.append({ n: 3 })).rejects.toThrow(/read-only/);
  });

  it('verifies ok for any list of JSON entries', async () => {
    const dir = await freshDir();
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }), async (entries) => {
        const path = join(dir, `ok-${i++}.jsonl`);
        const lines = await writeValidLedger(path, entries);
        const ledger = await HashChainLedger.open(path, { trustedKeyIds: [signer.keyId] });
        expect(await ledger.verify()).toEqual({ ok: true, entries: entries.length, problems: [], repairs: [] });
        expect(await ledger.read()).toEqual(lines);
      }),
      { numRuns: 40 },
    );
  });

  describe('tamper detection', () => {
    type Tamper =
      | { kind: 'edit'; line: number; entry: unknown; rehash: boolean }
      | { kind: 'swap'; a: number; b: number }
      | { kind: 'truncate'; k: number }
      | { kind: 'byte'; pos: number; value: number };

    function tamperArb(n: number, size: number): fc.Arbitrary<Tamper> {
      const arbs: fc.Arbitrary<Tamper>[] = [
        fc.record({
          kind: fc.constant('edit' as const),
          line: fc.nat(n - 1),
          entry: fc.jsonValue({ maxDepth: 2 }),
          rehash: fc.boolean(),
        }),
        fc.record({ kind: fc.constant('truncate' as const), k: fc.integer({ min: 1, max: n }) }),
        fc.record({
          kind: fc.constant('byte' as const),
          pos: fc.nat(size - 1),
          value: fc.integer({ min: 0, max: 255 }),
        }),
      ];
      if (n >= 2) {
        arbs.push(
          fc
            .tuple(fc.nat(n - 1), fc.nat(n - 1))
            .filter(([a, b]) => a !== b)
            .map(([a, b]) => ({ kind: 'swap' as const, a, b })),
        );
      }
      return fc.oneof(...arbs);
    }

    /** Returns the tampered bytes, or null when the tamper would not change the file. */
    function applyTamper(bytes: Buffer, t: Tamper): Buffer | null {
      const lines = splitLines(bytes.toString('utf8'));
      switch (t.kind) {
        case 'edit': {
          const line = JSON.parse(lines[t.line]) as LedgerLine<unknown>;
          if (canonicalJson(line.entry) === canonicalJson(t.entry)) return null;
          line.entry = t.entry;
          if (t.rehash) line.hash = lineHash(line.seq, line.at, line.prev_hash, line.entry);
          lines[t.line] = canonicalJson(line);
          break;
        }
        case 'swap':
          [lines[t.a], lines[t.b]] = [lines[t.b], lines[t.a]];
          break;
        case 'truncate':
          lines.splice(lines.length - t.k, t.k);
          break;
        case 'byte': {
          if (bytes[t.pos] === t.value) return null;
          const copy = Buffer.from(bytes);
          copy[t.pos] = t.value;
          return copy;
        }
      }
      return Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
    }

    it('reports a problem for any single edit, swap of two lines, trailing truncation or changed byte', async () => {
      const dir = await freshDir();
      let i = 0;
      const scenario = fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 6 }).chain((entries) => {
        const size = Buffer.concat(
          entries
            .reduce<LedgerLine<unknown>[]>(
              (acc, e) => [...acc, nextLine(acc[acc.length - 1], '2026-06-02T00:00:00.000Z', e)],
              [],
            )
            .map(encodeLine),
        ).length;
        return fc.tuple(fc.constant(entries), tamperArb(entries.length, size));
      });
      await fc.assert(
        fc.asyncProperty(scenario, async ([entries, tamper]) => {
          const path = join(dir, `t-${i++}.jsonl`);
          const original = entries.reduce<LedgerLine<unknown>[]>(
            (acc, e) => [...acc, nextLine(acc[acc.length - 1], '2026-06-02T00:00:00.000Z', e)],
            [],
          );
          const bytes = Buffer.concat(original.map(encodeLine));
          const tampered = applyTamper(bytes, tamper);
          fc.pre(tampered !== null && !tampered.equals(bytes));
          const last = original[original.length - 1];
          await writeFile(`${path}.head.json`, encodeHead(signHead(signer, last.seq, last.hash, last.seq, last.at)));
          await writeFile(path, tampered!);

          const readOnly = await verifyLedgerFile(path, [signer.keyId]);
          expect(readOnly.ok).toBe(false);
          expect(readOnly.problems.length).toBeGreaterThan(0);

          const ledger = await HashChainLedger.open(path, { signer });
          const result = await ledger.verify();
          expect(result.ok).toBe(false);
          expect(result.repairs).toEqual([]);
          // A tampered ledger is never "repaired" or appended to.
          expect((await readFile(path)).equals(tampered!)).toBe(true);
          await expect(ledger.append({ more: true })).rejects.toMatchObject({ code: 'ledger_tampered' });
        }),
        { numRuns: 150 },
      );
    });

    async function ledgerOf(n: number): Promise<{ path: string; lines: LedgerLine<unknown>[] }> {
      const dir = await freshDir();
      const path = join(dir, 'l.jsonl');
      const lines = await writeValidLedger(
        path,
        Array.from({ length: n }, (_, i) => ({ i })),
      );
      return { path, lines };
    }

    async function problemsOf(path: string): Promise<string[]> {
      const ledger = await HashChainLedger.open(path, { signer });
      const r = await ledger.verify();
      expect(r.ok).toBe(false);
      return r.problems;
    }

    it('names the line of an edited entry', async () => {
      const { path } = await ledgerOf(3);
      const lines = splitLines(await readFile(path, 'utf8'));
      lines[1] = lines[1].replace('"i":1', '"i":7');
      await writeFile(path, lines.map((l) => `${l}\n`).join(''));
      expect(await problemsOf(path)).toEqual([expect.stringMatching(/^line 2: hash mismatch .* edited/)]);
    });

    it('names reordered lines', async () => {
      const { path } = await ledgerOf(3);
      const lines = splitLines(await readFile(path, 'utf8'));
      await writeFile(path, [lines[0], lines[2], lines[1]].map((l) => `${l}\n`).join(''));
      const problems = await problemsOf(path);
      expect(problems).toContainEqual(expect.stringMatching(/^line 2: seq is 3, expected 2/));
      expect(problems).toContainEqual(expect.stringMatching(/^line 3: seq is 2, expected 3/));
    });

    it('reports a truncated tail against the signed head', async () => {
      const { path } = await ledgerOf(4);
      const lines = splitLines(await readFile(path, 'utf8'));
      await writeFile(
        path,
        lines
          .slice(0, 2)
          .map((l) => `${l}\n`)
          .join(''),
      );
      expect(await problemsOf(path)).toEqual([
        expect.stringMatching(/covers 4 entries but the file has only 2: 2 entries were removed from the end/),
      ]);
    });

    it('reports a head signed by an untrusted key, and a head whose signed fields were edited', async () => {
      const { path, lines } = await ledgerOf(2);
      const last = lines[1];
      await writeFile(`${path}.head.json`, encodeHead(signHead(otherSigner, 2, last.hash, 2, last.at)));
      expect(await problemsOf(path)).toEqual([
        expect.stringMatching(/signed by key ed25519:[0-9a-f]{64}, which is not a trusted key/),
      ]);

      const head = JSON.parse(encodeHead(signHead(signer, 2, last.hash, 2, last.at)).toString()) as SignedHead;
      await writeFile(`${path}.head.json`, JSON.stringify({ ...head, count: 1, seq: 1 }));
      expect(await problemsOf(path)).toEqual([expect.stringMatching(/signature is invalid/)]);
    });

    it('reports a head ahead of the file, a missing head, and lines appended without the key', async () => {
      const { path, lines } = await ledgerOf(2);
      const fake = nextLine(lines[1], '2026-06-02T01:00:00.000Z', { i: 99 });
      await writeFile(`${path}.head.json`, encodeHead(signHead(signer, 3, fake.hash, 3, fake.at)));
      expect(await problemsOf(path)).toEqual([
        expect.stringMatching(/covers 3 entries but the file has only 2: .*head is ahead of the file/),
      ]);

      await unlink(`${path}.head.json`);
      expect(await problemsOf(path)).toEqual([expect.stringMatching(/head file is missing: the 2 entries/)]);
      // The ledger was not emptied because its head went missing.
      expect(splitLines(await readFile(path, 'utf8'))).toHaveLength(2);

      const { path: p2, lines: l2 } = await ledgerOf(2);
      const x = nextLine(l2[1], '2026-06-02T01:00:00.000Z', { forged: 1 });
      const y = nextLine(x, '2026-06-02T01:00:01.000Z', { forged: 2 });
      await appendFile(p2, Buffer.concat([encodeLine(x), encodeLine(y)]));
      expect(await problemsOf(p2)).toEqual([expect.stringMatching(/^lines 3–4 are beyond the signed head/)]);
    });
  });

  describe('crash recovery', () => {
    it('cuts away a torn last line beyond the signed head on open, and logs what it removed', async () => {
      const path = join(await freshDir(), 'torn.jsonl');
      const ledger = await HashChainLedger.open<{ i: number }>(path, { signer });
      await ledger.append({ i: 1 });
      await ledger.append({ i: 2 });
      const good = await readFile(path);
      const torn = '{"at":"2026-06-02T00:00:00.000Z","entry":{"i":3},"ha';
      await appendFile(path, torn);

      const reopened = await HashChainLedger.open<{ i: number }>(path, { signer });
      expect(reopened.repairs).toEqual([
        expect.stringMatching(/removed torn line 3 \(\d+ bytes without a newline.*never committed/),
      ]);
      expect((await readFile(path)).equals(good)).toBe(true);
      expect(await reopened.verify()).toMatchObject({ ok: true, entries: 2, problems: [] });
      const log = splitLines(await readFile(`${path}.repairs.jsonl`, 'utf8')).map((l) => JSON.parse(l));
      expect(Buffer.from(log[0].removed_base64, 'base64').toString()).toBe(torn);
      expect((await reopened.append({ i: 3 })).seq).toBe(3);
    });

    it('cuts away a complete line written before the crash could sign the head', async () => {
      const path = join(await freshDir(), 'unsigned.jsonl');
      const ledger = await HashChainLedger.open<{ i: number }>(path, { signer });
      const first = await ledger.append({ i: 1 });
      await appendFile(path, encodeLine(nextLine(first, new Date().toISOString(), { i: 2 })));
      // The read-only check reports it without touching the file …
      const ro = await verifyLedgerFile(path, [signer.keyId]);
      expect(ro.problems).toEqual([expect.stringMatching(/found complete but unsigned line 2.*Opening the ledger/)]);
      // … and the ledger's own verify() repairs it, saying so.
      const r = await ledger.verify();
      expect(r).toMatchObject({ ok: true, entries: 1, problems: [] });
      expect(r.repairs).toEqual([expect.stringMatching(/removed complete but unsigned line 2/)]);
      expect(await ledger.read()).toEqual([first]);
    });

    it('repairs a first append that never got a head', async () => {
      const path = join(await freshDir(), 'first.jsonl');
      await HashChainLedger.open(path, { signer });
      await writeFile(path, encodeLine(nextLine(undefined, new Date().toISOString(), { i: 1 })));
      const ledger = await HashChainLedger.open(path, { signer });
      expect(ledger.repairs).toHaveLength(1);
      expect(await ledger.read()).toEqual([]);
    });
  });
});

describe('credit ledger', () => {
  it('grants idempotently, refuses a reused key with other terms, and debits a run once', async () => {
    const credits = await CreditLedger.open(join(await freshDir(), 'credits.jsonl'), { signer });
    const g1 = await credits.grant('cred_demo_tokenops_001', 10, 'grant-1', 'test-provider');
    expect(g1).toMatchObject({
      alreadyGranted: false,
      balance: 10,
      entry: { seq: 1, entry: { type: 'grant', credits: 10, source: 'test-provider' } },
    });
    const again = await credits.grant('cred_demo_tokenops_001', 10, 'grant-1', 'test-provider');
    expect(again).toEqual({ ...g1, alreadyGranted: true });
    const conflict = await caught(credits.grant('cred_demo_tokenops_001', 11, 'grant-1'));
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toMatch(/grant-1.*line 1.*Use a new key/);
    expect((await caught(credits.grant('cred_x', 1, 'debit:run_1'))).code).toBe('input_invalid');
    expect((await caught(credits.grant('cred_x', 1.5, 'g'))).message).toMatch(/whole number/);

    const d1 = await credits.debitOnce({ entitlementId: 'cred_demo_tokenops_001', runId: 'run_1', credits: 1 });
    expect(d1).toMatchObject({
      alreadyDebited: false,
      balance: 9,
      entry: { entry: { type: 'debit', idempotency_key: debitKey('run_1'), run_id: 'run_1' } },
    });
    const d2 = await credits.debitOnce({ entitlementId: 'cred_demo_tokenops_001', runId: 'run_1', credits: 1 });
    expect(d2).toEqual({ ...d1, alreadyDebited: true });
    const other = await caught(
      credits.debitOnce({ entitlementId: 'cred_demo_tokenops_001', runId: 'run_1', credits: 2 }),
    );
    expect(other.code).toBe('conflict');
    expect(other.message).toMatch(/Run run_1 was already debited 1 credits/);
    expect(await credits.balance('cred_demo_tokenops_001')).toBe(9);
    expect(await credits.balance('cred_unknown')).toBe(0);
    expect((await credits.entries()).length).toBe(2);
  });

  it('refuses a debit beyond the balance with a clear message and leaves the files unchanged', async () => {
    const path = join(await freshDir(), 'credits.jsonl');
    const credits = await CreditLedger.open(path, { signer });
    await credits.grant('cred_a', 2, 'g1', 'test');
    const before = [await readFile(path), await readFile(`${path}.head.json`)];
    const err = await caught(credits.debitOnce({ entitlementId: 'cred_a', runId: 'run_big', credits: 3 }));
    expect(err.code).toBe('insufficient_credits');
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(
      'Entitlement cred_a has 2 credits; run run_big needs 3. Nothing was debited: grant more credits to this entitlement, then retry.',
    );
    expect([await readFile(path), await readFile(`${path}.head.json`)]).toEqual(before);
    expect(await credits.debitFor('run_big')).toBeUndefined();
    // After a top-up the same run can be debited.
    await credits.grant('cred_a', 1, 'g2', 'test');
    expect(await credits.debitOnce({ entitlementId: 'cred_a', runId: 'run_big', credits: 3 })).toMatchObject({
      alreadyDebited: false,
      balance: 0,
    });
  });

  it('property: any mix of grants, debits, replays and reopens debits each run at most once and never overdraws', async () => {
    const ENTS = ['cred_a', 'cred_b'];
    const RUNS = ['run_1', 'run_2', 'run_3', 'run_4'];
    type Op =
      | { op: 'grant'; ent: string; credits: number; key: string }
      | { op: 'debit'; ent: string; run: string; credits: number }
      | { op: 'replay'; index: number }
      | { op: 'reopen' };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        op: fc.constant('grant' as const),
        ent: fc.constantFrom(...ENTS),
        credits: fc.integer({ min: 0, max: 5 }),
        key: fc.constantFrom('g1', 'g2', 'g3', 'g4'),
      }),
      fc.record({
        op: fc.constant('debit' as const),
        ent: fc.constantFrom(...ENTS),
        run: fc.constantFrom(...RUNS),
        credits: fc.integer({ min: 0, max: 4 }),
      }),
      fc.record({ op: fc.constant('replay' as const), index: fc.nat() }),
      fc.constant({ op: 'reopen' as const }),
    );
    const dir = await freshDir();
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 16 }), async (ops) => {
        const path = join(dir, `p-${i++}.jsonl`);
        let ledger = await CreditLedger.open(path, { signer });
        const model = {
          keys: new Map<string, { type: string; ent: string; credits: number }>(),
          bal: new Map<string, number>(),
        };
        const done: Op[] = [];
        for (const raw of ops) {
          let op = raw;
          if (op.op === 'replay') {
            const prior = done.filter((o) => o.op === 'grant' || o.op === 'debit');
            if (prior.length === 0) continue;
            op = prior[op.index % prior.length];
          }
          if (op.op === 'reopen') {
            ledger = await CreditLedger.open(path, { signer });
            continue;
          }
          done.push(op);
          const key = op.op === 'grant' ? op.key : debitKey(op.run);
          const prev = model.keys.get(key);
          const bal = model.bal.get(op.ent) ?? 0;
          const sizeBefore = (await readFile(path).catch(() => Buffer.alloc(0))).length;
          const call =
            op.op === 'grant'
              ? ledger.grant(op.ent, op.credits, op.key, 'prop')
              : ledger.debitOnce({ entitlementId: op.ent, runId: op.run, credits: op.credits });
          if (prev) {
            if (prev.type === op.op && prev.ent === op.ent && prev.credits === op.credits) {
              const r = (await call) as { alreadyGranted?: boolean; alreadyDebited?: boolean };
              expect(r.alreadyGranted ?? r.alreadyDebited).toBe(true);
            } else {
              expect((await caught(call)).code).toBe('conflict');
            }
          } else if (op.op === 'debit' && bal < op.credits) {
            const e = await caught(call);
            expect(e.code).toBe('insufficient_credits');
            expect(e.message).toContain(`${op.ent} has ${bal} credits`);
          } else {
            await call;
            model.keys.set(key, { type: op.op, ent: op.ent, credits: op.credits });
            model.bal.set(op.ent, bal + (op.op === 'grant' ? op.credits : -op.credits));
          }
          if (model.keys.get(key) === prev)
            expect((await readFile(path).catch(() => Buffer.alloc(0))).length).toBe(sizeBefore);
          for (const ent of ENTS) {
            const b = await ledger.balance(ent);
            expect(b).toBe(model.bal.get(ent) ?? 0);
            expect(b).toBeGreaterThanOrEqual(0);
          }
        }
        // From the file itself: one debit per run at most, balance = grants − debits, never below zero on the way.
        const entries = await ledger.entries();
        for (const run of RUNS)
          expect(entries.filter((l) => l.entry.type === 'debit' && l.entry.run_id === run).length).toBeLessThanOrEqual(
            1,
          );
        const running = new Map<string, number>();
        for (const { entry } of entries) {
          const next =
            (running.get(entry.credit_entitlement_id) ?? 0) + (entry.type === 'grant' ? entry.credits : -entry.credits);
          expect(next).toBeGreaterThanOrEqual(0);
          running.set(entry.credit_entitlement_id, next);
        }
        for (const ent of ENTS) expect(await ledger.balance(ent)).toBe(running.get(ent) ?? 0);
        expect(await ledger.verify()).toMatchObject({ ok: true, problems: [] });
      }),
      { numRuns: 40 },
    );
  });
});

describe('receipt ledger', () => {
  it('records receipts once by receipt_id, refuses a changed receipt, lists and verifies', async () => {
    const receipts = await ReceiptLedger.open(join(await freshDir(), 'receipts.jsonl'), { signer });
    const receipt = {
      receipt_id: 'usage_demo_20260602_001',
      receipt_type: 'tokenops_usage_receipt',
      operating_tool: 'tokenops',
      credits_debited: 1,
      remaining_credits: 9,
    };
    const first = await receipts.append(receipt);
    expect(first.alreadyRecorded).toBe(false);
    expect(await receipts.append({ ...receipt })).toEqual({ entry: first.entry, alreadyRecorded: true });
    const changed = await caught(receipts.append({ ...receipt, remaining_credits: 8 }));
    expect(changed.code).toBe('conflict');
    expect(changed.message).toMatch(/usage_demo_20260602_001 is already in the receipt ledger \(line 1\)/);
    expect((await caught(receipts.append({ receipt_id: '' } as never))).code).toBe('input_invalid');
    await receipts.append({ ...receipt, receipt_id: 'usage_demo_20260602_002' });
    expect((await receipts.list()).map((l) => l.entry.receipt_id)).toEqual([
      'usage_demo_20260602_001',
      'usage_demo_20260602_002',
    ]);
    expect((await receipts.get('usage_demo_20260602_002'))?.seq).toBe(2);
    expect(await receipts.verify()).toMatchObject({ ok: true, entries: 2 });
  });
});

// ——— across processes ———

interface Child {
  proc: ChildProcess;
  lines: AsyncIterator<string>;
  exited: Promise<number | null>;
}

function startChild(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures', script), ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  exited.then((code) => {
    if (code !== 0 && code !== null && stderr) console.error(`${script} exited ${code}:\n${stderr}`);
  });
  return { proc, lines: createInterface({ input: proc.stdout! })[Symbol.asyncIterator](), exited };
}

async function nextLineOf(child: Child): Promise<string> {
  const r = await child.lines.next();
  if (r.done) throw new Error('child closed its output early');
  return r.value;
}

describe('across processes', () => {
  it('four processes debiting the same run at the same moment debit it exactly once', async () => {
    const path = join(await freshDir(), 'race.jsonl');
    const credits = await CreditLedger.open(path, { signer });
    await credits.grant('cred_race', 10, 'fund', 'test');
    for (const runId of ['run_race_1', 'run_race_2']) {
      const children = Array.from({ length: 4 }, () =>
        startChild('ledger-debit-child.ts', [path, keyPath, 'cred_race', runId, '3']),
      );
      for (const c of children) expect(await nextLineOf(c)).toBe('ready');
      for (const c of children) c.proc.stdin!.write('go\n');
      const results = await Promise.all(
        children.map(
          async (c) => JSON.parse(await nextLineOf(c)) as { ok: boolean; alreadyDebited: boolean; seq: number },
        ),
      );
      expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0, 0, 0]);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.filter((r) => !r.alreadyDebited)).toHaveLength(1);
      expect(new Set(results.map((r) => r.seq)).size).toBe(1);
    }
    const debits = (await credits.entries()).filter((l) => l.entry.type === 'debit');
    expect(debits.map((l) => l.entry.run_id)).toEqual(['run_race_1', 'run_race_2']);
    expect(await credits.balance('cred_race')).toBe(4);
    expect(await credits.verify()).toMatchObject({ ok: true, entries: 3 });
  });

  it('a writer killed with SIGKILL loses no acknowledged entry; reopening repairs and verifies', async () => {
    const path = join(await freshDir(), 'crash.jsonl');
    await ReceiptLedger.open(path, { signer }); // creates the folder
    const acked: { seq: number; hash: string; id: string }[] = [];
    const allRepairs: string[] = [];
    for (let round = 0; round < 5; round++) {
      const child = startChild('ledger-append-loop-child.ts', [path, keyPath, `r${round}`]);
      let inRound = 0;
      const collect = (line: string): void => {
        const [, seq, hash, id] = line.split(' ');
        acked.push({ seq: Number(seq), hash, id });
        inRound++;
      };
      while (inRound < 20) collect(await nextLineOf(child));
      // Land the kill at an arbitrary point of a later append (not a timing assertion).
      await new Promise((r) => setTimeout(r, Math.random() * 4));
      child.proc.kill('SIGKILL');
      // Acknowledgements already in the pipe still count: the append had resolved.
      for (let r = await child.lines.next(); !r.done; r = await child.lines.next()) collect(r.value);
      expect(await child.exited).toBeNull();

      const reopened = await ReceiptLedger.open(path, { signer });
      allRepairs.push(...reopened.repairs);
      const bySeq = new Map((await reopened.list()).map((l) => [l.seq, l]));
      for (const a of acked) {
        expect(bySeq.get(a.seq)?.hash).toBe(a.hash);
        expect(bySeq.get(a.seq)?.entry.receipt_id).toBe(a.id);
      }
      expect(await reopened.verify()).toMatchObject({ ok: true, problems: [] });
      expect((await readdir(dirname(path))).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
    }
    // Each repair, if any happened, was a single uncommitted line.
    for (const r of allRepairs) expect(r).toMatch(/never committed/);
  });

  it('takes over a lock left by a dead process, and names a live holder when it times out', async () => {
    const path = join(await freshDir(), 'locks.jsonl');
    const ledger = await HashChainLedger.open<{ i: number }>(path, { signer, lockTimeoutMs: 300 });
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => dead.on('exit', r));
    const owner = (pid: number | undefined, token: string) =>
      JSON.stringify({
        pid,
        hostname: hostname(),
        started_at: new Date().toISOString(),
        acquired_at: new Date().toISOString(),
        proc_start: null,
        token,
      });
    await writeFile(`${path}.lock`, owner(dead.pid, 'x'));
    expect((await ledger.append({ i: 1 })).seq).toBe(1);

    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await writeFile(`${path}.lock`, owner(live.pid, 'y'));
      const err = await caught(ledger.append({ i: 2 }));
      expect(err.code).toBe('locked');
      expect(err.message).toContain(`held by process ${live.pid}`);
      expect(err.message).toContain(`delete ${path}.lock`);
    } finally {
      live.kill('SIGKILL');
    }
    await unlink(`${path}.lock`);
    expect((await ledger.append({ i: 2 })).seq).toBe(2);
  });
});
