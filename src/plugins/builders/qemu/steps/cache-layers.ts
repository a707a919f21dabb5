/**
 * The qemu builder with the step cache (`BuildContext.cache`; step-cache.md §3.2): the
 * VM runs on a chain of layers in the cache's layer folder instead of a disk in the
 * output directory, so that each provisioner's result can be frozen by a live snapshot
 * (snapshots.ts) and a later build can boot from any of them.
 *
 * - `stepCacheDisk` (in place of the disk steps): tells the cache the source's content
 *   identity, then creates the VM's private top layer on the layer the cache resumes
 *   from, or on the base layer (the source imported once under the base key).
 *   When every step hits and their capture is usable (capture.ts), no top layer and
 *   no VM: the output is written from the capture (cache-capture.ts).
 *
 * Only `disk_image` builds to qcow2 with one disk take part; others are provisioned
 * as without cache, and the output says why once.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { unreachableCommunicator } from '../../../../sdk/communicator.js';
import type { BuildCache, CacheStart, MachineSnapshots, SnapshotRef } from '../../../../sdk/component.js';
import type { Ledger } from '../../../../sdk/ledger/ledger.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { ok } from '../../../../sdk/result.js';
import { hashFile } from '../../../../sdk/steps/checksum.js';
import { captureFile, findCapture } from '../capture.js';
import { createTop, exists, imageInfo, importBase, layerFile, sizeBytes, sweepDeadTemps, tmpLayerPath } from '../layers.js';
import { fingerprintOf } from '../resume.js';
import { LayerRecorder, readTemporaryKey, vmstateFiles, type LiveMachine } from '../snapshots.js';
import type { QemuState } from '../state.js';
import { needsTemporaryKey } from './ssh-key.js';

/** The build's layer chain, on the state while the cache is in use. */
export interface QemuLayers {
  readonly dir: string;
  readonly start: CacheStart;
  readonly recorder: LayerRecorder;
  readonly machine: LiveMachine;
  /** Keep the RAM state with each snapshot (`-cache-ram`). */
  readonly ram: boolean;
  /** Set when the resume point has a RAM state: stepRun may load it. */
  ramResume?: { readonly state: string; readonly fingerprint: string };
  /** The VM was restored from a RAM state (no boot; set the guest clock). */
  ramRestored?: boolean;
  /** Whether this build writes to the cache (its capture); false with `-cache=read`. */
  readonly write: boolean;
  /** Every step hits and their capture is usable: the output is written from this file, no VM runs. */
  readonly captured?: string;
}

/** Why this build cannot run on cache layers; undefined when it can. */
export function uncacheable(state: QemuState): string | undefined {
  const c = state.config;
  if (c.disk_image !== true) return 'the qemu step cache needs disk_image = true (an ISO install is not snapshotted yet)';
  if (state.r.format !== 'qcow2') return 'the qemu step cache needs format = "qcow2"';
  if ((c.disk_additional_size ?? []).length > 0) return 'the qemu step cache does not snapshot disk_additional_size disks yet';
  if (!state.isoPath) return 'the source disk is missing';
  return undefined;
}

