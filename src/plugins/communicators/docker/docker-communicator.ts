/**
 * The docker communicator: reaches a running container through the `docker` CLI, as
 * Packer's (`builder/docker/communicator.go`) does. Commands run with `docker exec`
 * through `/bin/sh -c`; files move with `docker cp` through a temp folder on the host.
 * When the CLI would add nothing (sdk/docker/engine-api.ts), commands and plain file
 * uploads go straight to the engine's socket: the same calls, without a client process.
 *
 * Differences from Packer, on purpose:
 * - An abort kills the command inside the container (every process carrying this
 *   run's `KILN_EXEC_ID` variable), not only the local client.
 * - `downloadDir` works (Packer's returns "not implemented"), and `exclude` is honoured
 *   for both directory copies (Packer ignores it).
 * - `download` follows a symlink at `src` (`docker cp -L`).
 * - A command on a container that is gone ends as `disconnected`, not as status 1.
 *
 * Directory copies keep Packer's docker semantics, which are `docker cp`'s: with a
 * trailing `/` the contents of `src` go into `dst`; without it `src` is copied *into*
 * `dst` when `dst` exists, and *becomes* `dst` when it does not.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { CommandResult, Communicator, RemoteCommand, UploadInfo } from '../../../sdk/communicator.js';
import {
  dockerCli,
  failure,
  runDocker,
  type DockerCli,
  type DockerCliOptions,
  type DockerResult,
} from '../../../sdk/docker/docker-cli.js';
import { engineApi, type EngineApi } from '../../../sdk/docker/engine-api.js';
import { engineUploadFile } from '../../../sdk/docker/engine-copy.js';
import { engineExec } from '../../../sdk/docker/engine-exec.js';
import { shellQuote } from '../../../support/shell-quote.js';
import { copyInto, excludeFilter } from './copy.js';

export interface DockerCommunicatorOptions extends DockerCliOptions {
  /** The running container to talk to. */
  readonly containerId: string;
  /** `exec_user`: who commands run as (`docker exec -u`); undefined is the container's user. */
  readonly execUser?: string;
  /** `pty`: allocate a terminal for commands (`docker exec -t`). */
  readonly pty?: boolean;
  /**
   * `fix_upload_owner` (Packer's default: true): after an upload, `chown -R` the
   * destination to `containerUser`, since `docker cp` creates files as root (so
   * nothing runs when that user is root).
   */
  readonly fixUploadOwner?: boolean;
  /** The container's configured user (`Config.User`); undefined or `''` is root. */
  readonly containerUser?: string;
  /** Host folder for staging copies (the builder's temp dir); default the OS temp folder. */
  readonly hostDir?: string;
  /** The command prefix; default `['/bin/sh', '-c']` (Windows containers use `['powershell']`). */
  readonly entryPoint?: readonly string[];
}

const DISCONNECTED = /Error response from daemon: (Container \S+ is not running|No such container)/;

