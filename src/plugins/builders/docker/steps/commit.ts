/**
 * Packer's StepSetDefaults and StepCommit: commits the container with `changes`,
 * `author` and `message`. Unless `changes` set them, the image keeps the base image's
 * CMD and ENTRYPOINT rather than `run_command`'s (`--entrypoint=/bin/sh`). Unlike
 * Packer, the commit does not pause a container in which nothing runs but its idle
 * shell (`quiescent`): the same image, ~40 ms sooner.
 */
import type { Step, StepAction } from '../../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../../sdk/multistep/step.js';
import { idleShellRunCommand } from '../../../../sdk/docker/create-request.js';
import type { CommitOptions, ImageInfo } from '../../../../sdk/docker/driver.js';
import { DockerMachine } from '../cache/machine.js';
import { haltWith, type DockerState } from '../state.js';

/** `changes` with the base image's CMD and ENTRYPOINT added where the user gave none. */
export function changesWithDefaults(changes: readonly string[], source: Pick<ImageInfo, 'cmd' | 'entrypoint'> | undefined): string[] {
  const out = [...changes];
  const has = (word: string): boolean => changes.some((c) => c.trimStart().toUpperCase().startsWith(word));
  if (!has('CMD')) out.push(`CMD ${JSON.stringify(source?.cmd ?? [''])}`);
  if (!has('ENTRYPOINT')) out.push(`ENTRYPOINT ${JSON.stringify(source?.entrypoint ?? [''])}`);
  return out;
}

export function stepCommit(): Step<DockerState> {
  return {
    name: 'StepCommit',
    async run(state, signal) {
      const { config, ui } = state;
      const id = state.containerId ?? '';
      const cached = state.cache?.captured;
      if (cached !== undefined) {
        ui.say(`Using the cached commit of the cached steps: ${cached}`);
        return committedAs(state, cached);
      }
      ui.say('Committing the container');
      // The step cache may have started this very commit beside the last step's snapshot.
      const early = state.machine instanceof DockerMachine ? state.machine.takeFinalCommit(id) : undefined;
      const pause = early === undefined && !(state.driver.api !== undefined && (await quiescent(state, id, signal)));
      const committed = (await early) ?? (await state.driver.commit(id, { ...finalCommitOptions(config, state.source), ...(pause ? {} : { pause: false }) }, signal));
      if (committed.kind === 'error') return haltWith(state, committed.message);
      // `docker commit` prints the full ID, which is the image's sha256 (Packer inspects it again).
      return committedAs(state, committed.value);
    },
  };
}

/** The final commit's `changes` (with the base's CMD/ENTRYPOINT defaults), author and message. */
export function finalCommitOptions(config: DockerState['config'], source: DockerState['source']): CommitOptions {
  return {
    changes: changesWithDefaults(config.changes ?? [], source),
    ...(config.author !== undefined ? { author: config.author } : {}),
    ...(config.message !== undefined ? { message: config.message } : {}),
  };
}

/**
 * Whether the container can be committed without pausing it: the docker communicator
 * (no server in the container), a `run_command` whose PID 1 is a shell idle on its
 * stdin, and no other process running (`docker top`, or the step cache's last
 * snapshot found it so and nothing ran since). Nothing can then write to its
 * filesystem during the commit, and the pause (~40 ms a commit) buys nothing.
 */
export async function quiescent(state: DockerState, id: string, signal: AbortSignal): Promise<boolean> {
  const communicator = state.config.communicator ?? '';
  if ((communicator !== '' && communicator !== 'docker') || !idleShellRunCommand(state.config.run_command)) return false;
  if (state.machine instanceof DockerMachine && state.machine.idle(id)) return true;
  const top = await state.driver.processCount(id, signal);
  return top.kind === 'ok' && top.value === 1;
}

function committedAs(state: DockerState, image: string): StepAction {
  state.imageId = image;
  state.generatedData['ImageSha256'] = image;
  state.ui.message(`Image ID: ${image}`);
  return CONTINUE;
}
