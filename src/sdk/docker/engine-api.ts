/**
 * A few Docker Engine API calls made straight on the engine's unix socket, for the step
 * cache's hot path: an image lookup costs ~0.5 ms this way against ~10 ms (and a
 * process) through the `docker` CLI, and a no-op rebuild is a handful of lookups.
 *
 * Only used where the CLI would reach the same engine with nothing of the user's
 * client configuration in between: the default `docker` executable, and `DOCKER_HOST`
 * `unix://`, or unset with no context chosen (`DOCKER_CONTEXT`, or `currentContext`
 * in the client's `config.json`) but `default`. Otherwise `engineApi` answers
 * undefined and callers use the CLI. Every call resolves to a
 * `DockerResult`; only an abort rejects.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { DockerCli, DockerResult } from './docker-cli.js';
import { ok } from './docker-cli.js';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** A reply: status and parsed JSON body (undefined when empty or not JSON). */
interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** A request body streamed from `stream` (`length` bytes of `type`). */
interface StreamBody {
  readonly stream: Readable;
  readonly type: string;
  readonly length: number;
}

/** The parts of `GET /images/{name}/json` the cache reads. */
export interface ImageInspect {
  readonly Id: string;
  readonly RepoDigests?: readonly string[] | null;
  readonly Os?: string;
  readonly Architecture?: string;
  readonly Variant?: string;
  readonly Config?: Readonly<Record<string, unknown>> | null;
  readonly RootFS?: { readonly Type?: string; readonly Layers?: readonly string[] | null } | null;
  readonly Size?: number;
}

/** `statPath`'s answer: the name, Go `os.FileMode` bits and symlink target. */
export interface PathStat {
  readonly name: string;
  readonly mode: number;
  readonly linkTarget: string;
}

export interface EngineCommitOptions {
  /** `repo:tag` the new image gets (the tag is part of the commit: no second call). */
  readonly repo?: string;
  readonly tag?: string;
  readonly changes?: readonly string[];
  readonly author?: string;
  readonly comment?: string;
  /** Pause the container while committing (the engine's and the CLI's default). */
  readonly pause?: boolean;
}

export class EngineApi {
  /**
   * `containersNeedCli`: the client configuration has `proxies`, which the CLI adds to
   * a container's environment: containers are then created through the CLI.
   */
  constructor(
    readonly socketPath: string,
    readonly containersNeedCli = false,
  ) {}

  /** `GET /images/{name}/json`; `undefined` value when the engine has no such image. */
  async inspectImage(name: string, signal?: AbortSignal): Promise<DockerResult<ImageInspect | undefined>> {
    const r = await this.#call('GET', `/images/${encodeURIComponent(name)}/json`, signal);
    if (r.kind === 'error') return r;
    if (r.value.status === 404) return ok(undefined);
    return this.#expect(r.value, 200, `inspecting image ${name}`, (b) => b as ImageInspect);
  }

