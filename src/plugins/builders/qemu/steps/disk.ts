/**
 * The disk steps (packer-plugin-qemu `step_create_disk.go`, `step_copy_disk.go`,
 * `step_resize_disk.go`, `step_convert_disk.go`).
 */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { imageFormat, qemuImg, withExtra } from '../qemu-img.js';
import type { QemuState } from '../state.js';

const fail = (state: QemuState, message: string) => {
  state.ui.error(message);
  return halt(message);
};

/** Creates the main disk (blank, or an overlay on a disk image) and any additional disks. */
export function stepCreateDisk(): Step<QemuState> {
  return {
    name: 'StepCreateDisk',
    async run(state, signal) {
      if (state.layers) return CONTINUE;
      const { config: c, r } = state;
      const main = path.join(r.outputDir, r.vmName);
      const extra = c.qemu_img_args?.create;
      try {
        if (c.disk_image !== true || c.use_backing_file === true) {
          state.ui.say('Creating required virtual machine disks');
          if (c.use_backing_file === true) {
            const base = path.resolve(state.isoPath ?? '');
            // qemu-img 7.2 refuses -b without -F; give the detected format unless the user did.
            const backingFormat = extra?.includes('-F') ? [] : ['-F', await imageFormat(base, signal)];
            await qemuImg(withExtra('create', ['-f', r.format, '-b', base, ...backingFormat], extra, [main, r.diskSize]), signal);
          } else {
            await qemuImg(withExtra('create', ['-f', r.format], extra, [main, r.diskSize]), signal);
          }
        }
        state.diskPaths = [main];
        for (const [i, size] of (c.disk_additional_size ?? []).entries()) {
          const disk = `${main}-${i + 1}`;
          await qemuImg(withExtra('create', ['-f', r.format], extra, [disk, size]), signal);
          state.diskPaths.push(disk);
        }
        return CONTINUE;
      } catch (err) {
        return fail(state, `Error creating hard drive: ${(err as Error).message}`);
      }
    },
  };
}

/** With `disk_image` (and no backing file): converts the source into the output disk. */
export function stepCopyDisk(): Step<QemuState> {
  return {
    name: 'StepCopyDisk',
    async run(state, signal) {
      const { config: c, r } = state;
      if (c.disk_image !== true || c.use_backing_file === true || state.layers) return CONTINUE;
      state.ui.say('Copying hard drive...');
      const main = path.join(r.outputDir, r.vmName);
      try {
        await qemuImg(withExtra('convert', ['-O', r.format], c.qemu_img_args?.convert, [state.isoPath ?? '', main]), signal);
        return CONTINUE;
      } catch (err) {
        return fail(state, `Error copying hard drive: ${(err as Error).message}`);
      }
    },
  };
}

/** Grows a copied disk image to `disk_size` unless `skip_resize_disk`. */
export function stepResizeDisk(): Step<QemuState> {
  return {
    name: 'StepResizeDisk',
    async run(state, signal) {
      const { config: c, r } = state;
      if (c.disk_image !== true || c.skip_resize_disk === true || c.use_backing_file === true || state.layers) return CONTINUE;
      state.ui.say('Resizing hard drive...');
      const main = path.join(r.outputDir, r.vmName);
      try {
        await qemuImg(withExtra('resize', ['-f', r.format], c.qemu_img_args?.resize, [main, r.diskSize]), signal);
        return CONTINUE;
      } catch (err) {
        return fail(state, `Error resizing hard drive: ${(err as Error).message}`);
      }
    },
  };
}

/** Compacts (and with `disk_compression` compresses) a qcow2 disk after the VM stopped. */
export function stepConvertDisk(): Step<QemuState> {
  return {
    name: 'StepConvertDisk',
    async run(state, signal) {
      const { config: c, r } = state;
      if ((r.skipCompaction && !r.diskCompression) || state.layers) return CONTINUE;
      state.ui.say('Converting hard drive...');
      for (const disk of state.diskPaths) {
        const tmp = `${disk}.convert`;
        try {
          await qemuImg(withExtra('convert', ['-O', r.format, ...(r.diskCompression ? ['-c'] : [])], c.qemu_img_args?.convert, [disk, tmp]), signal);
          await rename(tmp, disk);
        } catch (err) {
          await rm(tmp, { force: true });
          return fail(state, `Error converting hard drive: ${(err as Error).message}`);
        }
      }
      return CONTINUE;
    },
  };
}
