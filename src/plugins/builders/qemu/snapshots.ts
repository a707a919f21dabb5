/**
 * Live snapshots of a running qemu build for the step cache (step-cache.md §3.2 (b),
 * and (d) as an option): after a provisioner, the guest flushes its page cache (`sync`
 * through the communicator), kiln freezes the VM's private top layer under the step's
 * key (a rename: QEMU keeps its open file) and QMP `blockdev-snapshot-sync` moves the
 * VM onto a fresh top layer backed by it (`mode: existing`, so QEMU opens no backing
 * file by name). The layer is immutable from then on. With RAM state, the VM is paused
 * (`stop`), its state migrated into `<key>.vmstate.zst` (zstd), the disk frozen at the
 * same instant, then resumed (`cont`). The cache engine publishes its entry after this
 * returns, so a crash leaves at worst a layer without an entry, which no build trusts.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Communicator } from '../../../sdk/communicator.js';
import type { LedgerHandle, Ledger } from '../../../sdk/ledger/ledger.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import { createTop, layerFile, tmpLayerPath } from './layers.js';
import type { ResumeFingerprint } from './resume.js';
import type { QemuVm } from './vm.js';

/** The files of a RAM state beside layer `key`. */
export function vmstateFiles(dir: string, key: string): { readonly state: string; readonly fingerprint: string } {
  return { state: path.join(dir, `${key}.vmstate.zst`), fingerprint: path.join(dir, `${key}.vmstate.json`) };
}

/** What a chain of snapshots needs of the running build. */
export interface LiveMachine {
  readonly vm: () => QemuVm | undefined;
  readonly communicator: () => Communicator | undefined;
  /** The VM's writable top layer (its main disk, as QEMU opened it). */
  top: string;
  readonly virtualSize: number;
  /** For a RAM state: what a restore must match; undefined: RAM state not possible for this VM. */
  readonly fingerprint?: () => ResumeFingerprint | undefined;
}

/** The device QEMU's block layer knows the file `file` as (`virtio0`, `ide0-hd0`...). */
export async function blockDeviceOf(vm: QemuVm, file: string): Promise<string | undefined> {
  const blocks = (await vm.qmp('query-block')) as readonly { device?: string; qdev?: string; inserted?: { file?: string; 'node-name'?: string } }[];
  const hit = blocks.find((b) => b.inserted?.file === file);
  return hit?.device || hit?.inserted?.['node-name'];
}

/** Waits for an outgoing migration to finish; rejects when it failed or was cancelled. */
async function migrationDone(vm: QemuVm, signal: AbortSignal): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    const info = (await vm.qmp('query-migrate')) as { status?: string; 'error-desc'?: string };
    if (info.status === 'completed') return;
    if (info.status === 'failed' || info.status === 'cancelled') throw new Error(`migration ${info.status}${info['error-desc'] ? `: ${info['error-desc']}` : ''}`);
    await sleep(10);
  }
}

/**
 * The snapshot side of a build: records the top-layer files it makes in the ledger
 * (removed at cleanup), and freezes them under keys.
 */
export class LayerRecorder {
  private record: LedgerHandle | undefined;
  /** QEMU's name for the disk, found by its file on the first snapshot (later files show as json: names). */
  private device: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly ledger: Ledger,
    private readonly machine: LiveMachine,
  ) {}

  /** Records `top` as this build's private layer (before it is created). */
  adopt(top: string): void {
    this.record?.done();
    this.record = this.ledger.intent({ kind: 'path', path: top });
    this.machine.top = top;
  }

  /**
   * Freezes the VM's disk (and with `ram`, its RAM) as it is now under `key`; the VM
   * continues on a new top layer. Failing leaves the VM running on its old layer.
   */
  async snapshot(key: string, ram: boolean, signal: AbortSignal): Promise<Result<{ layer: string; ram: boolean }>> {
    const vm = this.machine.vm();
    const comm = this.machine.communicator();
    if (!vm?.running || !comm) return fail('the VM is not running');
    const flushed = await comm.run({ command: 'sync' }, signal).catch((err: unknown) => ({ kind: 'disconnected' as const, reason: (err as Error).message }));
    if (flushed.kind !== 'exited' || flushed.exitStatus !== 0) return fail(`guest sync failed: ${flushed.kind === 'exited' ? `exit status ${flushed.exitStatus}` : flushed.reason}`);
    const old = this.machine.top;
    this.device ??= await blockDeviceOf(vm, old).catch(() => undefined);
    const device = this.device;
    if (!device) return fail(`QEMU has no block device on ${old}`);
    const layer = path.join(this.dir, layerFile(key));
    const next = tmpLayerPath(this.dir);
    const fingerprint = ram ? this.machine.fingerprint?.() : undefined;
    const files = vmstateFiles(this.dir, key);
    const stateTmp = `${files.state}.${process.pid}.tmp`;
    let paused = false;
    let renamed = false;
    const nextRecord = this.ledger.intent({ kind: 'path', path: next });
    try {
      if (fingerprint) {
        await vm.qmp('stop');
        paused = true;
        await vm.qmp('migrate', { uri: `exec:zstd -1 -q -T0 -o ${shellQuote(stateTmp)}` });
        await migrationDone(vm, signal);
      }
      await rename(old, layer);
      renamed = true;
      await createTop(next, key, this.machine.virtualSize, true, signal);
      await vm.qmp('blockdev-snapshot-sync', { device, 'snapshot-file': next, format: 'qcow2', mode: 'existing' });
    } catch (err) {
      // The VM still writes to its old layer: give it back its private name.
      if (renamed) await rename(layer, old).catch(() => undefined);
      await rm(next, { force: true });
      nextRecord.done();
      await rm(stateTmp, { force: true });
      if (paused) await vm.qmp('cont').catch(() => undefined);
      return fail(`snapshot of the VM's disk failed: ${(err as Error).message}`);
    }
    this.record?.done();
    this.record = nextRecord;
    this.machine.top = next;
    let ramSaved = false;
    if (paused) {
      await vm.qmp('cont').catch(() => undefined);
      try {
        await rename(stateTmp, files.state);
        await writeFile(files.fingerprint, JSON.stringify(fingerprint) + '\n');
        ramSaved = true;
      } catch {
        await rm(stateTmp, { force: true });
      }
    }
    return ok({ layer, ram: ramSaved });
  }

  /** Removes the private top layer (the build is over, or failed). */
  async cleanup(): Promise<void> {
    if (!this.record) return;
    await rm(this.machine.top, { force: true });
    this.record.done();
    this.record = undefined;
  }
}

/** `s` as one word for /bin/sh (QEMU runs `exec:` URIs through it). */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