  /** `GET /containers/{id}/top`: the PIDs running in the container (as the host sees them). */
  async processes(id: string, signal?: AbortSignal): Promise<DockerResult<number>> {
    const r = await this.#call('GET', `/containers/${encodeURIComponent(id)}/top`, signal);
    if (r.kind === 'error') return r;
    return this.#expect(r.value, 200, `listing the processes of container ${id}`, (b) => {
      const rows = (b as { Processes?: unknown[] | null }).Processes;
      return Array.isArray(rows) ? rows.length : 0;
    });
  }

  /** `POST /commit`: resolves with the new image's ID. */
  async commit(id: string, options: EngineCommitOptions, signal?: AbortSignal): Promise<DockerResult<string>> {
    const q = new URLSearchParams({ container: id, pause: options.pause === false ? 'false' : 'true' });
    if (options.repo !== undefined) q.set('repo', options.repo);
    if (options.tag !== undefined) q.set('tag', options.tag);
    if (options.author !== undefined && options.author !== '') q.set('author', options.author);
    if (options.comment !== undefined && options.comment !== '') q.set('comment', options.comment);
    for (const c of options.changes ?? []) q.append('changes', c);
    const r = await this.#call('POST', `/commit?${q.toString()}`, signal, '{}');
    if (r.kind === 'error') return r;
    return this.#expect(r.value, 201, `committing container ${id}`, (b) => String((b as { Id?: unknown }).Id ?? ''));
  }

  /**
   * `POST /containers/create?name=`: resolves with the new container's ID, or undefined
   * when the engine lacks the image (404: `docker run` would pull it; the caller does).
   */
  async createContainer(name: string | undefined, body: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<DockerResult<string | undefined>> {
    const q = name !== undefined ? `?${new URLSearchParams({ name }).toString()}` : '';
    const r = await this.#call('POST', `/containers/create${q}`, signal, JSON.stringify(body));
    if (r.kind === 'error') return r;
    if (r.value.status === 404 && /no such image/i.test(r.value.text)) return ok(undefined);
    return this.#expect(r.value, 201, 'creating the container', (b) => String((b as { Id?: unknown }).Id ?? ''));
  }

  /** `POST /containers/{id}/start` (a container already running counts as started). */
  async startContainer(id: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    const r = await this.#call('POST', `/containers/${encodeURIComponent(id)}/start`, signal);
    if (r.kind === 'error') return r;
    if (r.value.status === 304) return ok(undefined);
    return this.#expect(r.value, 204, `starting container ${id}`, () => undefined);
  }

  /**
   * `POST /containers/{id}/exec`: the exec's ID, or `gone` when the container is not
   * there or not running (404, 409), as `docker exec` reports it.
   */
  async execCreate(container: string, body: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<DockerResult<{ readonly kind: 'created'; readonly id: string } | { readonly kind: 'gone'; readonly reason: string }>> {
    const r = await this.#call('POST', `/containers/${encodeURIComponent(container)}/exec`, signal, JSON.stringify(body));
    if (r.kind === 'error') return r;
    if (r.value.status === 404 || r.value.status === 409) {
      const message = (r.value.body as { message?: unknown } | undefined)?.message;
      return ok({ kind: 'gone', reason: `Error response from daemon: ${typeof message === 'string' ? message : r.value.text.trim()}` });
    }
    return this.#expect(r.value, 201, `creating an exec in container ${container}`, (b) => ({ kind: 'created' as const, id: String((b as { Id?: unknown }).Id ?? '') }));
  }

  /** `GET /exec/{id}/json`: whether it runs and its exit code; undefined when the exec is gone (with its container). */
  async execInspect(id: string, signal?: AbortSignal): Promise<DockerResult<{ readonly running: boolean; readonly exitCode: number | null } | undefined>> {
    const r = await this.#call('GET', `/exec/${encodeURIComponent(id)}/json`, signal);
    if (r.kind === 'error') return r;
    if (r.value.status === 404) return ok(undefined);
    return this.#expect(r.value, 200, `inspecting exec ${id}`, (b) => {
      const o = b as { Running?: unknown; ExitCode?: unknown };
      return { running: o.Running === true, exitCode: typeof o.ExitCode === 'number' ? o.ExitCode : null };
    });
  }

  /**
   * `HEAD /containers/{id}/archive?path=`: what is at `path` in the container (Go's
   * `os.FileMode` bits in `mode`); undefined when nothing is there.
   */
  async statPath(container: string, path: string, signal?: AbortSignal): Promise<DockerResult<PathStat | undefined>> {
    const r = await this.#call('HEAD', `/containers/${encodeURIComponent(container)}/archive?${new URLSearchParams({ path }).toString()}`, signal);
    if (r.kind === 'error') return r;
    if (r.value.status === 404) return ok(undefined);
    const header = r.value.headers['x-docker-container-path-stat'];
    if (r.value.status !== 200 || typeof header !== 'string') return this.#expect(r.value, 200, `reading ${path} in container ${container}`, () => undefined);
    try {
      const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { name?: unknown; mode?: unknown; linkTarget?: unknown };
      return ok({ name: String(stat.name ?? ''), mode: typeof stat.mode === 'number' ? stat.mode : 0, linkTarget: String(stat.linkTarget ?? '') });
    } catch {
      return { kind: 'error', message: `Error reading ${path} in container ${container}: the engine's answer did not parse`, args: [], exitCode: null, stderr: header };
    }
  }

  /**
   * `PUT /containers/{id}/archive?path=dir`: extracts a tar (`length` bytes) into `dir`,
   * never replacing a folder by a file or the reverse (as `docker cp` asks).
   */
  async putArchive(container: string, dir: string, tar: Readable, length: number, signal?: AbortSignal): Promise<DockerResult<void>> {
    const q = new URLSearchParams({ path: dir, noOverwriteDirNonDir: 'true' });
    const r = await this.#call('PUT', `/containers/${encodeURIComponent(container)}/archive?${q.toString()}`, signal, { stream: tar, type: 'application/x-tar', length });
    if (r.kind === 'error') return r;
    return this.#expect(r.value, 200, `copying into ${dir} in container ${container}`, () => undefined);
  }

  /** `POST /images/{name}/tag`. */
  async tag(image: string, repo: string, tag: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    const q = new URLSearchParams({ repo, tag });
    const r = await this.#call('POST', `/images/${encodeURIComponent(image)}/tag?${q.toString()}`, signal);
    if (r.kind === 'error') return r;
    return this.#expect(r.value, 201, `tagging image ${image} as ${repo}:${tag}`, () => undefined);
  }

  /**
   * Ends a container for good: `POST /containers/{id}/kill`, then, when it was not
   * running (a created container, one already stopped), `DELETE ?force=true`. A
   * container that is gone, or whose removal the engine already started, counts as removed.
   */
  async discard(id: string, signal?: AbortSignal): Promise<DockerResult<void>> {
    const killed = await this.#call('POST', `/containers/${encodeURIComponent(id)}/kill`, signal);
    if (killed.kind === 'error') return killed;
    if (killed.value.status === 204 || killed.value.status === 404) return ok(undefined);
    const removed = await this.#call('DELETE', `/containers/${encodeURIComponent(id)}?force=true`, signal);
    if (removed.kind === 'error') return removed;
    if (removed.value.status === 204 || removed.value.status === 404) return ok(undefined);
    if (/removal of container .* is already in progress/i.test(removed.value.text)) return ok(undefined);
    return this.#expect(removed.value, 204, `removing container ${id}`, () => undefined);
  }

  #expect<T>(reply: Reply, status: number, what: string, read: (body: unknown) => T): DockerResult<T> {
    if (reply.status === status) return ok(read(reply.body));
    const message = (reply.body as { message?: unknown } | undefined)?.message;
    const said = typeof message === 'string' ? message : reply.text.trim();
    return { kind: 'error', message: `Error ${what}: engine answered ${reply.status}${said !== '' ? `: ${said}` : ''}`, args: [], exitCode: null, stderr: said };
  }

  #call(method: string, url: string, signal: AbortSignal | undefined, body?: string | StreamBody): Promise<DockerResult<Reply>> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> =
        body === undefined
          ? {}
          : typeof body === 'string'
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
            : { 'content-type': body.type, 'content-length': String(body.length) };
      // node:http is loaded on the first engine call, not by validate.
      const req = process.getBuiltinModule('node:http').request({ socketPath: this.socketPath, method, path: url, headers, ...(signal ? { signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => resolve(transportError(this.socketPath, e)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
          } catch {
            parsed = undefined;
          }
          resolve(ok({ status: res.statusCode ?? 0, body: parsed, text, headers: res.headers }));
        });
      });
      req.on('error', (e) => {
        if (signal?.aborted) reject(signal.reason);
        else resolve(transportError(this.socketPath, e));
      });
      if (body === undefined || typeof body === 'string') req.end(body);
      else body.stream.on('error', (e) => req.destroy(e)).pipe(req);
    });
  }
}

