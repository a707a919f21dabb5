/**
 * Packer's StepRun: starts the build container with the configured mounts, devices
 * and capabilities, and removes it at cleanup on success, failure and interrupt alike,
 * unless `-on-error=abort` keeps it. Unlike Packer (`docker kill` then `docker rm`),
 * the container runs with `--rm` and cleanup only kills it: the engine removes it.
 * The container gets a name kiln chose, recorded in the run's ledger before `docker
 * run` (`ContainerSlot`): cleanup (and `kiln gc` after a crash) finds it by name even
 * when the id was never seen.
 *
 * With the step cache, the container starts from the cached image `start` chose; when
 * every provisioner was cached it is only created, for the commit or export. Resumed in
 * place (`state.inPlace`), the slot already holds the container a failed run kept.
 */
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import type { ContainerSlot } from '../container-slot.js';
import { haltWith, type DockerState } from '../state.js';

export function stepRunContainer(slot: ContainerSlot): Step<DockerState> {
  return {
    name: 'StepRun',
    async run(state, signal) {
      const c = state.config;
      const cached = state.cache?.resume;
      const fullHit = state.cache?.fullHit === true;
      // Every step cached, and nothing to capture or the capture cached too: no container at all.
      if (fullHit && (c.discard === true || state.cache?.captured !== undefined)) return CONTINUE;
      let id = state.containerId ?? '';
      if (state.inPlace === undefined) {
        if (fullHit) state.ui.say('Creating the docker container from the cached image (every provisioner is cached)...');
        else state.ui.say('Starting docker container...');
        const image = cached?.snapshot.id ?? c.image ?? '';
        const started = await slot.launch(state, image, fullHit ? 'create' : 'run', signal);
        if (started.kind === 'error') return haltWith(state, started.message);
        id = started.value;
      }
      state.ui.message(`Container ID: ${id}`);
      if (c.communicator === 'ssh' && !fullHit) {
        // Packer's commHost: the configured ssh_host, else the container's bridge address.
        const ip = (c.ssh_host ?? '') !== '' ? { kind: 'ok' as const, value: c.ssh_host ?? '' } : await state.driver.ipAddress(id, signal);
        if (ip.kind === 'error') return haltWith(state, ip.message);
        state.containerIp = ip.value;
      }
      return CONTINUE;
    },
    async cleanup(state) {
      // No signal: the container must go even when the build was interrupted.
      await slot.discard(state);
      await slot.settle();
    },
  };
}
