/**
 * The composition root: picks the command, parses its flags, runs it, and turns the
 * outcome into an exit code. This is the one place that catches unexpected errors.
 */
import type { CommandIO } from './command.js';
import { EXIT } from './command.js';
import { isHelpArg, parseFlags, stripMachineReadable } from './flags.js';
import { commandHelp, commandList } from './help.js';
import { writeOutput } from './process-output.js';
import { findCommand } from './table.js';
import { randomUuid } from '../support/random.js';
import { KILN_VERSION } from '../support/version.js';

const VERSION_ARGS = new Set(['-v', '-version', '--version']);

/** Runs kiln with `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const { args, machineReadable } = stripMachineReadable(argv);
  const first = args[0];
  if (first === undefined || isHelpArg(first)) {
    io.stdout(commandList());
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (VERSION_ARGS.has(first)) args.splice(0, 1, 'version');
  const found = findCommand(args);
  if (!found) {
    io.stdout(commandList());
    return EXIT.usage;
  }
  const { spec, rest } = found;
  const helpAt = rest.findIndex((a) => a === '--' || isHelpArg(a));
  if (helpAt >= 0 && rest[helpAt] !== '--') {
    io.stdout(commandHelp(spec));
    return EXIT.ok;
  }
  const parsed = parseFlags(spec.flags, rest);
  if (parsed.kind === 'help') {
    io.stdout(commandHelp(spec));
    return EXIT.ok;
  }
  if (parsed.kind === 'error') {
    io.stderr(`${parsed.message}\n${commandHelp(spec)}`);
    return EXIT.error;
  }
  if (!spec.load) {
    if (spec.flags.length === 0 && COMMAND_GROUP.has(spec.name)) {
      io.stdout(commandHelp(spec));
      return EXIT.error;
    }
    io.stderr(`kiln: the '${spec.name}' command is not available yet in kiln v${KILN_VERSION}.\n`);
    return EXIT.error;
  }
  const command = await spec.load();
  return command.run({ ...io, flags: parsed.flags, machineReadable });
}

/** Commands that only group subcommands: running them alone prints their help (exit 1). */
const COMMAND_GROUP = new Set(['plugins', 'cache']);

/** Entry point used by bin/kiln. */
export async function runProcess(): Promise<void> {
  // Straight to the descriptors (process-output.ts): no process.stdout, no net/stream loaded.
  const io: CommandIO = {
    stdout: (t) => writeOutput(1, t),
    stderr: (t) => writeOutput(2, t),
    env: process.env,
    cwd: process.cwd(),
  };
  // One id per run, inherited by everything kiln starts (manifest, build.PackerRunUUID), as Packer's main does.
  process.env['PACKER_RUN_UUID'] = randomUuid();
  try {
    process.exitCode = await main(process.argv.slice(2), io);
  } catch (err) {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr(`kiln: internal error — please report it with the command you ran.\n${detail}\n`);
    process.exitCode = EXIT.error;
  }
  // Nothing left for the event loop (the usual end of validate, fmt, inspect...): exit
  // now instead of letting Node run idle-time GC and tear the environment down, ~2 ms of a
  // 60 ms validate. Anything still pending (a handle, a request, an immediate, a
  // beforeExit listener) gets the ordinary exit.
  if (process.getActiveResourcesInfo().length === 0 && process.listenerCount('beforeExit') === 0) process.exit();
}