function transportError(socket: string, e: Error): DockerResult<never> {
  return { kind: 'error', message: `Cannot reach the Docker engine at unix://${socket}: ${e.message}`, args: [], exitCode: null, stderr: e.message };
}

/**
 * The engine's socket for `cli`, when calling it directly reaches what the CLI would;
 * undefined when the CLI must be used (another executable, a TCP or SSH host, a context).
 */
export function engineApi(cli: DockerCli): EngineApi | undefined {
  if (cli.executable !== 'docker') return undefined;
  const host = cli.env['DOCKER_HOST'];
  if (host !== undefined && host !== '' && !host.startsWith('unix://')) return undefined;
  const client = clientConfig(cli);
  // DOCKER_HOST wins over any context (as in the CLI); else DOCKER_CONTEXT, else config.json's.
  const context = cli.env['DOCKER_CONTEXT'] ?? client.currentContext;
  if ((host === undefined || host === '') && context !== undefined && context !== '' && context !== 'default') return undefined;
  return new EngineApi(host !== undefined && host !== '' ? host.slice('unix://'.length) : DEFAULT_SOCKET, client.proxies);
}

/** What the CLI's configuration file (`$DOCKER_CONFIG/config.json`, default `~/.docker`) says that matters here. */
function clientConfig(cli: DockerCli): { readonly currentContext: string | undefined; readonly proxies: boolean } {
  const dir = cli.env['DOCKER_CONFIG'] ?? path.join(cli.env['HOME'] ?? os.homedir(), '.docker');
  let parsed: { currentContext?: unknown; proxies?: unknown };
  try {
    parsed = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as typeof parsed;
  } catch {
    // No file (the usual case) or one the CLI would also reject: nothing it adds.
    return { currentContext: undefined, proxies: false };
  }
  const currentContext = typeof parsed.currentContext === 'string' ? parsed.currentContext : undefined;
  const proxies = parsed.proxies !== null && typeof parsed.proxies === 'object' && Object.keys(parsed.proxies).length > 0;
  return { currentContext, proxies };
}
