/**
 * A running QEMU: started with a private QMP socket, stopped with QMP `quit` (then
 * SIGKILL), and killed when kiln itself exits so no VM outlives a build — unless the
 * build may keep it (`-on-error=abort`, `ask`, `run-cleanup-provisioner`, as Packer
 * leaves its VM running then): such a VM is started to survive kiln (`StartOptions.keepable`),
 * and the run's ledger record is what finds it again (`kiln gc` when it was not kept).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { killedWithParent } from '../../../sdk/ledger/parent-death.js';
import { qmpCall } from './qmp.js';

const live = new Set<ChildProcess>();
let exitHook = false;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How `QemuVm.start` runs QEMU. */
export interface StartOptions {
  /**
   * The build may keep the VM: it must outlive kiln. QEMU then runs in its own session
   * (a Ctrl-C in the terminal reaches kiln only, whose cleanup stops it when it is not
   * kept), without the parent-death signal, not killed at kiln's exit, and its stderr
   * goes to this file instead of a pipe that would close with kiln.
   */
  readonly keepable?: { readonly stderrFile: string };
}

export class QemuVm {
  private gone = false;
  private stderrText = '';
  readonly exited: Promise<Exit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly qmpSocket: string,
    readonly argv: readonly string[],
    private readonly stderrFile?: string,
  ) {
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
  static async start(binary: string, argv: readonly string[], qmpSocket: string, signal: AbortSignal, options: StartOptions = {}): Promise<QemuVm> {
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const c of live) c.kill('SIGKILL');
      });
    }
    const keepable = options.keepable;
    let vm: QemuVm;
    if (keepable === undefined) {
      // Dies with kiln even when kiln is killed hard (the ledger and `kiln gc` are the fallback).
      const run = killedWithParent(binary, argv);
      const child = spawn(run.command, run.args, { stdio: ['ignore', 'ignore', 'pipe'] });
      live.add(child);
      vm = new QemuVm(child, qmpSocket, [binary, ...argv]);
    } else {
      const fd = openSync(keepable.stderrFile, 'a', 0o600);
      try {
        const child = spawn(binary, argv, { stdio: ['ignore', 'ignore', fd], detached: true });
        vm = new QemuVm(child, qmpSocket, [binary, ...argv], keepable.stderrFile);
      } finally {
        closeSync(fd);
      }
    }
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

  /**
   * The build kept the VM (its cleanup was skipped): kiln no longer waits for it to exit.
   * Only a keepable VM outlives kiln; any other is still killed at kiln's exit.
   */
  release(): void {
    if (this.stderrFile !== undefined) this.child.unref();
  }

  get running(): boolean {
    return !this.gone;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  stderr(): string {
    if (this.stderrFile === undefined) return this.stderrText;
    try {
      return this.stderrText + readFileSync(this.stderrFile, 'utf8');
    } catch {
      return this.stderrText;
    }
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
