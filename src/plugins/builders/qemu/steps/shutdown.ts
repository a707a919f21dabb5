/**
 * Packer's stepShutdown: runs `shutdown_command` over the communicator and waits up to
 * `shutdown_timeout` for QEMU to exit; without a command, stops the VM at once.
 */
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { formatDuration } from '../../../../sdk/duration.js';
import type { QemuState } from '../state.js';

export function stepShutdown(): Step<QemuState> {
  return {
    name: 'StepShutdown',
    async run(state, signal) {
      const vm = state.vm;
      if (!vm) return CONTINUE;
      const c = state.config;
      if (c.shutdown_command && state.communicator && vm.running) {
        state.ui.say('Gracefully halting virtual machine...');
        const started = state.communicator.run({ command: c.shutdown_command }, signal).catch((err: unknown) => {
          // The guest going down mid-command is the expected outcome.
          if (vm.running) state.ui.message(`Shutdown command: ${(err as Error).message}`);
          return undefined;
        });
        state.ui.say('Waiting for shutdown...');
        const exited = await vm.waitExit(state.r.shutdownTimeoutMs, signal);
        void started;
        await state.communicator.close().catch(() => undefined);
        if (signal.aborted) return halt('Build was cancelled.');
        if (!exited) {
          const message = `Failed to shutdown: the VM did not stop within shutdown_timeout (${formatDuration(state.r.shutdownTimeoutMs)})`;
          state.ui.error(message);
          return halt(message);
        }
        return CONTINUE;
      }
      state.ui.say('Halting the virtual machine...');
      await vm.stop();
      return CONTINUE;
    },
  };
}
