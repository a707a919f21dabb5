/**
 * The output of a qemu build on cache layers (after shutdown, in place of compaction):
 * the output disk is written from the chain, so the artifact never refers to the cache
 * — a flattened copy, or with `use_backing_file` an overlay on the user's source as
 * Packer makes it (layers.ts `writeOutput`).
 *
 * A build whose every provisioner is in the chain (resumed past some, snapshotted after
 * each of the others) first keeps its stopped disk as the capture of the last step
 * (capture.ts), unless it writes nothing to the cache (`-cache=read`); a later build
 * whose every step hits writes its output from that capture without a VM
 * (`stepCacheDisk`). A capture that cannot be kept is a warning, never a failed build.
 */
import path from 'node:path';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { keepCapture } from '../capture.js';
import { writeOutput } from '../layers.js';
import type { QemuState } from '../state.js';
import type { QemuLayers } from './cache-layers.js';

/** The file the output is written from: the capture when there is (or now is) one, else the VM's top layer. */
async function source(state: QemuState, layers: QemuLayers): Promise<string> {
  if (layers.captured !== undefined) return layers.captured;
  const top = layers.machine.top;
  const { start, recorder } = layers;
  const held = (start.resume?.provisioners ?? 0) + recorder.taken;
  const last = recorder.lastKey ?? start.resume?.key;
  if (!layers.write || start.steps === 0 || held !== start.steps || last === undefined || state.config.efi_boot === true) return top;
  const kept = await keepCapture(layers.dir, last, top);
  if ('file' in kept) return kept.file;
  state.ui.error(`Warning: could not keep the disk after shutdown in the step cache: ${kept.error}; the next build boots the last cached layer`);
  return top;
}

export function stepCaptureLayers(): Step<QemuState> {
  return {
    name: 'StepCaptureLayers',
    async run(state, signal) {
      const layers = state.layers;
      if (!layers) return CONTINUE;
      const { config: c, r } = state;
      const out = path.join(r.outputDir, r.vmName);
      try {
        const from = await source(state, layers);
        state.ui.say(c.use_backing_file === true ? 'Writing the output overlay from the cache layers...' : 'Converting hard drive...');
        const opts = { compress: r.diskCompression, ...(c.qemu_img_args?.convert ? { convertArgs: c.qemu_img_args.convert } : {}) };
        await writeOutput(from, out, c.use_backing_file === true ? { ...opts, backing: state.isoPath ?? '' } : opts, signal);
      } catch (err) {
        const text = `Error writing the output disk from the cache layers: ${(err as Error).message}`;
        state.ui.error(text);
        return halt(text);
      }
      state.diskPaths = [out];
      return CONTINUE;
    },
  };
}
