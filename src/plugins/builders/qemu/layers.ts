/**
 * The qemu step cache's disk layers (reference step-cache.md §3.2): a chain of qcow2
 * files in one folder, each named by the cache key of the state it holds
 * (`<key>.qcow2`) and backed by its parent through a RELATIVE path, so the folder can
 * move without breaking a chain. The running VM always writes to a private top layer
 * `tmp-<pid>-<time>.qcow2`; freezing it moves the VM onto a fresh top (QMP
 * `blockdev-snapshot-sync`, see snapshots.ts) and then renames it (`installLayer`).
 * Beside a layer live its companions (`companionFiles`): a RAM state and the capture.
 */
import { copyFile, constants as fsConstants, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pidAlive } from '../../../sdk/ledger/process-identity.js';
import { imageFormat, qemuImg, withExtra } from './qemu-img.js';

/** The file name of the layer holding the state `key`. */
export function layerFile(key: string): string {
  return `${key}.qcow2`;
}

/** A new private top-layer path in `dir`, unique to this process. */
export function tmpLayerPath(dir: string): string {
  return path.join(dir, `tmp-${process.pid}-${process.hrtime.bigint().toString(36)}.qcow2`);
}

/**
 * The files kept beside layer `key` that describe the state it holds and so belong to
 * that one file: the RAM state (`.vmstate.zst`), its fingerprint (`.vmstate.json`), the
 * SSH key the guest in that RAM state accepts (`.vmstate.key`), and the capture (the
 * disk after shutdown, a layer backed by `key`'s: `.capture.qcow2`).
 */
export function companionFiles(dir: string, key: string): readonly string[] {
  return ['vmstate.zst', 'vmstate.json', 'vmstate.key', 'capture.qcow2'].map((ext) => path.join(dir, `${key}.${ext}`));
}

/**
 * Removes the temp files of killed kiln processes in `dir`: private or half-imported
 * layers `tmp-<pid>-*.qcow2` and half-written RAM-state files `*.vmstate.*.<pid>.tmp`
 * and captures `*.capture.qcow2.<pid>.tmp` whose process is gone (a live process's are
 * in use).
 */
export async function sweepDeadTemps(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^tmp-(\d+)-[0-9a-z]+\.qcow2$/.exec(name) ?? /\.(?:vmstate\.(?:zst|json|key)|capture\.qcow2)\.(\d+)\.tmp$/.exec(name);
    if (m && !pidAlive(Number(m[1]))) await rm(path.join(dir, name), { force: true });
  }
}

/**
 * The backing file name written in a qcow2 header (read directly: no qemu-img process);
 * undefined when `file` has none or is no qcow2.
 */
export async function backingName(file: string): Promise<string | undefined> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const head = Buffer.alloc(20);
    await fh.read(head, 0, 20, 0);
    if (head.readUInt32BE(0) !== 0x514649fb) return undefined;
    const offset = Number(head.readBigUInt64BE(8));
    const size = head.readUInt32BE(16);
    if (offset === 0 || size === 0 || size > 4096) return undefined;
    const name = Buffer.alloc(size);
    await fh.read(name, 0, size, offset);
    return name.toString('utf8');
  } finally {
    await fh.close();
  }
}

/**
 * Makes the frozen layer `frozen` the layer of `key` (a rename in `dir`). When a layer
 * of that key is already there (left by a build killed between freezing and publishing,
 * or kept under an entry that turned out corrupt), it is a different file holding the
 * same step's state with its own cluster layout: every layer backed by it (and theirs)
 * would read garbage over the new one, so they go first, with all their companions.
 * Companions of `key` itself (a RAM state, a capture) always go: they describe the old
 * file. Their entries stay; a build then finds their snapshot gone, a miss.
 */
export async function installLayer(dir: string, key: string, frozen: string): Promise<string> {
  const target = path.join(dir, layerFile(key));
  if (await exists(target)) await dropDescendants(dir, layerFile(key));
  for (const f of companionFiles(dir, key)) await rm(f, { force: true });
  await rename(frozen, target);
  return target;
}

/** Removes every keyed layer (and its companions) whose backing chain passes through `name`. */
async function dropDescendants(dir: string, name: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const child of names) {
    const m = /^([0-9a-f]{64})\.qcow2$/.exec(child);
    if (!m || (await backingName(path.join(dir, child))) !== name) continue;
    await dropDescendants(dir, child);
    for (const f of [path.join(dir, child), ...companionFiles(dir, m[1] ?? '')]) await rm(f, { force: true });
  }
}

