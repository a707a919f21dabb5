/**
 * Packer's StepRun: starts the build container with the configured mounts, devices
 * and capabilities, and removes it at cleanup on success, failure and interrupt alike,
 * unless `-on-error=abort` keeps it. Unlike Packer (`docker kill` then `docker rm`),
 * the container runs with `--rm` and cleanup only kills it: the engine removes it.
 * The container gets a name kiln chose, recorded in the run's ledger before `docker
 * run`: cleanup (and `kiln gc` after a crash) finds it by name even when the id was
 * never seen.
 */
import { randomBytes } from 'node:crypto';
import type { Ledger, LedgerHandle } from '../../../../sdk/ledger/ledger.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import { haltWith, type DockerState } from '../state.js';

export function stepRunContainer(ledger: Ledger): Step<DockerState> {
  let id: string | undefined;
  let record: { readonly name: string; readonly handle: LedgerHandle } | undefined;
  return {
    name: 'StepRun',
    async run(state, signal) {
      const c = state.config;
      const volumes: Record<string, string> = { ...c.volumes };
      if (state.tempDir !== undefined) volumes[state.tempDir] = c.container_dir;
      state.ui.say('Starting docker container...');
      const name = `kiln-${ledger.runId}-${randomBytes(3).toString('hex')}`;
      const host = state.driver.cli.env['DOCKER_HOST'];
      const handle = ledger.intent({ kind: 'container', name, ...(c.docker_path !== undefined ? { executable: c.docker_path } : {}), ...(host !== undefined && host !== '' ? { host } : {}) });
      record = { name, handle };
      const started = await state.driver.startContainer(
        {
          image: c.image ?? '',
          name,
          ...(state.tempDir !== undefined ? { scratchDir: state.tempDir } : {}),
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
      handle.identify(id);
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
      if (record === undefined) return;
      // An interrupted or failed `docker run` may still have made the container: find it by name.
      const target = id ?? record.name;
      if (id !== undefined) state.ui.say(`Killing the container: ${id}`);
      // No signal: the container must go even when the build was interrupted.
      const removed = await state.driver.discardContainer(target);
      if (removed.kind === 'error') state.ui.error(`Error removing the container: ${removed.message}`);
      else record.handle.done();
      id = undefined;
      record = undefined;
    },
  };
}
