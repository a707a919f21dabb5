/**
 * A child that dies with kiln: on Linux, `setpriv --pdeathsig KILL` (util-linux) sets
 * the child's parent-death signal and then execs the program in place (same pid, the
 * program's own command line), so a VM or plugin does not outlive a `kill -9` of kiln.
 * Packer has no such guard. Where setpriv is missing the command runs as given: the
 * ledger's record and `kiln gc` still find the process.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

let setprivPath: string | null | undefined;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `command` as spawn would find it (a path, or a name on PATH); undefined when it would not. */
function findExecutable(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (command.includes('/')) return executable(command) ? command : undefined;
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir !== '' && executable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/**
 * `command args` wrapped so that the process gets SIGKILL when kiln dies (see above).
 * A command that cannot be found is left unwrapped, so spawn's own error still names it.
 */
export function killedWithParent(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): { command: string; args: string[] } {
  if (setprivPath === undefined) setprivPath = process.platform === 'linux' ? (findExecutable('setpriv', { PATH: `${env['PATH'] ?? ''}:/usr/bin:/bin` }) ?? null) : null;
  if (setprivPath === null || findExecutable(command, env) === undefined) return { command, args: [...args] };
  return { command: setprivPath, args: ['--pdeathsig', 'KILL', '--', command, ...args] };
}
