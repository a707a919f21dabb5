/**
 * The docker builder's `MachineSnapshots`: after a provisioner, commit the container
 * to `kiln-cache:<key>` (paused, as `docker commit` does by default, unless only the
 * idle shell runs in it; a tag and nothing else: no label, no env, nothing of kiln's
 * in the image config), then swap: go on in
 * a fresh container started from that image with the builder's own run flags, so the
 * next commit holds only the next step's changes (`docker commit` is not incremental:
 * a commit of a container that wrote 500 MB costs seconds, every time) and the final
 * commit's config is the one Packer's would have. The swap waits for the next step's
 * first use of the machine; after the last step the build commits the container it
 * has (the image's files are the same; the last step's layer is stored twice).
 *
 * Nor while the container holds less than `SWAP_AFTER_BYTES` of changes: those are
 * committed again with the next step (cheaper than a container start).
 *
 * No swap when the container runs more than its PID 1 (`docker top`): a provisioner
 * left a daemon that a later step may need, and a fresh container would not have it.
 * The next commit then includes this step's changes too — correct, only bigger. Nor
 * with a communicator other than `docker` (an SSH server in the container is such a
 * process anyway).
 */
import type { MachineSnapshots, SnapshotRef } from '../../../../sdk/component.js';
import type { Communicator } from '../../../../sdk/communicator.js';
import type { Ledger, LedgerHandle } from '../../../../sdk/ledger/ledger.js';
import type { Result } from '../../../../sdk/result.js';
import { fail, ok } from '../../../../sdk/result.js';
import { idleShellRunCommand } from '../../../../sdk/docker/create-request.js';
import type { DockerResult } from '../../../../sdk/docker/docker-cli.js';
import type { ContainerSlot } from '../container-slot.js';
import { finalCommitOptions } from '../steps/commit.js';
import type { DockerState } from '../state.js';
import { CACHE_REPOSITORY, type CacheRemote } from './remote.js';
import type { SwappableCommunicator } from './swappable-communicator.js';

/**
 * Swap once the container holds this much since it started: below, committing the same
 * changes again costs less than a container start (measured: a commit of 1 MB ~85 ms,
 * 10 MB ~135 ms, 100 MB 0.45-0.77 s; a swap 0.25-0.45 s).
 */
export const SWAP_AFTER_BYTES = 16 * 1024 * 1024;

export interface DockerMachineOptions {
  readonly state: DockerState;
  readonly slot: ContainerSlot;
  readonly ledger: Ledger;
  readonly remote: CacheRemote;
  /** The provisioners' communicator, re-pointed at each new container. */
  readonly comm: SwappableCommunicator;
  /** Connects a communicator to the container now in `state`. */
  readonly connect: (signal: AbortSignal) => Promise<Communicator>;
}

export class DockerMachine implements MachineSnapshots {
  /** The size of the last step image, to tell what a commit adds to it. */
  #lastSize: number | undefined;
  /** The size of the image the container was started from: a commit holds everything since. */
  #startSize: number | undefined;
  /** The build's final commit, started beside the last step's snapshot (see `takeFinalCommit`). */
  #final: { readonly container: string; readonly uses: number; readonly commit: Promise<DockerResult<string>> } | undefined;
  /** The container the last snapshot found idle (only its shell running), and the communicator's use count then. */
  #idle: { readonly container: string; readonly uses: number } | undefined;

  constructor(private readonly o: DockerMachineOptions) {}

