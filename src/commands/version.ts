import { KILN_VERSION, PACKER_COMPAT_VERSION } from '../support/version.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { machineLine } from '../core/ui/machine-renderer.js';

/** `kiln version`: always succeeds. */
export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.machineReadable) {
    ctx.stdout(machineLine(new Date(), '', 'version', [KILN_VERSION]));
    ctx.stdout(machineLine(new Date(), '', 'version-prelease', ['']));
    ctx.stdout(machineLine(new Date(), '', 'version-packer-compatible', [PACKER_COMPAT_VERSION]));
    return EXIT.ok;
  }
  ctx.stdout(`kiln v${KILN_VERSION} (Packer ${PACKER_COMPAT_VERSION} compatible)\n`);
  return EXIT.ok;
}
