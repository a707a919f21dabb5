/**
 * The docker builder's steps for the step cache (only with `BuildContext.cache`):
 * `stepCacheStart` asks the cache where to begin once the base image is known and
 * before any container exists; `stepCacheMachine` gives the provision hook the
 * machine's snapshots and a communicator that follows the container swaps.
 */
import type { BuildCache, CommunicatorLookup, SnapshotRef } from '../../../../sdk/component.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { unreachableCommunicator, type Communicator, type ContainerTarget } from '../../../../sdk/communicator.js';
import type { CommunicatorConfig } from '../../../../sdk/communicator-config.js';
import type { Ledger } from '../../../../sdk/ledger/ledger.js';
import type { ContainerSlot } from '../container-slot.js';
import { imageIdentity } from '../cache/identity.js';
import { captureTag } from '../cache/capture.js';
import { DockerMachine, recordImage } from '../cache/machine.js';
import { CACHE_REPOSITORY, type CacheRemote } from '../cache/remote.js';
import { SwappableCommunicator } from '../cache/swappable-communicator.js';
import { haltWith, type DockerState } from '../state.js';

export function stepCacheStart(cache: BuildCache, remote: CacheRemote): Step<DockerState> {
  return {
    name: 'StepCacheStart',
    async run(state, signal) {
      const source = state.source;
      if (source === undefined) return halt('the base image was not inspected');
      const lookup = async (key: string, local: SnapshotRef | undefined, s: AbortSignal): Promise<SnapshotRef | undefined> => {
        const image = `${CACHE_REPOSITORY}:${key}`;
        const found = await state.driver.findImage(image, s);
        if (found.kind === 'ok' && found.value !== undefined) return { builderType: 'docker', id: image, ...(local?.size !== undefined ? { size: local.size } : {}) };
        const remoteRef = await remote.find(key, s);
        return remoteRef !== undefined ? { builderType: 'docker', id: remoteRef } : undefined;
      };
      const start = await cache.start({ identity: imageIdentity(source), lookup, ...(state.inPlace ? { live: state.inPlace } : {}) }, signal);
      let resume = start.resume;
      if (resume !== undefined) {
        const local = await remote.materialize(resume.snapshot.id, resume.key, signal);
        if (local.kind === 'error') return haltWith(state, local.error.message);
        resume = { ...resume, snapshot: { ...resume.snapshot, id: local.value } };
      }
      const fullHit = resume !== undefined && resume.provisioners >= start.steps;
      let captured: string | undefined;
      if (fullHit && state.config.commit === true) {
        const found = await state.driver.findImage(captureTag(resume?.key ?? '', state.config, source), signal);
        if (found.kind === 'ok' && found.value !== undefined) captured = found.value.id;
      }
      state.cache = { ...(resume !== undefined ? { resume } : {}), fullHit, steps: start.steps, record: start.record, ...(captured !== undefined ? { captured } : {}), recorded: [] };
      return CONTINUE;
    },
    async cleanup() {
      await remote.settle();
    },
  };
}

/**
 * After the commit of a build whose every step is in the chain: tags the image as the
 * capture of the last step (kept in the run's ledger), for the next no-op rebuild.
 */
export function stepCacheCapture(ledger: Ledger): Step<DockerState> {
  return {
    name: 'StepCacheCapture',
    async run(state, signal) {
      const c = state.cache;
      const image = state.imageId;
      if (c === undefined || image === undefined || c.captured !== undefined || !c.record) return CONTINUE;
      const done = (c.resume?.provisioners ?? 0) + c.recorded.length;
      const last = c.recorded.at(-1) ?? c.resume?.key;
      if (done !== c.steps || last === undefined) return CONTINUE;
      const tag = captureTag(last, state.config, state.source);
      const handle = recordImage(ledger, state, tag);
      const [repo, name] = [tag.slice(0, tag.indexOf(':')), tag.slice(tag.indexOf(':') + 1)];
      const tagged = state.driver.api ? await state.driver.api.tag(image, repo, name, signal) : await state.driver.tagImage(image, tag, signal);
      if (tagged.kind === 'error') {
        handle.done();
        state.ui.error(`Warning: could not keep the image for the step cache: ${tagged.message}`);
      } else {
        handle.kept();
      }
      return CONTINUE;
    },
  };
}

/** Runs `step` unless every provisioner is cached (no process needed: no connection). */
export function unlessFullHit(step: Step<DockerState>): Step<DockerState> {
  return {
    name: step.name,
    run: (state, signal) => (state.cache?.fullHit === true ? Promise.resolve(CONTINUE) : step.run(state, signal)),
    ...(step.cleanup ? { cleanup: step.cleanup.bind(step) } : {}),
  };
}

export interface CacheMachineOptions {
  readonly slot: ContainerSlot;
  readonly ledger: Ledger;
  readonly remote: CacheRemote;
  readonly communicators: CommunicatorLookup;
  readonly config: CommunicatorConfig;
  readonly target: (state: DockerState) => ContainerTarget;
}

/**
 * Puts the snapshots in `state.machine` and a swappable communicator in
 * `state.communicator`; with every step cached, a communicator that refuses use
 * (the hook does not call it then).
 */
export function stepCacheMachine(o: CacheMachineOptions): Step<DockerState> {
  let comm: SwappableCommunicator | undefined;
  return {
    name: 'StepCacheMachine',
    async run(state) {
      // Every step cached: the hook skips them all and never calls the communicator.
      const inner = state.cache?.fullHit === true ? NO_MACHINE : state.communicator;
      if (inner === undefined) return CONTINUE;
      comm = new SwappableCommunicator(inner);
      state.communicator = comm;
      const connect = async (signal: AbortSignal): Promise<Communicator> => {
        const component = await o.communicators('docker');
        if (component === undefined) throw new Error('the docker communicator is not available');
        return component.connect({ ui: state.ui, signal, host: '', config: o.config, container: o.target(state) });
      };
      state.machine = new DockerMachine({ state, slot: o.slot, ledger: o.ledger, remote: o.remote, comm, connect });
      return CONTINUE;
    },
    async cleanup(state) {
      await comm?.close();
      comm = undefined;
      if (state.machine instanceof DockerMachine) await state.machine.discardFinalCommit();
    },
  };
}

/** The communicator of a build whose every step is cached. */
const NO_MACHINE = unreachableCommunicator('docker', 'every provisioner was cached: there is no container to reach');
