/**
 * A running QEMU: started with a private QMP socket, stopped with QMP `quit` (then
 * SIGKILL), and killed when kiln itself exits so no VM outlives a build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { killedWithParent } from '../../../sdk/ledger/parent-death.js';
import { qmpCall } from './qmp.js';

const live = new Set<ChildProcess>();
let exitHook = false;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class QemuVm {
  private gone = false;
  private stderrText = '';
  readonly exited: Promise<Exit>;

  private constructor(private readonly child: ChildProcess, readonly qmpSocket: string, readonly argv: readonly string[]) {
    child.stderr?.on('data', (c: Buffer) => {
      this.stderrText += c.toString('utf8');
    });
    this.exited = new Promise<Exit>((resolve) => {
      child.on('close', (code, signal) => {
        live.delete(child);
        this.gone = true;
        resolve({ code, signal });
      });
      child.on('error', (err) => {
        live.delete(child);
        this.gone = true;
        this.stderrText += String(err);
        resolve({ code: null, signal: null });
      });
    });
  }

  /**
   * Starts `binary argv` and waits until QMP answers. Rejects with QEMU's stderr when
   * it exits first.
   */
  static async start(binary: string, argv: readonly string[], qmpSocket: string, signal: AbortSignal): Promise<QemuVm> {
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const c of live) c.kill('SIGKILL');
      });
    }
    // Dies with kiln even when kiln is killed hard (the ledger and `kiln gc` are the fallback).
    const run = killedWithParent(binary, argv);
    const child = spawn(run.command, run.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(child);
    const vm = new QemuVm(child, qmpSocket, [binary, ...argv]);
    for (;;) {
      if (vm.gone) throw new Error(vm.stderr().trim() || 'qemu exited at start');
      if (signal.aborted) {
        await vm.stop();
        signal.throwIfAborted();
      }
      try {
        await qmpCall(qmpSocket, 'query-status');
        return vm;
      } catch {
        await sleep(20);
      }
    }
  }

  get running(): boolean {
    return !this.gone;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  stderr(): string {
    return this.stderrText;
  }

  qmp(command: string, args?: Record<string, unknown>): Promise<unknown> {
    return qmpCall(this.qmpSocket, command, args);
  }

  /** Resolves true when QEMU exits within `ms`. */
  async waitExit(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.gone) return true;
    const timeout = sleep(ms, false, { signal, ref: false }).catch(() => false);
    return Promise.race([this.exited.then(() => true), timeout]);
  }

  /** Ends QEMU now: QMP `quit`, then SIGKILL after 3 s. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.gone) return;
    await this.qmp('quit').catch(() => undefined);
    if (!(await this.waitExit(3000))) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
