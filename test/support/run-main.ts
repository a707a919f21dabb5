/**
 * Runs kiln's `main()` in this process with captured output: for command tests that
 * need no compiled dist/ and no separate process.
 */
import { main } from '../../src/commands/main.js';

export interface MainRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `kiln args` with `env` (added to this process's environment, PACKER_LOG cleared) in `cwd`. */
export async function runMain(args: readonly string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<MainRun> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...process.env, PACKER_LOG: '', ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
  });
  return { status, stdout, stderr };
}
