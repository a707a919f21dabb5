/**
 * `kiln inspect [options] TEMPLATE` (Packer's `command/inspect.go`): parse the
 * template, initialise it ignoring any problem (unset variables print `<unknown>`),
 * and list what it defines — Packer's exact text for HCL2 (reference §2.16) and for
 * legacy JSON (§4.6), `template-*` machine lines for JSON with `-machine-readable`.
 * Only parse errors fail (exit 1).
 */
import { builtinRegistry } from '../plugins/registry.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { printBuilds, printVariables } from './inspect-hcl.js';
import { inspectJson } from './inspect-json.js';
import { createOutput } from './output.js';
import { loadAnyTemplate, writeDiagnostics } from './template-load.js';

export async function run(ctx: CommandContext): Promise<number> {
  const template = ctx.flags.positional.length === 1 ? (ctx.flags.positional[0] ?? '') : '';
  const out = createOutput(ctx, { machineReadable: ctx.machineReadable, color: false, timestampUi: false });
  const loaded = await loadAnyTemplate(template, ctx.flags, ctx, builtinRegistry());
  for (const s of loaded.secrets) out.secrets.register(s);
  if (loaded.failure !== undefined) {
    out.emitter.error(loaded.failure);
    return EXIT.error;
  }
  if (writeDiagnostics(out, loaded.parseDiagnostics, loaded.files) !== 0) return EXIT.error;
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
