/**
 * Runs the `docker` CLI, the way Packer's docker plugin drives Docker: through the
 * client binary, so `DOCKER_HOST`, contexts, `~/.docker/config.json` and credential
 * helpers behave as the user expects. Failures of the command are values
 * (`DockerResult`); only a failure to spawn the client or an abort rejects.
 */
import type { Readable, Writable } from 'node:stream';

/** Where and how to run the client. */
export interface DockerCliOptions {
  /** The client binary; default `docker` (found on PATH). Packer's `executable`. */
  readonly executable?: string;
  /** Sets `DOCKER_HOST` for every command (e.g. `unix:///tmp/d/docker.sock`); undefined keeps the environment's. */
  readonly host?: string;
  /**
   * A private client configuration folder (`DOCKER_CONFIG`), so `login` credentials
   * of one build neither leak into `~/.docker` nor race another build's. Undefined
   * uses the user's configuration. Caveat: the folder also replaces the user's
   * contexts, so pass `host` when the engine is not the default one.
   */
  readonly configDir?: string;
  /** Extra environment variables for the client. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The resolved client: binary and full environment. */
export interface DockerCli {
  readonly executable: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Resolves options against the current process environment. */
export function dockerCli(options: DockerCliOptions = {}): DockerCli {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.host !== undefined) env['DOCKER_HOST'] = options.host;
  if (options.configDir !== undefined) env['DOCKER_CONFIG'] = options.configDir;
  return { executable: options.executable ?? 'docker', env };
}

/** A command's failure, with what the client said on standard error. */
export interface DockerError {
  readonly kind: 'error';
  /** One line for the user: what failed, and the client's last stderr line. */
  readonly message: string;
  /** The arguments after the executable (passwords never appear: they go on stdin). */
  readonly args: readonly string[];
  /** The client's exit status; null when it died of a signal. */
  readonly exitCode: number | null;
  /** Everything the client wrote on standard error. */
  readonly stderr: string;
}

/** A command's outcome: a value or the error the client reported. */
export type DockerResult<T> = { readonly kind: 'ok'; readonly value: T } | DockerError;

export function ok<T>(value: T): DockerResult<T> {
  return { kind: 'ok', value };
}

export interface RunDockerOptions {
  /** Written to the client's standard input, which is then closed. Absent: stdin is closed at once. */
  readonly stdin?: Readable | Buffer | string;
  /** Receives standard output instead of it being collected (left open at the end). */
  readonly stdout?: Writable;
  /** Each chunk of output as it arrives (pull/push progress, exec output). */
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** Kills the client (SIGKILL) and rejects with the abort reason. */
  readonly signal?: AbortSignal;
  /**
   * Runs the client in its own process group, so a Ctrl-C at the terminal does not
   * interrupt it halfway (`docker run` interrupted after the engine took the request
   * leaves a container nobody saw); only `signal` stops it.
   */
  readonly detached?: boolean;
}

/** How the client process ended. */
export interface DockerRun {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  /** Collected standard output; empty when `stdout` was given. */
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `executable ...args` and resolves when it exits, whatever its status.
 * Rejects when the client cannot be spawned or `signal` aborts.
 */
export function runDocker(cli: DockerCli, args: readonly string[], options: RunDockerOptions = {}): Promise<DockerRun> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<DockerRun>((resolve, reject) => {
    // node:child_process is loaded when a docker command runs, not by validate.
    const child = process.getBuiltinModule('node:child_process').spawn(cli.executable, args, { env: cli.env, stdio: ['pipe', 'pipe', 'pipe'], ...(options.detached === true ? { detached: true } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const onAbort = (): void => {
      child.kill('SIGKILL');
      finish(() => reject(abortReason(signal)));
    };
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (e) => finish(() => reject(new Error(`cannot run ${cli.executable}: ${e.message}`))));

    child.stdout.on('data', (chunk: Buffer) => {
      options.onStdout?.(chunk);
      if (options.stdout) {
        // Backpressure: a slow sink (a file being written) pauses the client.
        if (!options.stdout.write(chunk)) {
          child.stdout.pause();
          options.stdout.once('drain', () => child.stdout.resume());
        }
      } else {
        out.push(chunk);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      options.onStderr?.(chunk);
      err.push(chunk);
    });
    feedStdin(child.stdin, options.stdin);

    child.once('close', (code) => {
      const done = (): void =>
        finish(() =>
          resolve({ args, exitCode: code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
        );
      // Resolve only once the sink has taken every byte we wrote to it.
      if (options.stdout && options.stdout.writableNeedDrain) options.stdout.once('drain', done);
      else done();
    });
  });
}

function feedStdin(stdin: Writable, input: Readable | Buffer | string | undefined): void {
  // EPIPE when the client exits before reading all input is not our failure to report.
  stdin.on('error', () => {});
  if (input === undefined) stdin.end();
  else if (typeof input === 'string' || Buffer.isBuffer(input)) stdin.end(input);
  else input.pipe(stdin);
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** Turns a finished run into an error value with the client's stderr; undefined when it succeeded. */
export function failure(run: DockerRun, what: string): DockerError | undefined {
  if (run.exitCode === 0) return undefined;
  const stderr = run.stderr.trim();
  const last = telltaleLine(stderr);
  const status = run.exitCode === null ? 'was killed' : `exited with status ${run.exitCode}`;
  return {
    kind: 'error',
    message: `${what}: docker ${status}${last !== '' ? `: ${last}` : ''}`,
    args: run.args,
    exitCode: run.exitCode,
    stderr,
  };
}

/** The stderr line that says what went wrong: the last one naming an error, else the last one. */
function telltaleLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.findLast((l) => /error|denied|unauthorized|not found|no such/i.test(l)) ?? lines.at(-1) ?? '';
}

/** Runs a command whose trimmed standard output is its value (an ID, a digest). */
export async function dockerOutput(
  cli: DockerCli,
  args: readonly string[],
  what: string,
  options: RunDockerOptions = {},
): Promise<DockerResult<string>> {
  const run = await runDocker(cli, args, options);
  return failure(run, what) ?? ok(run.stdout.trim());
}
