/**
 * `kiln fix [-validate=true] TEMPLATE`: prints a legacy JSON template with every fixer
 * of Packer 1.16 applied (`command/fix.go`), then validates it unless `-validate=false`.
 * HCL2 templates (`*.pkr.hcl`, `*.pkr.json`, a directory) are refused with Packer's
 * message. Everything goes to stdout, as Packer's UI writes it; failures exit 1.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { goPathError } from '../template/load-either-syntax.js';
import { fixTemplateText, validateFixed } from '../template/fix/fix.js';

function isHclPath(file: string): boolean {
  if (file.endsWith('.pkr.hcl') || file.endsWith('.pkr.json')) return true;
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

export async function run(ctx: CommandContext): Promise<number> {
  const say = (line: string): void => ctx.stdout(`${line}\n`);
  if (ctx.flags.positional.length !== 1) {
    const [{ commandHelp }, { findCommand }] = await Promise.all([import('./help.js'), import('./table.js')]);
    const spec = findCommand(['fix'])?.spec;
    if (spec) say(commandHelp(spec));
    return EXIT.error;
  }
  const file = ctx.flags.positional[0] ?? '';
  const abs = path.resolve(ctx.cwd, file);
  if (isHclPath(abs)) {
    say('packer fix only works with JSON files for now.');
    return EXIT.error;
  }
  let text: Buffer;
  try {
    text = readFileSync(abs);
  } catch (err) {
    say(`Error opening template: ${goPathError('open', file, err)}`);
    return EXIT.error;
  }
  const fixed = fixTemplateText(text);
  if (fixed.kind === 'error') {
    say(fixed.message);
    return EXIT.error;
  }
  say(fixed.output);
  if (ctx.flags.values.get('validate') === false) return EXIT.ok;
  const problem = validateFixed(fixed.output);
  if (problem !== undefined) {
    say(problem);
    return EXIT.error;
  }
  return EXIT.ok;
}
