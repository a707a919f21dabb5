/**
 * The qemu step cache's disk layers (reference step-cache.md §3.2): a chain of qcow2
 * files in one folder, each named by the cache key of the state it holds
 * (`<key>.qcow2`) and backed by its parent through a RELATIVE path, so the folder can
 * move without breaking a chain. The running VM always writes to a private top layer
 * `tmp-<pid>-<time>.qcow2`; freezing it is a rename, after which the VM continues on a
 * fresh top (QMP `blockdev-snapshot-sync`, see snapshots.ts).
 */
import { copyFile, constants as fsConstants, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
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
 * Removes the temp files of killed kiln processes in `dir`: private or half-imported
 * layers `tmp-<pid>-*.qcow2` and half-written RAM states `*.vmstate.zst.<pid>.tmp`
 * whose process is gone (a live process's are in use).
 */
export async function sweepDeadTemps(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^tmp-(\d+)-[0-9a-z]+\.qcow2$/.exec(name) ?? /\.vmstate\.zst\.(\d+)\.tmp$/.exec(name);
    if (m && !pidAlive(Number(m[1]))) await rm(path.join(dir, name), { force: true });
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

/** Moves `from` to `to`, copying across filesystems. */
async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

/**
 * Writes `out` from the chain whose top is `top` (the VM has stopped), so that it does
 * not refer to the layer folder: a flattened qcow2, or with `backing` an overlay on
 * that file holding every cluster the chain changed. The overlay comes from a safe
 * `qemu-img rebase` of `top` itself (it is consumed), since `convert -B` only copies
 * what the top layer allocated and would drop the intermediate layers' clusters.
 */
export async function writeOutput(top: string, out: string, opts: OutputOptions, signal?: AbortSignal): Promise<void> {
  if (opts.backing !== undefined) {
    const base = path.resolve(opts.backing);
    await qemuImg(['rebase', '-f', 'qcow2', '-b', base, '-F', await imageFormat(base, signal), top], signal);
    await move(top, out);
    return;
  }
  const tmp = `${out}.convert`;
  try {
    await qemuImg(withExtra('convert', ['-O', 'qcow2', ...(opts.compress ? ['-c'] : [])], opts.convertArgs, [top, tmp]), signal);
    await rename(tmp, out);
  } finally {
    await rm(tmp, { force: true });
  }
}
