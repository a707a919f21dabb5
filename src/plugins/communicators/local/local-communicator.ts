/**
 * The `local` communicator: "the machine" is the host kiln runs on. Commands run
 * through `/bin/sh -c`; transfers are file copies with the contract's `scp -r` rules.
 * For tests, and for components that act on the local host through the communicator
 * contract.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { chmod, cp, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { CommandResult, Communicator, RemoteCommand, UploadInfo } from '../../../sdk/communicator.js';
import { spawnLocal } from '../../../sdk/shell-local/index.js';

export interface LocalCommunicatorOptions {
  /** Working directory of commands; default this process's. */
  readonly cwd?: string;
  /** Extra environment for commands, over this process's. */
  readonly env?: Readonly<Record<string, string>>;
  /** The shell; default `/bin/sh`. */
  readonly shell?: string;
}

export class LocalCommunicator implements Communicator {
  readonly type = 'local';

  constructor(private readonly options: LocalCommunicatorOptions = {}) {}

  async run(cmd: RemoteCommand, signal?: AbortSignal): Promise<CommandResult> {
    const exitStatus = await spawnLocal(
      {
        argv: [this.options.shell ?? '/bin/sh', '-c', cmd.command],
        ...(this.options.cwd !== undefined ? { cwd: this.options.cwd } : {}),
        env: { ...process.env, ...this.options.env },
        ...(cmd.stdin ? { stdin: cmd.stdin } : {}),
        ...(cmd.onStdout ? { onStdout: cmd.onStdout } : {}),
        ...(cmd.onStderr ? { onStderr: cmd.onStderr } : {}),
      },
      signal,
    );
    return { kind: 'exited', exitStatus };
  }

  async upload(dst: string, source: Readable | Buffer, info?: UploadInfo, signal?: AbortSignal): Promise<void> {
    const file = this.#path(dst);
    if (Buffer.isBuffer(source)) await writeFile(file, source, { signal });
    else await pipeline(source, createWriteStream(file), { signal });
    await chmod(file, info?.mode ?? 0o644);
  }

  async uploadDir(dst: string, src: string, exclude: readonly string[] = [], signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    await copyDir(src, this.#path(dst), exclude);
  }

  async download(src: string, sink: Writable, signal?: AbortSignal): Promise<void> {
    // The sink stays open: the caller owns it (Go's io.Writer).
    for await (const chunk of createReadStream(this.#path(src), { signal })) {
      if (!sink.write(chunk)) await once(sink, 'drain', { signal });
    }
  }

  async downloadDir(src: string, dst: string, exclude: readonly string[] = [], signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    await copyDir(this.#path(src), dst, exclude, src.endsWith('/'));
  }

  async close(): Promise<void> {}

  #path(p: string): string {
    return this.options.cwd !== undefined ? path.resolve(this.options.cwd, p) : p;
  }
}

/**
 * `scp -r`'s directory rule: `src/` copies the contents into `dst`; `src` is copied into
 * `dst` when that is an existing directory, else becomes `dst`.
 */
async function copyDir(src: string, dst: string, exclude: readonly string[], contentsOnly = src.endsWith('/')): Promise<void> {
  const info = await stat(src);
  if (!info.isDirectory()) throw new Error(`${src}: not a directory`);
  let target = dst;
  if (!contentsOnly && (await isDir(dst))) target = path.join(dst, path.basename(path.resolve(src)));
  await mkdir(target, { recursive: true });
  const root = path.resolve(src);
  const dropped = exclude.map((e) => path.normalize(e).replace(/\/+$/, '')).filter((e) => e !== '' && e !== '.');
  await cp(root, target, {
    recursive: true,
    filter: (from) => {
      const rel = path.relative(root, path.resolve(from));
      return !dropped.some((d) => rel === d || rel.startsWith(`${d}${path.sep}`));
    },
  });
}

async function isDir(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
