/**
 * The IPC surface main exposes to the renderer (electron/main/ipc-handlers.ts + path-grants.ts), driven
 * through the same dispatcher Electron main uses, on real TokenOps data folders: the renderer can only use
 * paths that main's dialogs or drops issued, never names a write target, and trusts a signer only as checked.
 */
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTokenOps, type TokenOps } from '../../electron/services/tokenops';
import { ipcHandlers, type Shell } from '../../electron/main/ipc-handlers';
import { PathGrants } from '../../electron/main/path-grants';
import { createDispatcher } from '../../shared/ipc/dispatch';
import type { IpcChannel } from '../../shared/ipc/contract';

const SAMPLE = join(import.meta.dirname, '../../resources/sample-evidence');

/** A shell whose dialogs answer from queues, like an operator clicking through them. */
function scriptedShell() {
  const opens: string[][] = [];
  const saves: Array<string | null> = [];
  const revealed: string[] = [];
  const shell: Shell = {
    pickPaths: async () => opens.shift() ?? [],
    savePath: async () => (saves.length ? saves.shift()! : null),
    reveal: async (p) => void revealed.push(p),
  };
  return { shell, opens, saves, revealed };
}

const open: TokenOps[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

async function bridge() {
  const home = await mkdtemp(join(tmpdir(), 'tokenops-ipc-home-'));
  const t = await openTokenOps({ home });
  open.push(t);
  const s = scriptedShell();
  const grants = new PathGrants();
  const dispatch = createDispatcher(ipcHandlers(t.handlers, grants, s.shell));
  const call = async (channel: IpcChannel, input: unknown) =>
    (await dispatch(channel, input)) as { ok: boolean; value?: any; error?: { code: string; message: string } };
  return { home, t, s, grants, call };
}

async function sampleCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenops-ipc-evidence-'));
  await cp(SAMPLE, dir, { recursive: true });
  return dir;
}

/** A run holding the sample evidence, added the way the app does: the open dialog, then its grants. */
async function runWithSample(b: Awaited<ReturnType<typeof bridge>>) {
  const created = await b.call('runs.create', { title: 'IPC grants' });
  expect(created.ok).toBe(true);
  const run_id = created.value.run.run_id as string;
  const dir = await sampleCopy();
  b.s.opens.push([dir]);
  const picked = await b.call('dialog.pickPaths', { purpose: 'evidence' });
  expect(picked.ok).toBe(true);
  const added = await b.call('evidence.addFiles', { run_id, grants: picked.value.picks.map((p: any) => p.token) });
  expect(added.ok, added.error?.message).toBe(true);
  return run_id;
}

