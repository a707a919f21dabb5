/**
 * `docker exec -i` straight on the engine's socket, for the docker communicator: create
 * the exec, start it on a hijacked connection (HTTP `Upgrade: tcp`) that carries stdin
 * up and the multiplexed stdout/stderr frames down, then read its exit code. ~50 ms a
 * command against ~80 ms through the CLI, which spawns a client process each time (a
 * shell provisioner runs three or four commands). The caller decides when the socket
 * may be used (`engineApi`).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { DockerResult } from './docker-cli.js';
import { ok } from './docker-cli.js';
import type { EngineApi } from './engine-api.js';

export interface EngineExecRequest {
  readonly containerId: string;
  /** The command and its arguments (no shell added). */
  readonly cmd: readonly string[];
  /** `NAME=value` entries added to the container's environment. */
  readonly env?: readonly string[];
  /** `-u`: user[:group] inside the container; undefined is the container's. */
  readonly user?: string;
  /** `-t`: a terminal; output then comes as one raw stream (stdout). */
  readonly tty?: boolean;
  /** Fed to the command's stdin, which is then closed; undefined closes it at once (as `-i` with no input). */
  readonly stdin?: Readable | Buffer | string;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
}

/** How the command ended: its exit status, or the container was not there to run it. */
export type EngineExecOutcome = { readonly kind: 'exited'; readonly code: number } | { readonly kind: 'gone'; readonly reason: string };

/**
 * Runs `req` in its container and resolves when it ends. An abort destroys the
 * connection and rejects (the process in the container may live on: the caller kills it).
 */
export async function engineExec(api: EngineApi, req: EngineExecRequest, signal?: AbortSignal): Promise<DockerResult<EngineExecOutcome>> {
  const created = await api.execCreate(
    req.containerId,
    {
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: req.tty === true,
      Cmd: req.cmd,
      ...(req.env !== undefined && req.env.length > 0 ? { Env: req.env } : {}),
      ...(req.user !== undefined && req.user !== '' ? { User: req.user } : {}),
    },
    signal,
  );
  if (created.kind === 'error') return created;
  if (created.value.kind === 'gone') return ok(created.value);
  const id = created.value.id;
  const refused = await attach(api.socketPath, id, req, signal);
  // The engine would not start it (the container stopped since the create): the command never ran.
  if (refused !== undefined) return ok({ kind: 'gone', reason: refused });
  // The engine ends the stream after it recorded the exit code; a few looks cover a slow one.
  for (let attempt = 0; ; attempt++) {
    const state = await api.execInspect(id, signal);
    if (state.kind === 'error') return state;
    if (state.value === undefined) return ok({ kind: 'gone', reason: `the container ${req.containerId} is gone` });
    if (!state.value.running && state.value.exitCode !== null) return ok({ kind: 'exited', code: state.value.exitCode });
    if (attempt >= 50) return ok({ kind: 'gone', reason: `the command in container ${req.containerId} ended without an exit code` });
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * `POST /exec/{id}/start` hijacked: stdin up, frames down, until the engine closes it.
 * Resolves with the engine's answer when it refused the start instead.
 */
function attach(socketPath: string, id: string, req: EngineExecRequest, signal: AbortSignal | undefined): Promise<string | undefined> {
  const body = JSON.stringify({ Detach: false, Tty: req.tty === true });
  return new Promise<string | undefined>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let socket: Socket | undefined;
    const onAbort = (): void => {
      socket?.destroy();
      httpReq.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (err?: Error, refused?: string): void => {
      signal?.removeEventListener('abort', onAbort);
      if (err !== undefined) reject(err);
      else resolve(refused);
    };
    const httpReq = http.request({
      socketPath,
      method: 'POST',
      path: `/exec/${encodeURIComponent(id)}/start`,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), connection: 'Upgrade', upgrade: 'tcp' },
    });
    httpReq.on('upgrade', (_res, s: Socket, head: Buffer) => {
      socket = s;
      const frames = req.tty === true ? raw(req) : demux(req);
      if (head.length > 0) frames(head);
      s.on('data', frames);
      // A reset or EPIPE (the command exited before reading all its input) is not the
      // outcome: the exit code read after the close is.
      s.on('error', () => undefined);
      s.on('close', () => done());
      feed(s, req.stdin);
    });
    httpReq.on('response', (res) => {
      // No upgrade: the engine refused the start (the body says why).
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8').trim();
        let message = text;
        try {
          message = String((JSON.parse(text) as { message?: unknown }).message ?? text);
        } catch {
          // Not JSON: the text as it came.
        }
        done(undefined, `Error response from daemon: ${message} (${res.statusCode ?? 0})`);
      });
    });
    httpReq.on('error', (e) => {
      if (!signal?.aborted) done(e);
    });
    httpReq.end(body);
  });
}

/** Writes stdin to the connection, then half-closes it: the engine closes the command's stdin. */
function feed(socket: Socket, input: Readable | Buffer | string | undefined): void {
  if (input === undefined) socket.end();
  else if (typeof input === 'string' || Buffer.isBuffer(input)) socket.end(input);
  else input.pipe(socket);
}

/** A terminal's output: one raw stream. */
function raw(req: EngineExecRequest): (chunk: Buffer) => void {
  return (chunk) => req.onStdout?.(chunk);
}

/** The engine's multiplexed stream: frames of an 8-byte header (stream, 0, 0, 0, size BE32) and the payload. */
function demux(req: EngineExecRequest): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      const payload = pending.subarray(8, 8 + size);
      if (pending[0] === 2) req.onStderr?.(payload);
      else req.onStdout?.(payload);
      pending = pending.subarray(8 + size);
    }
  };
}
