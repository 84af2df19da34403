import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AllowedPaths } from '../../electron/services/mcp/allowed-paths';

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => fs.rm(d, { recursive: true, force: true }))));

describe('AllowedPaths (tokenops mcp --allow)', () => {
  it('refuses a missing --allow folder and one that holds or sits in the data folder, and sees through links', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-allow-'));
    temps.push(root);
    const home = path.join(root, 'home');
    const work = path.join(root, 'work');
    await fs.mkdir(home);
    await fs.mkdir(work);
    await expect(AllowedPaths.of([path.join(root, 'nope')], home)).rejects.toThrow(/--allow .*nope: no such folder/);
    await expect(AllowedPaths.of([root], home)).rejects.toThrow(/holds or is inside the data folder/);
    await expect(AllowedPaths.of([home], home)).rejects.toThrow(/holds or is inside the data folder/);

    const allowed = await AllowedPaths.of([work], home);
    await fs.writeFile(path.join(work, 'ok.json'), '{}');
    expect(await allowed.existing(path.join(work, 'ok.json'))).toBe(await fs.realpath(path.join(work, 'ok.json')));
    // A link inside the allowed folder that points into the data folder is refused.
    await fs.writeFile(path.join(home, 'secret.pem'), 'key');
    await fs.symlink(path.join(home, 'secret.pem'), path.join(work, 'link.pem'));
    await expect(allowed.existing(path.join(work, 'link.pem'))).rejects.toThrow(/inside the TokenOps data folder/);
    await expect(allowed.target(path.join(work, 'missing-dir', 'out.zip'))).rejects.toThrow(/No folder/);
  });
});
