/**
 * `kiln hcl2_upgrade [-output-file=PATH] [-with-annotations] TEMPLATE`: writes the HCL2
 * translation of a legacy JSON template (default `TEMPLATE.pkr.hcl`), as Packer 1.16's
 * `command/hcl2_upgrade.go` does: the output file is created first; a template that
 * does not parse as JSON leaves it empty (or with the annotation header) and exits 1;
 * problems Packer ignores (an unknown builder type) are printed and exit 1 with the file
 * written. Messages go to stdout, as Packer's UI writes them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { parseJsonTemplate } from '../template/json/json-template.js';
import { goPathError } from '../template/load-either-syntax.js';
import { parseErrorText, parseFailure } from '../template/json/load-json.js';
import { HEADERS } from '../template/hcl2-upgrade/headers.js';
import { upgradeJsonTemplate } from '../template/hcl2-upgrade/upgrade.js';
import { builtinRegistry } from '../plugins/registry.js';

export async function run(ctx: CommandContext): Promise<number> {
  const say = (line: string): void => ctx.stdout(`${line}\n`);
  const positional = ctx.flags.positional;
  if (positional.length !== 1) {
    const [{ commandHelp }, { findCommand }] = await Promise.all([import('./help.js'), import('./table.js')]);
    const spec = findCommand(['hcl2_upgrade'])?.spec;
    if (spec) say(commandHelp(spec));
    return EXIT.error;
  }
  const file = positional[0] ?? '';
  const flagOut = ctx.flags.values.get('output-file');
  const outputFile = typeof flagOut === 'string' && flagOut !== '' ? flagOut : `${file}.pkr.hcl`;
  const annotations = ctx.flags.values.get('with-annotations') === true;
  const outAbs = path.resolve(ctx.cwd, outputFile);
  try {
    mkdirSync(path.dirname(outAbs), { recursive: true });
  } catch (err) {
    say(`Failed to create output directory: ${goPathError('mkdir', path.dirname(outputFile), err)}`);
    return EXIT.error;
  }
  try {
    writeFileSync(outAbs, annotations ? HEADERS.file : '');
  } catch (err) {
    say(`Failed to create output file: ${goPathError('open', outputFile, err)}`);
    return EXIT.error;
  }
  let text: string;
  try {
    text = readFileSync(path.resolve(ctx.cwd, file), 'utf8');
  } catch (err) {
    say(parseFailure(goPathError('open', file, err)));
    say('Failed to get config from JSON');
    return EXIT.error;
  }
  const parsed = parseJsonTemplate(text);
  if (parsed.kind === 'error') {
    say(parseFailure(parseErrorText(parsed.errors)));
    say('Failed to get config from JSON');
    return EXIT.error;
  }
  const registry = builtinRegistry();
  const result = upgradeJsonTemplate(text, parsed.template, { annotations, hasBuilder: (t) => registry.has('builder', t) });
  for (const m of result.messages) say(m);
  try {
    writeFileSync(outAbs, result.text);
  } catch (err) {
    say(`Failed to write to file: ${goPathError('write', outputFile, err)}`);
    return EXIT.error;
  }
  say(`Successfully created ${outputFile}. Exit ${result.exitCode}`);
  return result.exitCode;
}
