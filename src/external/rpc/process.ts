/**
 * One plugin process, as Packer core runs it: spawned with the magic cookie and port
 * range, its handshake line read from stdout (then stdout is drained), stderr logged
 * line by line as `<name> plugin: <line>`, connected over yamux with the broker's main
 * stream (id 0) as an RPC client. Every process started here ends when kiln exits,
 * on every path (a synchronous kill at process exit; SIGKILL from the kernel when kiln
 * itself is killed, where setpriv is installed), and its socket file is removed. With a
 * ledger, the process is recorded before it is spawned (its command, a unique
 * environment entry, then its pid and socket) so `kiln gc` can end it after a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { MuxBroker } from './broker.js';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, parseHandshake, type Handshake } from './handshake.js';
import { RpcClient } from './net-rpc.js';
import { YamuxSession } from './yamux.js';
import type { Ledger, LedgerHandle } from '../../sdk/ledger/ledger.js';
import { killedWithParent } from '../../sdk/ledger/parent-death.js';
import { LEDGER_MARK_VAR, newLedgerMark } from '../../sdk/ledger/process-identity.js';


export interface StartOptions {
  /** Executable and arguments (`[bin, 'start', 'builder', '--protobuf', 'ebs']`, `[packer-builder-x]`). */
  readonly command: string;
  readonly args: readonly string[];
  /** Names the plugin in logs and diagnostics. */
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  /** Receives each stderr line, already prefixed with `<name> plugin: `. */
  readonly log?: (line: string) => void;
  /** Packer waits one minute for the handshake. */
  readonly startTimeoutMs?: number;
  /** Where the process is recorded (the run's ledger); unrecorded without one. */
  readonly ledger?: Ledger;
}

const live = new Set<PluginProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killNow();
  });
}

/** A started, connected plugin process. */
export class PluginProcess {
  readonly session: YamuxSession;
  readonly broker: MuxBroker;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitWaiters: (() => void)[] = [];
  private mainClient: RpcClient | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly handshake: Handshake,
    socket: Socket,
    private readonly record: LedgerHandle | undefined,
  ) {
    this.session = new YamuxSession(socket, 'client');
    this.broker = new MuxBroker(this.session);
    child.once('exit', (code, signal) => {
      this.exitInfo = { code, signal };
      this.cleanupSocket();
      this.record?.done();
      live.delete(this);
      this.session.close();
      for (const w of this.exitWaiters.splice(0)) w();
    });
  }

  /** Spawns and connects; rejects with a message naming the plugin when it cannot start. */
  static async start(opts: StartOptions): Promise<PluginProcess> {
    installExitHook();
    const mark = newLedgerMark();
    const record = opts.ledger?.intent({ kind: 'process', match: opts.command, env: mark.entry, name: `plugin ${opts.name}` });
    const wrapped = killedWithParent(opts.command, opts.args, opts.env);
    const child = spawn(wrapped.command, wrapped.args, {
      env: {
        ...opts.env,
        [LEDGER_MARK_VAR]: mark.value,
        [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
        PACKER_PLUGIN_MIN_PORT: opts.env['PACKER_PLUGIN_MIN_PORT'] ?? '10000',
        PACKER_PLUGIN_MAX_PORT: opts.env['PACKER_PLUGIN_MAX_PORT'] ?? '25000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) record?.identify(String(child.pid));
    else record?.done(); // never started
    /** Kills a plugin that failed to start; its record is done once it exited. */
    const killFailed = (): void => {
      child.once('exit', () => record?.done());
      child.kill('SIGKILL');
      if (child.exitCode !== null || child.signalCode !== null) record?.done();
    };
    const log = opts.log;
    const stderrLines = createInterface({ input: child.stderr! });
    const recentStderr: string[] = [];
    stderrLines.on('line', (line) => {
      recentStderr.push(line);
      if (recentStderr.length > 20) recentStderr.shift();
      log?.(`${opts.name} plugin: ${line}`);
    });
    let handshake: Handshake;
    try {
      handshake = await readHandshake(child, opts.startTimeoutMs ?? 60_000);
    } catch (e) {
      killFailed();
      const detail = recentStderr.length > 0 ? `\n${recentStderr.join('\n')}` : '';
      throw new Error(`${opts.name}: ${(e as Error).message}${detail}`, { cause: e });
    }
    if (handshake.network === 'unix' && child.pid !== undefined) record?.identify(String(child.pid), { socket: handshake.address });
    let socket: Socket;
    try {
      socket = await dial(handshake);
    } catch (e) {
      killFailed();
      throw new Error(`${opts.name}: cannot connect to the plugin at ${handshake.address}: ${(e as Error).message}`, { cause: e });
    }
    const p = new PluginProcess(opts.name, child, handshake, socket, record);
    live.add(p);
    return p;
  }

  /** The RPC client of the main stream (broker id 0), dialled on first use. */
  async main(): Promise<RpcClient> {
    if (!this.mainClient) this.mainClient = new RpcClient(await this.broker.dial(0), `${this.name} plugin`);
    return this.mainClient;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** How the process ended, e.g. `exit status 2` or `signal SIGKILL`. */
  get exitDescription(): string | undefined {
    const e = this.exitInfo;
    if (!e) return undefined;
    return e.signal ? `signal ${e.signal}` : `exit status ${e.code}`;
  }

  /** Resolves when the process has exited. */
  waitExit(): Promise<void> {
    if (this.exitInfo) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /**
   * Ends the plugin: closing the main stream makes a Go plugin exit at once; a plugin that
   * is still there after `graceMs` is killed.
   */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exitInfo) return;
    this.mainClient?.close();
    this.broker.close();
    this.session.close();
    const timer = setTimeout(() => this.killNow(), graceMs);
    timer.unref();
    await this.waitExit();
    clearTimeout(timer);
  }

  /** Kills the process now (synchronous; safe in an exit handler). */
  killNow(): void {
    if (!this.exitInfo) this.child.kill('SIGKILL');
    this.cleanupSocket();
  }

  private cleanupSocket(): void {
    if (this.handshake.network !== 'unix') return;
    try {
      unlinkSync(this.handshake.address);
    } catch {
      // Already gone: the plugin removed it.
    }
  }
}

function readHandshake(child: ChildProcess, timeoutMs: number): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let done = false;
    const finish = (err: Error | undefined, h?: Handshake): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      if (err) reject(err);
      else resolve(h!);
    };
    const onData = (chunk: Buffer): void => {
      if (done) return;
      buffered += chunk.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      const h = parseHandshake(buffered.slice(0, nl));
      if (h instanceof Error) finish(h);
      else finish(undefined, h);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`plugin exited before we could connect (${signal ? `signal ${signal}` : `exit status ${code}`})`));
    const onError = (err: Error): void => finish(new Error(`cannot start the plugin: ${err.message}`));
    const timer = setTimeout(() => finish(new Error('timeout while waiting for plugin to start')), timeoutMs);
    // stdout keeps being drained after the handshake, as Packer does.
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function dial(h: Handshake): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = h.network === 'unix' ? connect({ path: h.address }) : connectTcp(h.address);
    sock.once('connect', () => {
      sock.off('error', reject);
      if (h.network === 'tcp') sock.setKeepAlive(true);
      sock.setNoDelay?.(true);
      resolve(sock);
    });
    sock.once('error', reject);
  });
}

function connectTcp(address: string): Socket {
  const colon = address.lastIndexOf(':');
  return connect({ host: address.slice(0, colon), port: Number(address.slice(colon + 1)) });
}
