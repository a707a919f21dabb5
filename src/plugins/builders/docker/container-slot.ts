/**
 * The build container as one slot: started (or, for a capture from a cached image,
 * only created) from an image, recorded in the run's ledger before `docker run` under
 * a name kiln chose, and discarded at cleanup. The step cache's swap replaces the
 * container in the slot: the new one is started and recorded before the old one goes.
 */
import { randomBytes } from 'node:crypto';
import type { Ledger, LedgerHandle } from '../../../sdk/ledger/ledger.js';
import type { DockerResult } from '../../../sdk/docker/docker-cli.js';
import type { ContainerConfig } from '../../../sdk/docker/run-args.js';
import type { DockerState } from './state.js';

interface Current {
  readonly name: string;
  readonly handle: LedgerHandle;
  id?: string;
}

export class ContainerSlot {
  #current: Current | undefined;
  readonly #discarding: Promise<void>[] = [];

  /** `track`: told the ledger record of each container the slot holds (`BuildContext.inPlace`'s progress marks). */
  constructor(
    private readonly ledger: Ledger,
    private readonly track?: (handle: LedgerHandle, state: DockerState) => void,
  ) {}

  /** Holds a running container a failed run kept (already recorded in this run's ledger as `handle`). */
  adopt(state: DockerState, name: string, id: string, handle: LedgerHandle): void {
    this.#current = { name, handle, id };
    state.containerId = id;
    state.instanceId = id;
    this.track?.(handle, state);
  }

  /**
   * Starts the build container from `image` with the builder's settings (`create`:
   * only creates it, for a commit or export that needs no process). Sets
   * `state.containerId` and `instanceId`; the container it replaces, if any, is the
   * caller's to discard (`discard(previous)`).
   */
  async launch(state: DockerState, image: string, mode: 'run' | 'create', signal: AbortSignal): Promise<DockerResult<string>> {
    const c = state.config;
    const volumes: Record<string, string> = { ...c.volumes };
    if (state.tempDir !== undefined) volumes[state.tempDir] = c.container_dir;
    const name = `kiln-${this.ledger.runId}-${randomBytes(3).toString('hex')}`;
    const host = state.driver.cli.env['DOCKER_HOST'];
    const handle = this.ledger.intent({ kind: 'container', name, ...(c.docker_path !== undefined ? { executable: c.docker_path } : {}), ...(host !== undefined && host !== '' ? { host } : {}) });
    const current: Current = { name, handle };
    this.#current = current;
    this.track?.(handle, state);
    const config: ContainerConfig = {
      image,
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
    };
    const started = mode === 'run' ? await state.driver.startContainer(config, signal) : await state.driver.createContainer(config, signal);
    if (started.kind === 'ok') {
      current.id = started.value;
      handle.identify(started.value);
      state.containerId = started.value;
      state.instanceId = started.value;
    }
    return started;
  }

  /** What `launch` last made, to hand to `discard` once its replacement runs. */
  get current(): Current | undefined {
    return this.#current;
  }

  /** `discard` off the build's path: `settle` waits for it. */
  discardLater(state: DockerState, which: Current | undefined): void {
    this.#discarding.push(this.discard(state, which, true));
  }

  /** Waits for the containers being discarded. */
  async settle(): Promise<void> {
    await Promise.all(this.#discarding.splice(0));
  }

  /**
   * Removes `which` (default: the slot's container), even when the build was
   * interrupted; a `docker run` that failed or was cut short is found by its name.
   */
  async discard(state: DockerState, which: Current | undefined = this.#current, quiet = false): Promise<void> {
    if (which === undefined) return;
    if (which === this.#current) this.#current = undefined;
    const target = which.id ?? which.name;
    if (which.id !== undefined && !quiet) state.ui.say(`Killing the container: ${which.id}`);
    const removed = await state.driver.discardContainer(target);
    if (removed.kind === 'error') state.ui.error(`Error removing the container: ${removed.message}`);
    else which.handle.done();
  }
}