interface ImageInfo {
  readonly format: string;
  readonly virtualSize: number;
  readonly backing: string | undefined;
}

/** `qemu-img info` of `file`: format, virtual size, backing file as written. */
export async function imageInfo(file: string, signal?: AbortSignal): Promise<ImageInfo> {
  const info = JSON.parse(await qemuImg(['info', '--output=json', file], signal)) as Record<string, unknown>;
  return {
    format: typeof info['format'] === 'string' ? info['format'] : 'raw',
    virtualSize: typeof info['virtual-size'] === 'number' ? info['virtual-size'] : 0,
    backing: typeof info['backing-filename'] === 'string' ? info['backing-filename'] : undefined,
  };
}

/** True when `file` exists. */
export async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Makes `<dir>/<key>.qcow2` the base layer: a self-contained qcow2 copy of `source`
 * (reflinked where the filesystem allows; converted, which flattens any backing chain,
 * when the source is not a standalone qcow2). Written under a temp name and renamed, so
 * a crash never leaves a half-written base. Reuses an existing base layer.
 */
export async function importBase(dir: string, key: string, source: string, signal?: AbortSignal): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, layerFile(key));
  if (await exists(target)) return target;
  const tmp = tmpLayerPath(dir);
  try {
    const info = await imageInfo(source, signal);
    if (info.format === 'qcow2' && info.backing === undefined) await copyFile(source, tmp, fsConstants.COPYFILE_FICLONE);
    else await qemuImg(['convert', '-O', 'qcow2', source, tmp], signal);
    await rename(tmp, target);
    return target;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Creates a top layer at `top` backed by `<dir>/<parentKey>.qcow2` through the relative
 * name; `size` (qemu-img syntax or bytes) grows the virtual disk, as `disk_size` does.
 * `unsafe`: the parent is not opened (it may be the VM's own open file being frozen).
 */
export async function createTop(top: string, parentKey: string, size: string | number | undefined, unsafe: boolean, signal?: AbortSignal): Promise<void> {
  const args = ['create', '-f', 'qcow2', ...(unsafe ? ['-u'] : []), '-b', layerFile(parentKey), '-F', 'qcow2', top];
  if (size !== undefined) args.push(String(size));
  await qemuImg(args, signal);
}

/** The virtual size of a qemu-img size string (`256M`, `40960M`, bytes) in bytes. */
export function sizeBytes(size: string): number | undefined {
  const m = /^(\d+)([bkmgt]?)$/i.exec(size.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const shift = { '': 0, b: 0, k: 10, m: 20, g: 30, t: 40 }[unit] ?? 0;
  return Number(m[1]) * 2 ** shift;
}

/** How the output disk is written from a chain's top layer. */
export interface OutputOptions {
  /** `use_backing_file`: the output is an overlay on this file (the user's source). */
  readonly backing?: string;
  readonly compress: boolean;
  /** `qemu_img_args.convert`. */
  readonly convertArgs?: readonly string[];
}

/**
 * Writes `out` from the chain whose top is `top` (the VM has stopped), so that it does
 * not refer to the layer folder: a flattened qcow2, or with `backing` an overlay on
 * that file holding every cluster the chain changed. `top` is only read (it may be a
 * capture other builds use): the overlay is a new image on `top`, moved onto `backing`
 * by a safe `qemu-img rebase`, which copies each cluster where the chain and `backing`
 * differ (`convert -B` would copy only what `top` itself allocated, dropping the
 * intermediate layers' clusters).
 */
export async function writeOutput(top: string, out: string, opts: OutputOptions, signal?: AbortSignal): Promise<void> {
  const tmp = `${out}.convert`;
  try {
    if (opts.backing !== undefined) {
      const base = path.resolve(opts.backing);
      await qemuImg(['create', '-f', 'qcow2', '-b', path.resolve(top), '-F', 'qcow2', tmp], signal);
      await qemuImg(['rebase', '-f', 'qcow2', '-b', base, '-F', await imageFormat(base, signal), tmp], signal);
    } else {
      await qemuImg(withExtra('convert', ['-O', 'qcow2', ...(opts.compress ? ['-c'] : [])], opts.convertArgs, [top, tmp]), signal);
    }
    await rename(tmp, out);
  } finally {
    await rm(tmp, { force: true });
  }
}