describe('paths only as grants main issued', () => {
  it('a raw path in place of a grant is invalid input, and nothing is copied', async () => {
    const b = await bridge();
    const run_id = (await b.call('runs.create', { title: 'x' })).value.run.run_id;
    for (const grants of [['/proc/self/environ'], ['/']]) {
      const r = await b.call('evidence.addFiles', { run_id, grants });
      expect(r.ok).toBe(false);
      expect(r.error!.code).toBe('input_invalid');
    }
    const v = await b.call('bundle.verify', { grant: '/etc/passwd' });
    expect(v.error?.code).toBe('input_invalid');
    const files = (await b.call('runs.get', { run_id })).value.run.files;
    expect(files).toEqual([]);
  });

  it('a well-formed token main never issued is refused with what to do', async () => {
    const b = await bridge();
    const run_id = (await b.call('runs.create', { title: 'x' })).value.run.run_id;
    const r = await b.call('evidence.addFiles', { run_id, grants: ['pg_AAAAAAAAAAAAAAAAAAAAAA'] });
    expect(r.ok).toBe(false);
    expect(r.error!.code).toBe('usage');
    expect(r.error!.message).toMatch(/not chosen in this window.*file dialog or drop/);
  });

  it('the renderer cannot name a write target: out_path and force are not part of run.package', async () => {
    const b = await bridge();
    const run_id = await runWithSample(b);
    const target = join(b.home, 'keys', 'signing-key.pem');
    const before = await readFile(target, 'utf8').catch(() => null);
    for (const input of [
      { run_id, out_path: target },
      { run_id, out_path: target, force: true },
    ]) {
      const r = await b.call('run.package', input);
      expect(r.ok).toBe(false);
      expect(r.error!.code).toBe('input_invalid');
    }
    expect(await readFile(target, 'utf8').catch(() => null)).toBe(before);
  });

  it('a read grant (open dialog or drop) is refused as a package destination', async () => {
    const b = await bridge();
    const run_id = await runWithSample(b);
    const victim = join(await mkdtemp(join(tmpdir(), 'tokenops-ipc-victim-')), 'notes.txt');
    await writeFile(victim, 'keep me\n');
    b.s.opens.push([victim]);
    const pick = (await b.call('dialog.pickPaths', { purpose: 'replacement' })).value.picks[0];
    const r = await b.call('run.package', { run_id, destination: pick.token });
    expect(r.ok).toBe(false);
    expect(r.error!.message).toMatch(/chosen to be read, not written/);
    expect(await readFile(victim, 'utf8')).toBe('keep me\n');
  });

  it('a save-dialog answer inside the data folder is refused, and the signing key survives', async () => {
    const b = await bridge();
    const run_id = await runWithSample(b);
    const keyDir = join(b.home, 'keys');
    const keyFiles = await readdir(keyDir);
    const target = join(keyDir, keyFiles[0]!);
    const before = await readFile(target);
    b.s.saves.push(target);
    const pick = (await b.call('dialog.savePath', { suggested_name: 'tokenops.zip' })).value.pick;
    const r = await b.call('run.package', { run_id, destination: pick.token });
    expect(r.ok).toBe(false);
    expect(r.error!.message).toMatch(/data folder/);
    expect(await readFile(target)).toEqual(before);
  });

  it('a save-dialog answer outside the data folder gets the bundle, and Show in folder reveals that path', async () => {
    const b = await bridge();
    const run_id = await runWithSample(b);
    const unpackaged = await b.call('shell.revealBundle', { run_id });
    expect(unpackaged.error?.code).toBe('not_found');
    const dest = join(await mkdtemp(join(tmpdir(), 'tokenops-ipc-out-')), 'chosen.zip');
    b.s.saves.push(dest);
    const pick = (await b.call('dialog.savePath', { suggested_name: 'tokenops.zip' })).value.pick;
    expect(pick.name).toBe('chosen.zip');
    const r = await b.call('run.package', { run_id, destination: pick.token });
    expect(r.ok, r.error?.message).toBe(true);
    expect(existsSync(dest)).toBe(true);
    expect((await b.call('shell.revealBundle', { run_id })).ok).toBe(true);
    expect(b.s.revealed).toEqual([dest]);
    // A cancelled save dialog issues nothing.
    expect((await b.call('dialog.savePath', { suggested_name: 'x.zip' })).value.pick).toBeNull();
  });
});

describe('trusting a signer from the verify screen', () => {
  it('a bundle signed by another home is untrusted; the right fingerprint trusts it, a wrong one trusts nothing', async () => {
    const signer = await bridge();
    const dest = join(await mkdtemp(join(tmpdir(), 'tokenops-ipc-out-')), 'other.zip');
    const packed = await signer.t.pack({ dir: await sampleCopy(), out: dest });
    expect(packed.packaged).toBe(true);

    const b = await bridge();
    b.s.opens.push([dest]);
    const pick = (await b.call('dialog.pickPaths', { purpose: 'bundle' })).value.picks[0];
    const first = await b.call('bundle.verify', { grant: pick.token });
    expect(first.ok).toBe(true);
    expect(first.value.ok).toBe(false);
    expect(first.value.signer_trusted).toBe(false);
    const fingerprint = first.value.signer_fingerprint as string;
    expect(fingerprint).toMatch(/^SHA256:/);

    const wrong = await b.call('trust.addSigner', {
      grant: pick.token,
      name: 'Acme',
      fingerprint: 'SHA256:' + 'A'.repeat(43),
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.error!.code).toBe('conflict');
    expect((await b.call('bundle.verify', { grant: pick.token })).value.ok).toBe(false);

    const right = await b.call('trust.addSigner', { grant: pick.token, name: 'Acme', fingerprint });
    expect(right.ok, right.error?.message).toBe(true);
    expect(right.value.fingerprint).toBe(fingerprint);
    const again = await b.call('bundle.verify', { grant: pick.token });
    expect(again.value.ok).toBe(true);
    expect(again.value.signer_trusted).toBe(true);
  });
});
