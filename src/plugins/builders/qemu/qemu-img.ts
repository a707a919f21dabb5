/** `qemu-img` as the builder runs it: errors carry the command and its stderr. */
import { execFile } from 'node:child_process';

export function qemuImg(args: readonly string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('qemu-img', args, { signal, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ENOENT') return reject(new Error('qemu-img is not installed (apt-get install qemu-utils)'));
        return reject(new Error(`qemu-img ${args.join(' ')}: ${stderr.trim() || e.message}`));
      }
      resolve(stdout);
    });
  });
}

/** The image's format as qemu-img detects it (`qcow2`, `raw`...). */
export async function imageFormat(file: string, signal?: AbortSignal): Promise<string> {
  const info = JSON.parse(await qemuImg(['info', '--output=json', file], signal)) as { format?: unknown };
  return typeof info.format === 'string' ? info.format : 'raw';
}

/** Inserts `extra` into `args` after the subcommand's own options, before its positional arguments (Packer's qemu_img_args rule: extra arguments go before the paths). */
export function withExtra(sub: string, options: readonly string[], extra: readonly string[] | undefined, positional: readonly string[]): string[] {
  return [sub, ...options, ...(extra ?? []), ...positional];
}
