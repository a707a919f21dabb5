/**
 * Live snapshots of a running qemu build for the step cache (step-cache.md §3.2 (b),
 * and (d) as an option): after a provisioner, the guest flushes its page cache (`sync`
 * through the communicator), QMP `blockdev-snapshot-sync` moves the VM onto a fresh top
 * layer (`mode: existing`, so QEMU opens no backing file by name) created backed by the
 * name `<key>.qcow2`, and the old top, now read-only, is renamed to that name (QEMU
 * keeps its open file). The layer is immutable from then on. With RAM state, the VM is
 * paused (`stop`), its state migrated into a private temp file (zstd, mode 0600), the
 * disk frozen at the same instant, the VM resumed (`cont`), and the state renamed to
 * `<key>.vmstate.zst` after the layer. The cache engine publishes its entry right after
 * this returns, so a build killed at any moment leaves private temp files (swept by the
 * next build and `kiln gc`) or at worst a layer without an entry, which no build trusts
 * and the next recording of that step replaces.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Communicator } from '../../../sdk/communicator.js';
import type { Ledger, LedgerHandle } from '../../../sdk/ledger/ledger.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import { createTop, installLayer, tmpLayerPath } from './layers.js';
import type { ResumeFingerprint } from './resume.js';
import type { QemuVm } from './vm.js';

/** The files of a RAM state beside layer `key`. */
export function vmstateFiles(dir: string, key: string): { readonly state: string; readonly fingerprint: string; readonly key: string } {
  return { state: path.join(dir, `${key}.vmstate.zst`), fingerprint: path.join(dir, `${key}.vmstate.json`), key: path.join(dir, `${key}.vmstate.key`) };
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
  /**
   * The temporary SSH key pair the guest accepts, when the build made one: a guest
   * restored from RAM accepts only that key, so it is kept with the RAM state.
   */
  readonly temporaryKey?: () => TemporaryKey | undefined;
}

/** A temporary SSH key pair, as kept beside a RAM state (`<key>.vmstate.key`, mode 0600). */
export interface TemporaryKey {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** The key pair kept at `file`; undefined when it is missing or unreadable. */
export async function readTemporaryKey(file: string): Promise<TemporaryKey | undefined> {
  try {
    const j = JSON.parse(await readFile(file, 'utf8')) as Partial<TemporaryKey>;
    return typeof j.privateKey === 'string' && typeof j.publicKey === 'string' ? { privateKey: j.privateKey, publicKey: j.publicKey } : undefined;
  } catch {
    return undefined;
  }
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
 * The snapshot side of a build: records the private files it makes in the ledger (the
 * VM's top layer, a RAM state being written), freezes them under keys, and removes the
 * private ones at cleanup.
 */
export class LayerRecorder {
  /** The private files of this build and their ledger records (the top layer among them). */
  private readonly privates = new Map<string, LedgerHandle>();
  /** QEMU's name for the disk, found by its file on the first snapshot (later files show as json: names). */
  private device: string | undefined;
  /** How many snapshots this build took (the capture needs one per step after the resume point). */
  taken = 0;
  /** The key of the last snapshot taken. */
  lastKey: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly ledger: Ledger,
    private readonly machine: LiveMachine,
  ) {}

  /** Records `file` as private to this build (before it is created); removed at cleanup. */
  private own(file: string): void {
    this.privates.set(file, this.ledger.intent({ kind: 'path', path: file }));
  }

  /** `file` is no longer private (renamed into the cache, or removed). */
  private disown(file: string): void {
    this.privates.get(file)?.done();
    this.privates.delete(file);
  }

  /** Records `top` as this build's private top layer (before it is created). */
  adopt(top: string): void {
    this.own(top);
    this.machine.top = top;
  }

  /**
   * Freezes the VM's disk (and with `ram`, its RAM) as it is now under `key`; the VM
   * continues on a new top layer. Order, so that a kill at any instant leaves nothing a
   * later build trusts: the RAM state goes to a private temp file while the VM is
   * paused; the new top is created (backed by the name the frozen layer will get) and
   * QEMU moved onto it; only then is the frozen file renamed to `<key>.qcow2`, and the
   * RAM state to its name, just before the engine publishes the entry. Failing before
   * the move leaves the VM running on its old layer.
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
    const next = tmpLayerPath(this.dir);
    const fingerprint = ram ? this.machine.fingerprint?.() : undefined;
    const files = vmstateFiles(this.dir, key);
    const stateTmp = `${files.state}.${process.pid}.tmp`;
    let paused = false;
    this.own(next);
    if (fingerprint) this.own(stateTmp);
    try {
      if (fingerprint) {
        await vm.qmp('stop');
        paused = true;
        // umask 077: the state holds the guest's memory (and so its secrets).
        await vm.qmp('migrate', { uri: `exec:umask 077; exec zstd -1 -q -T0 -o ${shellQuote(stateTmp)}` });
        await migrationDone(vm, signal);
      }
      await createTop(next, key, this.machine.virtualSize, true, signal);
      await vm.qmp('blockdev-snapshot-sync', { device, 'snapshot-file': next, format: 'qcow2', mode: 'existing' });
    } catch (err) {
      await this.drop(next);
      await this.drop(stateTmp);
      if (paused) await vm.qmp('cont').catch(() => undefined);
      return fail(`snapshot of the VM's disk failed: ${(err as Error).message}`);
    }
    this.machine.top = next;
    if (paused) await vm.qmp('cont').catch(() => undefined);
    let layer: string;
    try {
      layer = await installLayer(this.dir, key, old);
    } catch (err) {
      // `old` stays private (the VM's chain reads it); the new top's backing name is missing.
      await vm.qmp('change-backing-file', { device, 'image-node-name': await topNodeName(vm, device), 'backing-file': path.basename(old) }).catch(() => undefined);
      await this.drop(stateTmp);
      return fail(`naming the frozen layer failed: ${(err as Error).message}`);
    }
    this.disown(old);
    this.taken++;
    this.lastKey = key;
    let ramSaved = false;
    if (paused) {
      try {
        const key = this.machine.temporaryKey?.();
        if (key) await writePrivately(files.key, JSON.stringify(key));
        await rename(stateTmp, files.state);
        this.disown(stateTmp);
        await writePrivately(files.fingerprint, JSON.stringify(fingerprint) + '\n');
        ramSaved = true;
      } catch {
        await this.drop(stateTmp);
        for (const f of [files.state, files.key]) await rm(f, { force: true });
      }
    }
    return ok({ layer, ram: ramSaved });
  }

  /** Removes a private file and its record. */
  private async drop(file: string): Promise<void> {
    if (!this.privates.has(file)) return;
    await rm(file, { force: true });
    this.disown(file);
  }

  /**
   * Takes the VM's top layer out of this build's private files (its new owner, the
   * capture, records it); the cleanup then leaves it.
   */
  release(file: string): void {
    this.disown(file);
  }

  /** Removes this build's private files (the build is over, or failed). */
  async cleanup(): Promise<void> {
    for (const file of [...this.privates.keys()]) await this.drop(file);
  }
}

/** Writes `file` (mode 0600) through a temp file and a rename: never seen half-written. */
export async function writePrivately(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The node name of the image at the top of `device` (for QMP commands that need it). */
async function topNodeName(vm: QemuVm, device: string): Promise<string | undefined> {
  const blocks = (await vm.qmp('query-block')) as readonly { device?: string; inserted?: { 'node-name'?: string } }[];
  return blocks.find((b) => b.device === device)?.inserted?.['node-name'];
}

/** `s` as one word for /bin/sh (QEMU runs `exec:` URIs through it). */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
