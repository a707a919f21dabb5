/**
 * With `BuildContext.inPlace` (`-on-error=abort`, `-resume`): once the base image is
 * known, asks whether a container a failed run kept can be resumed (same build, same
 * keys up to the failed step, still running, its temp dir still there) and adopts it:
 * the run step then uses it instead of starting one, the step cache hears it as
 * `live`, and the provision hook goes on from the failed step. At cleanup the adopted
 * temp dir (and the failed run's private folder around it) goes like the build's own.
 */
import { rm } from 'node:fs/promises';
import type { AdoptedMachine, InPlaceResume, KeptMachine } from '../../../../sdk/in-place.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import type { ContainerSlot } from '../container-slot.js';
import { imageIdentity } from '../cache/identity.js';
import type { DockerState } from '../state.js';

/** `dropTempDir`: removes the temp dir this build made, unused once a kept container (with its own) is adopted. */
export function stepResumeInPlace(inPlace: InPlaceResume, slot: ContainerSlot, dropTempDir: () => Promise<void>): Step<DockerState> {
  let adopted: AdoptedMachine | undefined;
  return {
    name: 'StepResumeInPlace',
    async run(state, signal) {
      if (state.source === undefined) return CONTINUE;
      const kept = await inPlace.start(imageIdentity(state.source), (m, s) => keptContainerCheck(state, m, s), signal);
      if (kept === undefined || kept.resource.kind !== 'container') return CONTINUE;
      adopted = inPlace.adopt(kept);
      if (adopted === undefined) return CONTINUE;
      const tempDir = kept.mark.mounts?.[0];
      if (tempDir !== undefined) {
        await dropTempDir();
        state.tempDir = tempDir;
      }
      slot.adopt(state, kept.resource.name, kept.id ?? kept.resource.name, adopted.handle);
      state.inPlace = { provisioners: adopted.provisioners, where: `container ${(kept.id ?? kept.resource.name).slice(0, 12)}` };
      return CONTINUE;
    },
    async cleanup() {
      for (const f of adopted?.folders ?? []) {
        await rm(f.path, { recursive: true, force: true, maxRetries: 3 });
        f.handle.done();
      }
      adopted = undefined;
    },
  };
}

/** Undefined when the kept container runs on this build's engine; else why it cannot be resumed. */
async function keptContainerCheck(state: DockerState, m: KeptMachine, signal: AbortSignal): Promise<string | undefined> {
  const r = m.resource;
  if (r.kind !== 'container') return 'it is not a container';
  const host = state.driver.cli.env['DOCKER_HOST'];
  if ((r.host ?? '') !== (host ?? '')) return `it runs on another docker engine (${r.host ?? 'the default'})`;
  const running = await state.driver.inspect(m.id ?? r.name, '{{.State.Running}}', signal);
  if (running.kind === 'error') return /no such/i.test(running.message) ? 'it is gone' : running.message;
  return running.value === 'true' ? undefined : 'it is not running';
}