export class DockerCommunicator implements Communicator {
  readonly type = 'docker';
  readonly #cli: DockerCli;
  readonly #opts: DockerCommunicatorOptions;
  /** The engine's socket, when the CLI would add nothing (sdk/docker/engine-api.ts): commands run there. */
  readonly #api: EngineApi | undefined;
  /** Docker exec sessions of one communicator run one at a time, as in Packer. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: DockerCommunicatorOptions) {
    this.#cli = dockerCli(options);
    this.#opts = options;
    this.#api = engineApi(this.#cli);
  }

  run(cmd: RemoteCommand, signal?: AbortSignal): Promise<CommandResult> {
    const next = this.#queue.then(() => this.#exec(cmd, signal));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #exec(cmd: RemoteCommand, signal: AbortSignal | undefined): Promise<CommandResult> {
    const execId = randomUUID();
    const args = ['exec', '-i'];
    if (this.#opts.pty === true) args.push('-t');
    if (this.#opts.execUser !== undefined && this.#opts.execUser !== '') args.push('-u', this.#opts.execUser);
    args.push('-e', `KILN_EXEC_ID=${execId}`, this.#opts.containerId);
    args.push(...(this.#opts.entryPoint ?? ['/bin/sh', '-c']), `(${cmd.command})`);
    try {
      if (this.#api !== undefined) return await this.#execThroughApi(this.#api, execId, cmd, signal);
      const run = await runDocker(this.#cli, args, {
        ...(cmd.stdin ? { stdin: cmd.stdin } : {}),
        ...(cmd.onStdout ? { onStdout: cmd.onStdout } : {}),
        ...(cmd.onStderr ? { onStderr: cmd.onStderr } : {}),
        signal,
      });
      if (run.exitCode === null) return { kind: 'disconnected', reason: 'the docker client was killed' };
      const match = run.exitCode !== 0 ? DISCONNECTED.exec(run.stderr) : null;
      if (match) return { kind: 'disconnected', reason: match[0] };
      return { kind: 'exited', exitStatus: run.exitCode };
    } catch (err) {
      if (signal?.aborted) await this.#killExec(execId);
      throw err;
    }
  }

  /** The same exec on the engine's socket (sdk/docker/engine-exec.ts): no client process. */
  async #execThroughApi(api: EngineApi, execId: string, cmd: RemoteCommand, signal: AbortSignal | undefined): Promise<CommandResult> {
    const r = await engineExec(
      api,
      {
        containerId: this.#opts.containerId,
        cmd: [...(this.#opts.entryPoint ?? ['/bin/sh', '-c']), `(${cmd.command})`],
        env: [`KILN_EXEC_ID=${execId}`],
        ...(this.#opts.execUser !== undefined ? { user: this.#opts.execUser } : {}),
        tty: this.#opts.pty === true,
        ...(cmd.stdin ? { stdin: cmd.stdin } : {}),
        ...(cmd.onStdout ? { onStdout: cmd.onStdout } : {}),
        ...(cmd.onStderr ? { onStderr: cmd.onStderr } : {}),
      },
      signal,
    );
    if (r.kind === 'error') return { kind: 'disconnected', reason: r.message };
    return r.value.kind === 'gone' ? { kind: 'disconnected', reason: r.value.reason } : { kind: 'exited', exitStatus: r.value.code };
  }

  /** Kills, inside the container, every process of the aborted exec (they inherit its marker). */
  async #killExec(execId: string): Promise<void> {
    const script =
      'for d in /proc/[0-9]*; do ' +
      `if tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qx 'KILN_EXEC_ID=${execId}'; then kill -9 "\${d#/proc/}" 2>/dev/null; fi; ` +
      'done; true';
    // Best effort: the container may lack tr/grep, or be gone already.
    await runDocker(this.#cli, ['exec', '-u', 'root', this.#opts.containerId, '/bin/sh', '-c', script]).catch(() => undefined);
  }

  async upload(dst: string, source: Readable | Buffer, info?: UploadInfo, signal?: AbortSignal): Promise<void> {
    await this.#withStaging(async (stage) => {
      // Named after the destination, so `docker cp` creates or replaces exactly `dst`.
      const file = path.join(stage, path.posix.basename(dst) || 'upload');
      if (Buffer.isBuffer(source)) await writeFile(file, source);
      else await pipeline(source, createWriteStream(file), { signal });
      await chmod(file, info?.mode ?? 0o644);
      // What `docker cp` would do, on the engine's socket when the case is a plain one.
      if (this.#api !== undefined && (await engineUploadFile(this.#api, this.#opts.containerId, file, dst, signal))) return;
      await this.#cp([file, `${this.#opts.containerId}:${dst}`], `upload to '${dst}'`, signal);
    });
    await this.#fixOwner(dst, signal);
  }

  async uploadDir(dst: string, src: string, exclude: readonly string[] = [], signal?: AbortSignal): Promise<void> {
    const contentsOnly = src.endsWith('/');
    await this.#withStaging(async (stage) => {
      let from = src;
      if (exclude.length > 0) {
        from = path.join(stage, path.basename(path.resolve(src)));
        await cp(src, from, { recursive: true, filter: excludeFilter(src, exclude) });
      }
      // `docker cp dir/. dst` copies the contents; `docker cp dir dst` the folder itself.
      const dockerSource = contentsOnly ? contentsOf(from) : from;
      await this.#cp([dockerSource, `${this.#opts.containerId}:${dst}`], `upload to '${dst}'`, signal);
    });
    await this.#fixOwner(dst, signal);
  }

  async download(src: string, sink: Writable, signal?: AbortSignal): Promise<void> {
    await this.#withStaging(async (stage) => {
      const file = path.join(stage, 'download');
      await this.#cp(['-L', `${this.#opts.containerId}:${src}`, file], `download '${src}'`, signal);
      if ((await stat(file)).isDirectory()) throw new Error(`Failed to download '${src}' from container: it is a directory`);
      await copyInto(createReadStream(file), sink, signal);
    });
  }

  async downloadDir(src: string, dst: string, exclude: readonly string[] = [], signal?: AbortSignal): Promise<void> {
    const from = `${this.#opts.containerId}:${src.endsWith('/') ? contentsOf(src) : src}`;
    if (exclude.length === 0) {
      await this.#cp([from, dst], `download '${src}'`, signal);
      return;
    }
    await this.#withStaging(async (stage) => {
      const staged = path.join(stage, 'tree');
      await this.#cp([`${this.#opts.containerId}:${contentsOf(src)}`, staged], `download '${src}'`, signal);
      const target = src.endsWith('/') || !(await exists(dst)) ? dst : path.join(dst, path.posix.basename(trimSlash(src)));
      await cp(staged, target, { recursive: true, filter: excludeFilter(staged, exclude) });
    });
  }

  async close(): Promise<void> {
    // Nothing is held between commands: every call is its own docker client.
  }

  async #cp(args: string[], what: string, signal: AbortSignal | undefined): Promise<void> {
    const run = await runDocker(this.#cli, ['cp', ...args], { signal });
    const err = failure(run, `Failed to ${what} in container ${this.#opts.containerId}`);
    if (err) throw new Error(err.message);
  }

  /** Packer's workaround for docker cp creating files as root (hashicorp/packer#5307). */
  async #fixOwner(dst: string, signal: AbortSignal | undefined): Promise<void> {
    if (this.#opts.fixUploadOwner === false) return;
    const owner = this.#opts.containerUser !== undefined && this.#opts.containerUser !== '' ? this.#opts.containerUser : 'root';
    // docker cp already creates files as root: a chown to root would change nothing.
    if (/^(root|0)(:(root|0))?$/.test(owner)) return;
    const run = await runDocker(
      this.#cli,
      ['exec', '--user', 'root', this.#opts.containerId, '/bin/sh', '-c', `chown -R ${shellQuote(owner)} ${shellQuote(dst)}`],
      { signal },
    );
    const err = failure(run, `Failed to set the owner of the uploaded '${dst}'`);
    if (err) throw new Error(err.message);
  }

  async #withStaging<T>(f: (dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(path.join(this.#opts.hostDir ?? os.tmpdir(), 'kiln-docker-'));
    try {
      return await f(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Creates the communicator for a running container, reading its configured user for
 * `fix_upload_owner` (Packer's StepConnectDocker). `containerUser` in `options`, when
 * given, skips the inspect.
 */
export async function connectDockerCommunicator(options: DockerCommunicatorOptions): Promise<DockerResult<DockerCommunicator>> {
  if (options.containerUser !== undefined) return { kind: 'ok', value: new DockerCommunicator(options) };
  const cli = dockerCli(options);
  const run = await runDocker(cli, ['inspect', '--format', '{{.Config.User}}', options.containerId]);
  const err = failure(run, `Failed to inspect the container ${options.containerId}`);
  if (err) return err;
  return { kind: 'ok', value: new DockerCommunicator({ ...options, containerUser: run.stdout.trim() }) };
}

/** `dir/.`: how `docker cp` names a folder's contents. */
function contentsOf(dir: string): string {
  return `${trimSlash(dir).replace(/\/$/, '')}/.`;
}

function trimSlash(p: string): string {
  const t = p.replace(/\/+$/, '');
  return t === '' ? '/' : t;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
