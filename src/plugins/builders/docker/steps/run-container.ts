/**
 * Packer's StepRun: starts the build container with the configured mounts, devices
 * and capabilities, and removes it at cleanup on success, failure and interrupt alike,
 * unless `-on-error=abort` keeps it. Unlike Packer (`docker kill` then `docker rm`),
 * the container runs with `--rm` and cleanup only kills it: the engine removes it.
 */
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import { haltWith, type DockerState } from '../state.js';

export function stepRunContainer(): Step<DockerState> {
  let id: string | undefined;
  return {
    name: 'StepRun',
    async run(state, signal) {
      const c = state.config;
      const volumes: Record<string, string> = { ...c.volumes };
      if (state.tempDir !== undefined) volumes[state.tempDir] = c.container_dir;
      state.ui.say('Starting docker container...');
      const started = await state.driver.startContainer(
        {
          image: c.image ?? '',
          autoRemove: true,
          ...(c.run_command !== undefined && c.run_command.length > 0 ? { runCommand: c.run_command } : {}),
          ...(c.device ? { device: c.device } : {}),
          ...(c.cap_add ? { capAdd: c.cap_add } : {}),
          ...(c.cap_drop ? { capDrop: c.cap_drop } : {}),
          ...(c.privileged !== undefined ? { privileged: c.privileged } : {}),
          ...(c.runtime !== undefined ? { runtime: c.runtime } : {}),
          ...(c.platform !== undefined ? { platform: c.platform } : {}),
          ...(c.tmpfs ? { tmpfs: c.tmpfs } : {}),
          volumes,
        },
        signal,
      );
      if (started.kind === 'error') return haltWith(state, started.message);
      id = started.value;
      state.containerId = id;
      state.instanceId = id;
      state.ui.message(`Container ID: ${id}`);
      if (c.communicator === 'ssh') {
        // Packer's commHost: the configured ssh_host, else the container's bridge address.
        const ip = (c.ssh_host ?? '') !== '' ? { kind: 'ok' as const, value: c.ssh_host ?? '' } : await state.driver.ipAddress(id, signal);
        if (ip.kind === 'error') return haltWith(state, ip.message);
        state.containerIp = ip.value;
      }
      return CONTINUE;
    },
    async cleanup(state) {
      if (id === undefined) return;
      state.ui.say(`Killing the container: ${id}`);
      // No signal: the container must go even when the build was interrupted.
      const removed = await state.driver.discardContainer(id);
      if (removed.kind === 'error') state.ui.error(`Error removing the container: ${removed.message}`);
      id = undefined;
    },
  };
}