const TYPED = /^(md5|sha1|sha256|sha512):([0-9a-f]+)$/i;
const BARE = /^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$|^[0-9a-f]{128}$/i;
const REMOTE = /^(?!file:)[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The source disk's content identity: the template's `iso_checksum` when it is a
 * digest, else the sha256 of the local file. A downloaded source with
 * `iso_checksum = "none"` has none kiln could trust (the URL's content can change).
 */
export async function sourceIdentity(state: QemuState, signal: AbortSignal): Promise<{ identity: string } | { why: string }> {
  const sum = (state.config.iso_checksum ?? '').trim();
  const typed = TYPED.exec(sum);
  if (typed) return { identity: `${(typed[1] ?? '').toLowerCase()}:${(typed[2] ?? '').toLowerCase()}` };
  if (BARE.test(sum)) return { identity: `${sum.length === 32 ? 'md5' : sum.length === 40 ? 'sha1' : sum.length === 64 ? 'sha256' : 'sha512'}:${sum.toLowerCase()}` };
  if ((sum === '' || sum === 'none') && state.r.isoUrls.some((u) => REMOTE.test(u))) {
    return { why: 'iso_checksum = "none" with a downloaded iso_url: the source has no content identity, so its layers cannot be cached (give iso_checksum)' };
  }
  return { identity: `sha256:${await hashFile(state.isoPath ?? '', 'sha256', signal)}` };
}

/** The virtual size the top layer gets: `disk_size` where Packer's disk steps would apply it. */
function topSize(state: QemuState): string | undefined {
  const c = state.config;
  return c.use_backing_file === true || c.skip_resize_disk !== true ? state.r.diskSize : undefined;
}

export function stepCacheDisk(cache: BuildCache, ledger: Ledger, ram: boolean): Step<QemuState> {
  let recorder: LayerRecorder | undefined;
  return {
    name: 'StepCacheDisk',
    async run(state, signal) {
      const why = uncacheable(state);
      const id = why ? { why } : await sourceIdentity(state, signal).catch((err: unknown) => ({ why: `hashing the source failed: ${(err as Error).message}` }));
      if ('why' in id) {
        state.ui.say(`Step cache: ${id.why}; provisioning runs uncached.`);
        return CONTINUE;
      }
      const dir = cache.layers;
      const lookup = async (_key: string, local: SnapshotRef | undefined): Promise<SnapshotRef | undefined> =>
        local && local.builderType === 'qemu' && (await exists(path.join(dir, local.id))) ? local : undefined;
      let start: CacheStart;
      try {
        start = await cache.start({ identity: id.identity, lookup }, signal);
      } catch (err) {
        state.ui.say(`Step cache: ${(err as Error).message}; provisioning runs uncached.`);
        return CONTINUE;
      }
      if (!start.resume && !start.record) return CONTINUE;
      const machine: LiveMachine = {
        vm: () => state.vm,
        communicator: () => state.communicator,
        top: '',
        virtualSize: 0,
        ...(ram
          ? {
              fingerprint: () => (state.vm ? fingerprintOf(state.vm.argv[0] ?? '', state.vm.argv.slice(1)) : undefined),
              temporaryKey: () => (needsTemporaryKey(state) && state.sshPrivateKey && state.sshPublicKey ? { privateKey: state.sshPrivateKey, publicKey: state.sshPublicKey } : undefined),
            }
          : {}),
      };
      try {
        await sweepDeadTemps(dir);
        const captured = await usableCapture(state, dir, start, signal);
        if (captured !== undefined) {
          state.ui.say(`Every provisioner is cached (${start.resume?.key.slice(0, 12) ?? ''}): writing the output from the cached capture, without a VM`);
          state.layers = { dir, start, recorder: new LayerRecorder(dir, ledger, machine), machine, ram, write: cache.write !== false, captured };
          state.instanceId = state.r.vmName;
          state.communicator = NO_MACHINE;
          return CONTINUE;
        }
        let parent: string;
        let ramResume: QemuLayers['ramResume'];
        if (start.resume) {
          parent = start.resume.key;
          state.ui.say(`Resuming from the cached layer after provisioner ${start.resume.provisioners} (${start.resume.key.slice(0, 12)})`);
          const saved = vmstateFiles(dir, parent);
          if ((await exists(saved.state)) && (await exists(saved.fingerprint))) ramResume = await withSavedKey(state, saved);
        } else {
          state.ui.say('Importing the source disk as the cache base layer...');
          await importBase(dir, start.baseKey, state.isoPath ?? '', signal);
          parent = start.baseKey;
        }
        recorder = new LayerRecorder(dir, ledger, machine);
        const top = tmpLayerPath(dir);
        recorder.adopt(top);
        const size = topSize(state);
        await createTop(top, parent, size, false, signal);
        const info = await imageInfo(top, signal);
        Object.assign(machine, { virtualSize: info.virtualSize || sizeBytes(size ?? '') || 0 });
        state.diskPaths = [top];
        state.layers = { dir, start, recorder, machine, ram, write: cache.write !== false, ...(ramResume ? { ramResume } : {}) };
      } catch (err) {
        const text = `Error creating the VM's disk on the cache layers: ${(err as Error).message}`;
        state.ui.error(text);
        return halt(text);
      }
      return CONTINUE;
    },
    async cleanup() {
      await recorder?.cleanup();
    },
  };
}

/**
 * The snapshots the provision hook takes of this build's VM; undefined when the build
 * does not run on cache layers.
 */
export function machineSnapshots(state: QemuState): MachineSnapshots | undefined {
  const layers = state.layers;
  if (!layers || layers.captured !== undefined) return undefined;
  return {
    async snapshot(key, signal) {
      const res = await layers.recorder.snapshot(key, layers.ram, signal);
      if (res.kind === 'error') return res;
      const size = await stat(res.value.layer).then(
        (s) => s.size,
        () => undefined,
      );
      return ok({ builderType: 'qemu', id: layerFile(key), ...(size !== undefined ? { size } : {}) });
    },
  };
}

/**
 * With every provisioner cached, the capture of the last one when a build can use it
 * (an unreadable one is a miss with a warning, and is removed: this build boots the
 * last layer and captures again).
 */
async function usableCapture(state: QemuState, dir: string, start: CacheStart, signal: AbortSignal): Promise<string | undefined> {
  const resume = start.resume;
  if (!resume || start.steps === 0 || resume.provisioners < start.steps || state.config.efi_boot === true) return undefined;
  const found = await findCapture(dir, resume.key, signal);
  if (found === undefined || 'file' in found) return found?.file;
  state.ui.error(`Warning: the cached capture of ${resume.key.slice(0, 12)} is unreadable (${found.why}); booting the last cached layer instead`);
  await rm(captureFile(dir, resume.key), { force: true });
  return undefined;
}

/** The communicator of a build whose every step is cached and captured: the hook never calls it. */
const NO_MACHINE = unreachableCommunicator('ssh', 'every provisioner was cached: there is no VM to reach');

/**
 * A RAM state the build can load: with a temporary key pair, the guest in it accepts
 * only the key kept beside it, which this build then uses (stepSshKeyGen makes none);
 * without that key the layer boots cold with a new one.
 */
async function withSavedKey(state: QemuState, saved: QemuLayers['ramResume'] & { readonly key: string }): Promise<QemuLayers['ramResume']> {
  if (!needsTemporaryKey(state)) return saved;
  const key = await readTemporaryKey(saved.key);
  if (!key) {
    state.ui.say('Not loading the saved RAM state: the temporary SSH key its guest accepts was not kept; booting the cached layer.');
    return undefined;
  }
  state.sshPrivateKey = key.privateKey;
  state.sshPublicKey = key.publicKey;
  return saved;
}
