/**
 * The capture of a cached qemu build (step-cache.md §3.2, point 6): the disk as the
 * build's shutdown left it — what Packer's output holds: every provisioner's changes
 * and what `shutdown_command` wrote while the guest went down cleanly — kept as
 * `<last step key>.capture.qcow2`, a layer backed by the last step's layer. A later
 * build whose every step hits writes its output from the capture with no VM at all,
 * so its output equals the capturing build's (the same chain, the same convert).
 *
 * The last step's key covers the builder's whole config (the base key does, and each
 * step chains it), `shutdown_command` included, so the capture is keyed by it alone.
 * It goes with the last step's layer (`kiln cache prune` removes `<key>.*`, and a
 * layer replaced under the same key drops it: layers.ts `installLayer`). It is made by
 * a hard link of the stopped VM's top layer after an fsync, so it appears whole or not
 * at all, and the first build to link it wins.
 */
import { execFile } from 'node:child_process';
import { link, open } from 'node:fs/promises';
import path from 'node:path';
import { backingName, exists, layerFile } from './layers.js';

/** Where the capture of the build whose last step is `lastKey` lives. */
export function captureFile(dir: string, lastKey: string): string {
  return path.join(dir, `${lastKey}.capture.qcow2`);
}

/**
 * The capture of `lastKey` when there is one a build can use: `file`; `why` when one is
 * there but unreadable (the caller warns, removes it and boots); undefined when none.
 */
export async function findCapture(dir: string, lastKey: string, signal: AbortSignal): Promise<{ readonly file: string } | { readonly why: string } | undefined> {
  const file = captureFile(dir, lastKey);
  if (!(await exists(file))) return undefined;
  const backing = await backingName(file).catch(() => undefined);
  if (backing !== layerFile(lastKey)) return { why: `it is not a layer on ${layerFile(lastKey).slice(0, 12)}… (backing ${JSON.stringify(backing)})` };
  const problem = await checkImage(file, signal);
  return problem === undefined ? { file } : { why: problem };
}

/** `qemu-img check`: undefined when the image is consistent (leaked clusters are harmless), else its complaint. */
function checkImage(file: string, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('qemu-img', ['check', '-q', '-f', 'qcow2', file], { signal }, (err, _stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      resolve(err === null || code === 3 ? undefined : stderr.trim().split('\n')[0] || `qemu-img check exited with ${String(code)}`);
    });
  });
}

/**
 * Keeps `top`, the disk of a VM that has stopped, as the capture of `lastKey`: flushed
 * to disk, then hard-linked to its name (`top` keeps its private name, which the
 * build's cleanup removes). Resolves with the file to write the output from: the
 * capture, or `top` itself when another build linked its capture first (the same
 * state: this build's output is written from its own disk); or an error message.
 */
export async function keepCapture(dir: string, lastKey: string, top: string): Promise<{ readonly file: string } | { readonly error: string }> {
  const file = captureFile(dir, lastKey);
  try {
    const fh = await open(top, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await link(top, file);
    return { file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { file: top };
    return { error: (err as Error).message };
  }
}
