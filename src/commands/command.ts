/** The contract between the CLI shell and each command's implementation. */
import type { ParsedFlags } from './flags.js';

/** Where a command writes. Tests pass buffers; main passes the process streams. */
export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CommandContext extends CommandIO {
  readonly flags: ParsedFlags;
  /** `-machine-readable` was given anywhere on the command line. */
  readonly machineReadable: boolean;
}

/** What a command file exports. The promise resolves to the process exit code. */
export interface CommandModule {
  run(ctx: CommandContext): Promise<number>;
}

/** Exit codes as Packer uses them. */
export const EXIT = { ok: 0, error: 1, fmtCheck: 3, usage: 127 } as const;
