/**
 * `kiln inspect [options] TEMPLATE` (Packer's `command/inspect.go`): parse the
 * template, initialise it ignoring any problem (unset variables print `<unknown>`),
 * and list what it defines — Packer's exact text for HCL2 (reference §2.16) and for
 * legacy JSON (§4.6), `template-*` machine lines for JSON with `-machine-readable`.
 * Only parse errors fail (exit 1).
 */
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { printBuilds, printVariables } from './inspect-hcl.js';
import { inspectJson } from './inspect-json.js';
import { loadForReading } from './load-for-command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const read = await loadForReading(ctx);
  if (!read) return EXIT.error;
  const { out, loaded } = read;
  const json = loaded.loaded.json;
  if (json) {
    inspectJson(json.template, out.emitter);
    return EXIT.ok;
  }
  const description = loaded.loaded.description;
  out.emitter.say('Packer Inspect: HCL2 mode\n');
  out.emitter.say(printVariables(description));
  out.emitter.say(printBuilds(description));
  return EXIT.ok;
}
