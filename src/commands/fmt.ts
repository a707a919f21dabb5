/**
 * `kiln fmt [options] [TEMPLATE...]`: rewrites HCL2 files in canonical format, with
 * Packer 1.16's flags, output and exit codes (`command/fmt.go`):
 * - every changed file's name on its own line (stdout);
 * - `-check` writes nothing and exits 3 when a file would change;
 * - `-diff` adds a unified diff; `-write=false` only lists;
 * - `-` reads standard input and writes the result to standard output;
 * - failures (a file that does not parse, a non-HCL file, an unreadable path) are
 *   printed as diagnostics on stdout, as Packer's UI does, and exit 1.
 */
import { readFileSync } from 'node:fs';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { renderDiagnostics } from '../hcl/diagnostic-text.js';
import { formatPaths } from './fmt-files.js';

export async function run(ctx: CommandContext): Promise<number> {
  const flag = (name: string): boolean => ctx.flags.values.get(name) === true;
  const paths = ctx.flags.positional;
  if (paths.length === 0) {
    const [{ commandHelp }, { findCommand }] = await Promise.all([import('./help.js'), import('./table.js')]);
    const spec = findCommand(['fmt'])?.spec;
    if (spec) ctx.stdout(`${commandHelp(spec)}\n`);
    return EXIT.error;
  }
  const check = flag('check');
  const outcome = formatPaths(paths, {
    showDiff: flag('diff'),
    // -check never writes, whatever -write says.
    write: !check && ctx.flags.values.get('write') !== false,
    recursive: flag('recursive'),
    cwd: ctx.cwd,
    stdout: ctx.stdout,
    readStdin: () => readFileSync(0),
  });
  if (outcome.diagnostics.length > 0) {
    // Packer's writeDiags: the text goes through ui.Error, which adds a newline.
    ctx.stdout(`${renderDiagnostics(outcome.diagnostics, new Map(), { width: 80 })}\n`);
    if (outcome.diagnostics.some((d) => d.severity === 'error')) return EXIT.error;
  }
  if (check && outcome.bytesModified > 0) return EXIT.fmtCheck;
  return EXIT.ok;
}
