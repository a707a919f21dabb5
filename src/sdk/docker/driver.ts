/**
 * The docker builder's and post-processors' view of Docker: one method per `docker`
 * CLI command Packer's docker plugin runs (`builder/docker/driver_docker.go`). Every
 * method resolves to a `DockerResult`; a failing command becomes an error value with
 * the client's stderr. Only a client that cannot be spawned, or an abort, rejects.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { containerRunArgs, type ContainerConfig } from './run-args.js';
import { containerCreateRequest } from './create-request.js';
import { engineApi, type EngineApi, type ImageInspect } from './engine-api.js';
import {
  dockerCli,
  dockerOutput,
  failure,
  ok,
  runDocker,
  type DockerCli,
  type DockerCliOptions,
  type DockerResult,
} from './docker-cli.js';

export interface DockerDriverOptions extends DockerCliOptions {
  /**
   * Receives each line of progress the client prints for pull, push, login and logout
   * (Packer streams these to the UI). Undefined discards them.
   */
  readonly output?: (line: string) => void;
}

export interface CommitOptions {
  /** Dockerfile instructions applied to the image (`--change`), e.g. `ENV A=b`, `CMD ["/app"]`. */
  readonly changes?: readonly string[];
  readonly author?: string;
  readonly message?: string;
  /**
   * false: do not pause the container while committing. Only when nothing but an idle
   * PID 1 runs in it (`processCount`), so nothing can write during the commit; a pause
   * costs ~40 ms a commit. Default true, as `docker commit`.
   */
  readonly pause?: boolean;
}

export interface ImportOptions {
  readonly changes?: readonly string[];
  /** The `repository[:tag]` the imported image gets; undefined leaves it untagged. */
  readonly repository?: string;
  readonly platform?: string;
  readonly message?: string;
}

export interface LoginOptions {
  /** The registry, e.g. `127.0.0.1:5000`; undefined is Docker Hub. */
  readonly server?: string;
  readonly username?: string;
  /** Sent on standard input (`--password-stdin`), never on the command line. */
  readonly password?: string;
}