  async snapshot(key: string, signal: AbortSignal): Promise<Result<SnapshotRef>> {
    const { state, slot } = this.o;
    const { driver, ui } = state;
    const id = state.containerId ?? '';
    const top = state.config.communicator === 'docker' || (state.config.communicator ?? '') === '' ? await driver.processCount(id, signal) : undefined;
    const image = `${CACHE_REPOSITORY}:${key}`;
    const record = recordImage(this.o.ledger, state, image);
    // Only the idle shell runs: nothing can write during the commit, no pause needed (see stepCommit's quiescent).
    const pause = !(top?.kind === 'ok' && top.value === 1 && idleShellRunCommand(state.config.run_command));
    this.#idle = pause ? undefined : { container: id, uses: this.o.comm.uses };
    // After the last provisioner of a build that commits, the final commit of the same
    // (idle, so unpaused) container runs beside this one: the engine overlaps the two.
    const done = (state.cache?.resume?.provisioners ?? 0) + (state.cache?.recorded.length ?? 0) + 1;
    if (!pause && state.config.commit === true && done === state.cache?.steps) {
      this.#final = { container: id, uses: this.o.comm.uses, commit: driver.commit(id, { ...finalCommitOptions(state.config, state.source), pause: false }, signal) };
    }
    const committed = await driver.commitTo(id, CACHE_REPOSITORY, key, signal, pause);
    if (committed.kind === 'error') {
      record.done();
      return fail(committed.message);
    }
    record.identify(committed.value);
    record.kept();
    state.cache?.recorded.push(key);
    this.o.remote.push(key);
    const started = this.#startSize ?? (await this.#sizeOf(state.cache?.resume?.snapshot.id ?? state.config.image ?? '', signal));
    const last = this.#lastSize ?? started;
    const size = await this.#sizeOf(image, signal);
    this.#startSize = started;
    this.#lastSize = size;
    const ref: SnapshotRef = { builderType: 'docker', id: image, ...(size !== undefined && last !== undefined ? { size: Math.max(0, size - last) } : {}) };
    if (top === undefined) return ok(ref);
    if (top.kind === 'error' || top.value > 1) {
      ui.message(top.kind === 'error' ? `Not swapping containers: ${top.message}` : `Processes other than the container's first still run: the next step continues in this container (its commit will include this step's changes)`);
      return ok(ref);
    }
    // Small changes are cheaper to commit again than a container start: swap once they add up.
    const held = size !== undefined && started !== undefined ? size - started : undefined;
    if (held !== undefined && held < SWAP_AFTER_BYTES) return ok(ref);
    // Swap when the next step first reaches the machine (after the last one, nobody does).
    this.o.comm.defer(async (s) => {
      const previous = slot.current;
      const launched = await slot.launch(state, image, 'run', s);
      if (launched.kind === 'error') throw new Error(launched.message);
      const next = await this.o.connect(s);
      slot.discardLater(state, previous);
      this.#startSize = size;
      return next;
    });
    return ok(ref);
  }

  /**
   * Whether `container` is known idle without asking the engine again: the last
   * snapshot found only its shell running, and nothing ran in it since (the build's
   * final commit then skips its own `docker top`).
   */
  idle(container: string): boolean {
    return this.#idle !== undefined && this.#idle.container === container && this.#idle.uses === this.o.comm.uses;
  }

  /**
   * The final commit started beside the last snapshot, when it is still the commit of
   * `container` as it is now (nothing ran in it since); undefined otherwise (its image,
   * if any, is removed: `discardFinalCommit`).
   */
  takeFinalCommit(container: string): Promise<DockerResult<string>> | undefined {
    const early = this.#final;
    if (early === undefined) return undefined;
    if (early.container === container && early.uses === this.o.comm.uses) {
      this.#final = undefined;
      return early.commit;
    }
    return undefined;
  }

  /** Removes the image of a final commit started early that the build did not take (interrupted, or more ran since). */
  async discardFinalCommit(): Promise<void> {
    const early = this.#final;
    this.#final = undefined;
    const made = await early?.commit.catch(() => undefined);
    if (made?.kind === 'ok') await this.o.state.driver.deleteImage(made.value);
  }

  async #sizeOf(image: string, signal: AbortSignal): Promise<number | undefined> {
    const r = await this.o.state.driver.api?.inspectImage(image, signal);
    return r?.kind === 'ok' && typeof r.value?.Size === 'number' ? r.value.Size : undefined;
  }
}

/**
 * Records the step image `ref` in the run's ledger before it is made; the caller marks
 * it kept once it exists (`kiln gc` leaves it; `kiln gc -kept` untags it), or done.
 */
export function recordImage(ledger: Ledger, state: Pick<DockerState, 'config' | 'driver'>, ref: string): LedgerHandle {
  const host = state.driver.cli.env['DOCKER_HOST'];
  const executable = state.config.docker_path;
  return ledger.intent({ kind: 'image', ref, ...(executable !== undefined ? { executable } : {}), ...(host !== undefined && host !== '' ? { host } : {}) });
}
