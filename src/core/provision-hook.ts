/**
 * Core's provisioning: runs a build's provisioners in order when its builder calls the
 * `packer_provision` hook, each decoded again with the build's real generated data and
 * wrapped as Packer wraps them (pause_before, timeout, max_retries, continue_on_error).
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { Communicator } from '../sdk/communicator.js';
import { NO_COMMUNICATOR } from '../sdk/communicator.js';
import type { GeneratedData, MachineSnapshots, PackerConfig, ProvisionHook, ProvisionHookName } from '../sdk/component.js';
import { formatDuration } from '../sdk/duration.js';
import type { Result } from '../sdk/result.js';
import { fail, ok } from '../sdk/result.js';
import type { Ui } from '../sdk/ui.js';
import type { Ledger } from '../sdk/ledger/ledger.js';
import type { BuildData } from '../template/model.js';
import type { StepCacheHooks } from './cache/engine.js';
import type { PreparedProvisioner } from './prepare.js';
import { decodeAndPrepare } from './prepare.js';
import { sleep } from '../support/sleep.js';
import { guarded } from './timers.js';
import type { StepEvents } from './ui/step-events.js';
import { observeStep } from './ui/step-events.js';

/** What a build adds to its provisioning hook beyond the provisioners (all optional). */
export interface HookOptions {
  readonly cache?: StepCacheHooks | undefined;
  readonly events?: StepEvents | undefined;
  readonly ledger?: Ledger | undefined;
}

/**
 * The hook a build's builder calls; `keys` are the generated-data keys its prepare gave.
 * `cache` (with a cache flag): `packer_provision` skips the provisioners the build
 * resumed past and records each one that ran, through the builder's `machine`.
 * `events` reports each provisioner as a step (`kiln build -json`).
 * `ledger`: the build's, handed to each provisioner.
 */
export function provisionHook(provisioners: readonly PreparedProvisioner[], cleanup: PreparedProvisioner | undefined, packer: PackerConfig, keys: readonly string[], opts: HookOptions = {}): ProvisionHook {
  const { cache, events, ledger } = opts;
  return {
    async run(name: ProvisionHookName, ui: Ui, comm: Communicator | undefined, data: GeneratedData, signal: AbortSignal, machine?: MachineSnapshots): Promise<Result<void>> {
      const list = name === 'packer_provision' ? provisioners : cleanup ? [cleanup] : [];
      const steps = name === 'packer_provision' ? cache : undefined;
      if (list.length === 0) return ok(undefined);
      const skip = steps?.begin(machine) ?? 0;
      if (skip >= list.length) return ok(undefined);
      if (!comm) return fail(NO_COMMUNICATOR);
      for (const [i, p] of list.entries()) {
        if (i < skip) continue;
        if (signal.aborted) return fail('provisioning cancelled');
        steps?.before(i);
        let continued = false;
        const res = await observeStep(events?.('provisioner', p.spec.type), p.spec.name ?? p.spec.type, signal, () => runWrapped(p, ui, comm, { keys, data }, signal, { packer, ledger }, () => (continued = true)));
        if (res.kind === 'error') return res;
        await steps?.after(i, machine, continued, signal);
      }
      return ok(undefined);
    },
  };
}

async function runWrapped(p: PreparedProvisioner, ui: Ui, comm: Communicator, build: Required<BuildData>, signal: AbortSignal, run: RunWith, onContinued?: () => void): Promise<Result<void>> {
  const once = async (): Promise<Result<void>> => {
    if (p.spec.pauseBefore) {
      ui.say(`Pausing ${formatDuration(p.spec.pauseBefore)} before the next provisioner...`);
      if (!(await sleep(p.spec.pauseBefore, signal))) return fail('provisioning cancelled');
    }
    if (p.spec.timeout) return withTimeout(p, ui, comm, build, signal, run, p.spec.timeout);
    return provisionOnce(p, ui, comm, build, signal, run);
  };
  let res = await once();
  for (let left = p.spec.maxRetries; res.kind === 'error' && left > 0 && !signal.aborted; left--) {
    ui.say(`Provisioner failed with "${res.error.message}", retrying with ${left} trie(s) left`);
    res = await once();
  }
  if (res.kind === 'error' && p.spec.maxRetries > 0 && !signal.aborted) ui.say('retry limit reached.');
  if (res.kind === 'error' && p.spec.continueOnError && !signal.aborted) {
    ui.say(`Warning: Provisioner failed with "${res.error.message}", but continue_on_error is set; continuing the build.`);
    onContinued?.();
    return ok(undefined);
  }
  return res;
}

async function withTimeout(p: PreparedProvisioner, ui: Ui, comm: Communicator, build: Required<BuildData>, signal: AbortSignal, run: RunWith, ms: number): Promise<Result<void>> {
  ui.say(`Setting a ${formatDuration(ms)} timeout for the next provisioner...`);
  const timer = AbortSignal.timeout(ms);
  const both = AbortSignal.any([signal, timer]);
  const res = await provisionOnce(p, ui, comm, build, both, run);
  if (timer.aborted && !signal.aborted) {
    ui.error('Cancelling provisioner after a timeout...');
    if (res.kind === 'ok') return res;
    return fail(`${res.error.message} (provisioner timed out after ${formatDuration(ms)})`);
  }
  return res;
}

/** What every provisioner of the build runs with. */
interface RunWith {
  readonly packer: PackerConfig;
  readonly ledger: Ledger | undefined;
}

/** Decodes and prepares the provisioner again with the build's generated data (as Packer does), then runs it. */
async function provisionOnce(p: PreparedProvisioner, ui: Ui, comm: Communicator, build: Required<BuildData>, signal: AbortSignal, run: RunWith): Promise<Result<void>> {
  const prepared = await decodeAndPrepare(p.definition, p.spec, run.packer, signal, build);
  if (!prepared.ok) return fail(diagnosticsText(prepared.diagnostics));
  const value = prepared.value;
  return guarded(() => p.definition.provision(value, { ui, signal, communicator: comm, generatedData: build.data, packer: run.packer, ...(run.ledger ? { ledger: run.ledger } : {}) }));
}

/** Diagnostics from a run-time decode, as one error message. */
export function diagnosticsText(diags: readonly Diagnostic[]): string {
  return diags.map((d) => `${d.summary}${d.detail ? `: ${d.detail}` : ''}`).join('\n');
}
