/**
 * Starting a resumed qemu build from a saved RAM state instead of booting its layer
 * (step-cache.md §3.2 (d)): stepRun adds `-incoming` when the state's fingerprint
 * matches the command line it is about to run, then waits until the guest runs again;
 * on any failure the layer boots cold. Once connected, `stepRestoredClock` sets the
 * guest clock, which restarted from the moment of the save; when that fails the build
 * stops rather than provision a guest living in the past.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { fingerprintMismatch, fingerprintOf, readFingerprint, setGuestClock } from '../resume.js';
import { shellQuote } from '../snapshots.js';
import type { QemuState } from '../state.js';
import type { QemuVm } from '../vm.js';

const RESTORE_TIMEOUT_MS = 120_000;

/**
 * The arguments that load the resume point's RAM state into a VM started as `binary
 * argv`: `-incoming exec:zstd -dc <file>`, or none (no state, or another machine; the
 * output says why once and the layer boots cold).
 */
export async function ramRestoreArgs(state: QemuState, binary: string, argv: readonly string[]): Promise<string[]> {
  const saved = state.layers?.ramResume;
  if (!saved) return [];
  const recorded = await readFingerprint(saved.fingerprint);
  const why = recorded ? fingerprintMismatch(recorded, fingerprintOf(binary, argv)) : 'its fingerprint is unreadable';
  if (why) {
    state.ui.say(`Not loading the saved RAM state: ${why}; booting the cached layer.`);
    if (state.layers) state.layers.ramResume = undefined;
    return [];
  }
  state.ui.say('Loading the saved RAM state...');
  return ['-incoming', `exec:zstd -dcq ${shellQuote(saved.state)}`];
}

/** Waits until a VM started with `-incoming` runs; false when loading failed (the caller boots cold). */
export async function awaitRamRestore(state: QemuState, vm: QemuVm, signal: AbortSignal): Promise<boolean> {
  const until = Date.now() + RESTORE_TIMEOUT_MS;
  while (Date.now() < until && vm.running && !signal.aborted) {
    const status = (await vm.qmp('query-status').catch(() => undefined)) as { status?: string } | undefined;
    if (status?.status === 'running') {
      if (state.layers) state.layers.ramRestored = true;
      return true;
    }
    if (status?.status === 'paused' || status?.status === 'postmigrate') {
      await vm.qmp('cont').catch(() => undefined);
      continue;
    }
    await sleep(20);
  }
  state.ui.say(`Loading the saved RAM state failed${vm.running ? '' : `: ${vm.stderr().trim().split('\n').pop() ?? ''}`}; booting the cached layer.`);
  await vm.stop();
  if (state.layers) state.layers.ramResume = undefined;
  return false;
}

/** After a RAM restore: sets the guest clock from the host's. */
export function stepRestoredClock(): Step<QemuState> {
  return {
    name: 'StepRestoredClock',
    async run(state, signal) {
      if (!state.layers?.ramRestored || !state.communicator) return CONTINUE;
      if (await setGuestClock(state.communicator, signal)) return CONTINUE;
      const text = 'Setting the guest clock after loading the saved RAM state failed (date -s); run again without the RAM state (delete its .vmstate.zst) to boot the layer cold.';
      state.ui.error(text);
      return halt(text);
    },
  };
}
