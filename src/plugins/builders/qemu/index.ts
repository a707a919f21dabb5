/**
 * The `qemu` builder: builds a VM disk image with QEMU from an installer ISO or an
 * existing disk image (packer-plugin-qemu), on Linux hosts.
 */
import { defineBuilder } from '../../../sdk/component.js';
import { prepareQemu, qemuSchema } from './config.js';

export default defineBuilder({
  name: 'qemu',
  schema: qemuSchema,
  prepare: async (config, ctx) => prepareQemu(config, ctx.packer),
  // The build's steps (processes, sockets, files) are loaded when a build runs, not by validate.
  run: async (prepared, ctx) => (await import('./builder.js')).runQemuBuild(prepared, ctx),
});