/** What the builder reads about its base image, from one `docker image inspect`. */
export interface ImageInfo {
  /** The image ID, `sha256:...`. */
  readonly id: string;
  /** `repo@sha256:...` digests from pushes and pulls; empty for an image only built or imported here. */
  readonly repoDigests: readonly string[];
  /** The configured user (`Config.User`); `''` is root. */
  readonly user: string;
  /** `Config.Cmd` and `Config.Entrypoint`; undefined when unset. */
  readonly cmd: readonly string[] | undefined;
  readonly entrypoint: readonly string[] | undefined;
  /** The root filesystem's layer diff IDs (`RootFS.Layers`): the content, whatever the image ID. */
  readonly diffIds: readonly string[];
  /** `os/architecture[/variant]`, e.g. `linux/amd64`. */
  readonly platform: string;
  /** The image's whole `Config` object as the engine reports it. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Client and server versions; `server` is undefined when no engine answered. */
export interface DockerVersion {
  readonly client: string;
  readonly server: string | undefined;
}

/** How long an aborted `docker run` may go on finishing before it is killed. */
export const ABORT_GRACE_MS = 15_000;

/**
 * Runs `f` with a signal that aborts `ABORT_GRACE_MS` after `signal` does: a container
 * start the engine took is let finish, so the caller can remove it by id or name,
 * instead of the engine finishing one nobody knows of.
 */
async function withGrace<T>(signal: AbortSignal | undefined, f: (grace: AbortSignal) => Promise<T>): Promise<T> {
  const grace = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    timer = setTimeout(() => grace.abort(signal?.reason), ABORT_GRACE_MS);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await f(grace.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export class DockerDriver {
  readonly cli: DockerCli;
  readonly #output: ((line: string) => void) | undefined;
  /** The engine's socket when the CLI adds nothing (see engine-api.ts); null: use the CLI. */
  #api: EngineApi | null | undefined;

  constructor(options: DockerDriverOptions = {}) {
    this.cli = dockerCli(options);
    this.#output = options.output;
  }

  /** The engine API client, when calls may bypass the CLI. */
  get api(): EngineApi | undefined {
    if (this.#api === undefined) this.#api = engineApi(this.cli) ?? null;
    return this.#api ?? undefined;
  }

  /** `docker version`: the client's version, and the server's when one answers. */
  async version(signal?: AbortSignal): Promise<DockerResult<DockerVersion>> {
    const run = await runDocker(this.cli, ['version', '--format', '{{.Client.Version}}\n{{.Server.Version}}'], { signal });
    const [client = '', server = ''] = run.stdout.split('\n').map((s) => s.trim());
    if (client === '') return failure(run, 'Error reading the Docker version') ?? ok({ client, server: undefined });
    return ok({ client, server: run.exitCode === 0 && server !== '' ? server : undefined });
  }

  /** `docker pull image [--platform p]`, streaming progress to `output`. */
  pull(image: string, platform?: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    const args = ['pull', image];
    if (platform !== undefined && platform !== '') args.push('--platform', platform);
    return this.#streamed(args, `Error pulling Docker image ${image}`, signal);
  }

  /**
   * `docker run ...` with Packer's argument order; resolves with the new container's ID.
   * Straight on the engine's socket (create + start) when the engine API may be used and
   * the settings say nothing the request cannot (`containerCreateRequest`); the same
   * container either way. Unlike Packer, a container that was created but failed to
   * start is removed (through the CLI, `docker run` gets a `--cidfile` so its ID is
   * known even when it fails). The client runs in its own process group and an abort
   * lets the start finish for up to `ABORT_GRACE_MS` (a `-d` run returns within a
   * second): the caller then removes the container by id or by its `name`, instead of
   * the engine finishing one nobody knows of.
   */
  async startContainer(config: ContainerConfig, signal?: AbortSignal): Promise<DockerResult<string>> {
    return withGrace(signal, async (grace) => {
      const request = this.api?.containersNeedCli === false ? containerCreateRequest(config) : undefined;
      const viaApi = request !== undefined ? await this.#startThroughApi(request.name, request.body, grace) : undefined;
      return viaApi ?? this.#startThroughCli(config, grace);
    });
  }

  /** `docker run` through the CLI, with a cidfile to find a container that failed to start. */
  async #startThroughCli(config: ContainerConfig, signal: AbortSignal): Promise<DockerResult<string>> {
    // In the build's recorded temp folder when given (a killed run leaves nothing unrecorded).
    const dir = await mkdtemp(path.join(config.scratchDir ?? os.tmpdir(), 'kiln-docker-run-'));
    const cidfile = path.join(dir, 'cid');
    try {
      const [run, ...rest] = containerRunArgs(config);
      const result = await dockerOutput(this.cli, [run ?? 'run', '--cidfile', cidfile, ...rest], 'Error starting the container', { signal, detached: true });
      if (result.kind === 'error') {
        const id = (await readFile(cidfile, 'utf8').catch(() => '')).trim();
        if (id !== '') await this.removeContainer(id, true);
      }
      return result;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Create and start on the engine's socket (`containerCreateRequest`); a container
   * that fails to start is removed. Undefined when the engine lacks the image: the CLI
   * then pulls it, as `docker run` does.
   */
  async #startThroughApi(name: string | undefined, body: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<DockerResult<string> | undefined> {
    const api = this.api;
    if (api === undefined) return undefined;
    const created = await api.createContainer(name, body, signal);
    if (created.kind === 'error') return { ...created, message: `Error starting the container: Error response from daemon: ${created.stderr}` };
    const id = created.value;
    if (id === undefined) return undefined;
    const started = await api.startContainer(id, signal);
    if (started.kind === 'ok') return ok(id);
    await api.discard(id);
    return { ...started, message: `Error starting the container: Error response from daemon: ${started.stderr}` };
  }

  /** `docker stop id`: SIGTERM, then SIGKILL after Docker's grace period. */
  async stopContainer(id: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    return this.#plain(['stop', id], `Error stopping container ${id}`, signal);
  }

  /** `docker kill id` then `docker rm id`, as Packer's KillContainer. Removes even if the kill failed (already stopped). */
  async killContainer(id: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    await this.#plain(['kill', id], `Error killing container ${id}`, signal);
    return this.removeContainer(id, false, signal);
  }

  /**
   * Ends a container started with `autoRemove`: `docker kill`, after which the engine
   * removes it; when the kill fails (the container had stopped) `docker rm -f` makes
   * sure. A container that is already gone counts as removed. Engine API calls where
   * possible (two CLI runs cost ~0.1 s).
   */
  async discardContainer(id: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    const api = this.api;
    if (api !== undefined) return api.discard(id, signal);
    const killed = await this.#plain(['kill', id], `Error killing container ${id}`, signal);
    if (killed.kind === 'ok') return killed;
    const removed = await this.removeContainer(id, true, signal);
    // Gone, or the engine's --rm removal of the stopped container is under way.
    return removed.kind === 'error' && /No such container|removal of container .* is already in progress/i.test(removed.stderr) ? ok(undefined) : removed;
  }

  /** `docker rm [-f] id`. */
  removeContainer(id: string, force = false, signal?: AbortSignal): Promise<DockerResult<void>> {
    return this.#plain(force ? ['rm', '-f', id] : ['rm', id], `Error removing container ${id}`, signal);
  }

  /** `docker commit` (an engine API call where possible); resolves with the new image's ID (`sha256:...`). */
  commit(id: string, options: CommitOptions = {}, signal?: AbortSignal): Promise<DockerResult<string>> {
    const api = this.api;
    if (api !== undefined) {
      return api.commit(
        id,
        {
          ...(options.changes ? { changes: options.changes } : {}),
          ...(options.author !== undefined ? { author: options.author } : {}),
          ...(options.message !== undefined ? { comment: options.message } : {}),
          ...(options.pause === false ? { pause: false } : {}),
        },
        signal,
      );
    }
    const args = options.pause === false ? ['commit', '--pause=false'] : ['commit'];
    if (options.author !== undefined && options.author !== '') args.push('--author', options.author);
    for (const change of options.changes ?? []) args.push('--change', change);
    if (options.message !== undefined && options.message !== '') args.push('--message', options.message);
    args.push(id);
    return dockerOutput(this.cli, args, `Error committing container ${id}`, { signal });
  }

  /** `docker export id` into `sink` (a tar of the container's filesystem); `sink` is left open. */
  async exportContainer(id: string, sink: Writable, signal?: AbortSignal): Promise<DockerResult<void>> {
    const run = await runDocker(this.cli, ['export', id], { stdout: sink, signal });
    return failure(run, `Error exporting container ${id}`) ?? ok(undefined);
  }

  /** `docker save image` into `sink` (a `docker load` tar); `sink` is left open. */
  async saveImage(image: string, sink: Writable, signal?: AbortSignal): Promise<DockerResult<void>> {
    const run = await runDocker(this.cli, ['save', image], { stdout: sink, signal });
    return failure(run, `Error saving image ${image}`) ?? ok(undefined);
  }

  /** `docker import file`: a filesystem tar becomes an image; resolves with its ID. */
  importImage(tarPath: string, options: ImportOptions = {}, signal?: AbortSignal): Promise<DockerResult<string>> {
    const args = ['import'];
    for (const change of options.changes ?? []) args.push('--change', change);
    if (options.message !== undefined && options.message !== '') args.push('--message', options.message);
    if (options.platform !== undefined && options.platform !== '') args.push('--platform', options.platform);
    args.push(tarPath);
    if (options.repository !== undefined && options.repository !== '') args.push(options.repository);
    return dockerOutput(this.cli, args, `Error importing ${tarPath}`, { signal });
  }

  /**
   * `docker tag image repository[:tag]`. Packer's `force` is not passed: Docker removed
   * `tag -f` in 1.12 and retagging replaces the old tag anyway.
   */
  tagImage(image: string, repository: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    return this.#plain(['tag', image, repository], `Error tagging image ${image} as ${repository}`, signal);
  }

  /** `docker rmi image`. */
  deleteImage(image: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    return this.#plain(['rmi', image], `Error deleting image ${image}`, signal);
  }

  /** `docker push name [--platform p]`, streaming progress to `output`. */
  push(name: string, platform?: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    const args = ['push', name];
    if (platform !== undefined && platform !== '') args.push('--platform', platform);
    return this.#streamed(args, `Error pushing ${name}`, signal);
  }

  /**
   * `docker login`. Stores the credentials in the client configuration: give the
   * driver a private `configDir` so they stay with this build, and call `logout`.
   */
  login(options: LoginOptions, signal?: AbortSignal): Promise<DockerResult<void>> {
    const args = ['login'];
    if (options.username !== undefined && options.username !== '') args.push('-u', options.username);
    if (options.password !== undefined && options.password !== '') args.push('--password-stdin');
    if (options.server !== undefined && options.server !== '') args.push(options.server);
    const where = options.server ?? 'Docker Hub';
    return this.#streamed(args, `Error logging in to ${where}`, signal, options.password);
  }

  /** `docker logout [server]`. */
  logout(server?: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    const args = server !== undefined && server !== '' ? ['logout', server] : ['logout'];
    return this.#streamed(args, `Error logging out of ${server ?? 'Docker Hub'}`, signal);
  }

  /** The image's ID (`sha256:...`), as Packer's `Sha256`. */
  imageSha256(image: string, signal?: AbortSignal): Promise<DockerResult<string>> {
    return this.inspect(image, '{{.Id}}', signal);
  }

  /** One `docker image inspect` of `image` (an engine API call where possible): its ID, digests, user, command, entrypoint and content. */
  async imageInfo(image: string, signal?: AbortSignal): Promise<DockerResult<ImageInfo>> {
    if (this.api !== undefined) {
      const found = await this.findImage(image, signal);
      if (found.kind === 'error' || found.value !== undefined) return found as DockerResult<ImageInfo>;
      const stderr = `Error: No such image: ${image}`;
      return { kind: 'error', message: `Error inspecting image ${image}: ${stderr}`, args: ['image', 'inspect', image], exitCode: 1, stderr };
    }
    const r = await dockerOutput(this.cli, ['image', 'inspect', '--format', '{{json .}}', image], `Error inspecting image ${image}`, { signal });
    if (r.kind === 'error') return r;
    try {
      return ok(parseImageInfo(JSON.parse(r.value) as unknown));
    } catch (err) {
      return { kind: 'error', message: `Error inspecting image ${image}: ${(err as Error).message}`, args: ['image', 'inspect', image], exitCode: 0, stderr: '' };
    }
  }

  /** Looks `image` up (an engine API call where possible); `undefined` when the engine does not have it. */
  async findImage(image: string, signal?: AbortSignal): Promise<DockerResult<ImageInfo | undefined>> {
    const api = this.api;
    if (api !== undefined) {
      const r = await api.inspectImage(image, signal);
      if (r.kind === 'error') return r;
      return ok(r.value === undefined ? undefined : parseImageInfo(r.value));
    }
    const r = await this.imageInfo(image, signal);
    if (r.kind === 'error' && /no such image/i.test(r.stderr)) return ok(undefined);
    return r;
  }

  /**
   * Commits the container straight to `repository:tag` (paused unless `pause` is false,
   * see `CommitOptions.pause`); resolves with the new image's ID. Nothing is added to
   * the image's configuration.
   */
  async commitTo(id: string, repository: string, tag: string, signal?: AbortSignal, pause = true): Promise<DockerResult<string>> {
    const api = this.api;
    if (api !== undefined) return api.commit(id, { repo: repository, tag, pause }, signal);
    return dockerOutput(this.cli, ['commit', ...(pause ? [] : ['--pause=false']), id, `${repository}:${tag}`], `Error committing container ${id}`, { signal });
  }

  /** How many processes run in the container (`docker top`); 1 means only its PID 1. */
  async processCount(id: string, signal?: AbortSignal): Promise<DockerResult<number>> {
    const api = this.api;
    if (api !== undefined) return api.processes(id, signal);
    const r = await dockerOutput(this.cli, ['top', id], `Error listing the processes of ${id}`, { signal });
    if (r.kind === 'error') return r;
    return ok(Math.max(0, r.value.split('\n').filter((l) => l.trim() !== '').length - 1));
  }

  /** `docker create` with the arguments of `startContainer` (its `-d` dropped by the engine's create): resolves with the ID. */
  createContainer(config: ContainerConfig, signal?: AbortSignal): Promise<DockerResult<string>> {
    const [, ...rest] = containerRunArgs(config);
    return dockerOutput(this.cli, ['create', ...rest.filter((a) => a !== '-d' && a !== '--detach' && a !== '--rm')], 'Error creating the container', { signal });
  }

  /** The image's first repo digest (`repo@sha256:...`); an error when it was never pushed or pulled. */
  imageDigest(image: string, signal?: AbortSignal): Promise<DockerResult<string>> {
    return this.inspect(image, '{{index .RepoDigests 0}}', signal);
  }

  /** The user a container runs as (`Config.User`); `''` means the image's default, root. */
  containerUser(id: string, signal?: AbortSignal): Promise<DockerResult<string>> {
    return this.inspect(id, '{{.Config.User}}', signal);
  }

  /** The container's IP address on the default bridge; `''` when it has none. */
  ipAddress(id: string, signal?: AbortSignal): Promise<DockerResult<string>> {
    return this.inspect(id, '{{.NetworkSettings.IPAddress}}', signal);
  }

  /** `docker inspect --format format target`, trimmed. */
  inspect(target: string, format: string, signal?: AbortSignal): Promise<DockerResult<string>> {
    return dockerOutput(this.cli, ['inspect', '--format', format, target], `Error inspecting ${target}`, { signal });
  }

  async #plain(args: string[], what: string, signal: AbortSignal | undefined): Promise<DockerResult<void>> {
    const run = await runDocker(this.cli, args, { signal });
    return failure(run, what) ?? ok(undefined);
  }

  async #streamed(args: string[], what: string, signal: AbortSignal | undefined, stdin?: string): Promise<DockerResult<void>> {
    const emit = this.#output;
    // One splitter per stream, so a partial stdout line never joins a stderr one.
    const out = emit ? lineSplitter(emit) : undefined;
    const err = emit ? lineSplitter(emit) : undefined;
    const run = await runDocker(this.cli, args, {
      signal,
      ...(stdin !== undefined ? { stdin } : {}),
      ...(out && err ? { onStdout: out.push, onStderr: err.push } : {}),
    });
    out?.flush();
    err?.flush();
    return failure(run, what) ?? ok(undefined);
  }
}

function parseImageInfo(raw: unknown): ImageInfo {
  const o = (raw ?? {}) as Partial<Record<keyof ImageInspect, unknown>> & { Config?: { User?: unknown; Cmd?: unknown; Entrypoint?: unknown } | null };
  if (typeof o.Id !== 'string') throw new Error('docker image inspect gave no image ID');
  const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  const config = o.Config ?? {};
  return {
    id: o.Id,
    repoDigests: strings(o.RepoDigests) ?? [],
    user: typeof config.User === 'string' ? config.User : '',
    cmd: strings(config.Cmd),
    entrypoint: strings(config.Entrypoint),
    diffIds: strings((o.RootFS as { Layers?: unknown } | null | undefined)?.Layers) ?? [],
    platform: [o.Os, o.Architecture, o.Variant].filter((x): x is string => typeof x === 'string' && x !== '').join('/'),
    config: { ...config },
  };
}

/** Cuts a byte stream into lines (progress output uses `\n`; `\r` redraws are split too). */
function lineSplitter(emit: (line: string) => void): { push: (chunk: Buffer) => void; flush: () => void } {
  let rest = '';
  return {
    push: (chunk) => {
      const parts = (rest + chunk.toString('utf8')).split(/\r?\n|\r/);
      rest = parts.pop() ?? '';
      for (const line of parts) if (line.trim() !== '') emit(line);
    },
    flush: () => {
      if (rest.trim() !== '') emit(rest);
      rest = '';
    },
  };
}
