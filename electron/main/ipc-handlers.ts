/**
 * The handler for every IPC channel, as the renderer sees them: the services' own handlers, except that
 * the four channels that touch the disk take grants (path-grants.ts) which are resolved here first, and
 * the shell channels (dialogs, the file manager) issue and use grants. No Electron import: Electron main
 * passes its dialogs in as `Shell`, and the end-to-end bridge passes a scripted one, so both run this code.
 */
import { TokenOpsError } from '../../shared/errors';
import type { IpcChannel, IpcInput, IpcOutput, ServiceChannel } from '../../shared/ipc/contract';
import type { Handler } from '../../shared/ipc/dispatch';
import type { ServiceHandlers } from '../services/tokenops';
import type { PathGrants } from './path-grants';

/** What only the desktop shell can do. Each returns real paths, which become grants here. */
export interface Shell {
  pickPaths(purpose: IpcInput<'dialog.pickPaths'>['purpose']): Promise<string[]>;
  /** The operator's answer to the save dialog, or null when cancelled. The dialog itself confirms a replace. */
  savePath(suggestedName: string): Promise<string | null>;
  reveal(path: string): Promise<void>;
}

type Handlers = { [C in IpcChannel]: (input: IpcInput<C>) => Promise<IpcOutput<C>> };

export function ipcHandlers(services: ServiceHandlers, grants: PathGrants, shell: Shell): Record<IpcChannel, Handler> {
  const granted: Pick<
    Handlers,
    'evidence.addFiles' | 'files.replace' | 'run.package' | 'bundle.verify' | 'trust.addSigner'
  > = {
    'evidence.addFiles': ({ run_id, grants: tokens }) =>
      services['evidence.addFiles']({ run_id, paths: tokens.map((t) => grants.resolve(t, 'read')) }),
    'files.replace': ({ run_id, file_id, grant }) =>
      services['files.replace']({ run_id, file_id, path: grants.resolve(grant, 'read') }),
    // The save dialog asked before replacing an existing file, so a destination grant overwrites (force);
    // the services still refuse a destination inside the data folder.
    'run.package': ({ run_id, destination }) =>
      services['run.package'](
        destination ? { run_id, out_path: grants.resolve(destination, 'write'), force: true } : { run_id },
      ),
    'bundle.verify': ({ grant }) => services['bundle.verify']({ path: grants.resolve(grant, 'read') }),
    'trust.addSigner': ({ grant, name, fingerprint }) =>
      services['trust.addSigner']({ path: grants.resolve(grant, 'read'), name, fingerprint }),
  };
  const shellHandlers: Pick<Handlers, 'dialog.pickPaths' | 'dialog.savePath' | 'shell.revealBundle'> = {
    'dialog.pickPaths': async ({ purpose }) => ({
      picks: (await shell.pickPaths(purpose)).map((p) => grants.issue(p, 'read')),
    }),
    'dialog.savePath': async ({ suggested_name }) => {
      const path = await shell.savePath(suggested_name);
      return { pick: path === null ? null : grants.issue(path, 'write') };
    },
    // The path is the one the services wrote, read from the store: the renderer only names the run.
    'shell.revealBundle': async ({ run_id }) => {
      const { run } = await services['runs.get']({ run_id });
      const path = run.outputs?.bundle?.path;
      if (!path) throw new TokenOpsError('not_found', 'This run has not exported a bundle yet.');
      await shell.reveal(path);
      return { shown: true };
    },
  };
  const passthrough = services as unknown as Record<Exclude<ServiceChannel, keyof typeof granted>, Handler>;
  return { ...passthrough, ...granted, ...shellHandlers } as Record<IpcChannel, Handler>;
}
