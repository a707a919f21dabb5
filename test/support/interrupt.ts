/** Ctrl-C of a `kiln build` child once its provisioner is running, as the interruption tests do it. */
import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Interrupted {
  readonly code: number | null;
  /** What the child printed on stdout (and stderr with `stderr: true`). */
  readonly out: string;
}

/**
 * Waits up to `timeoutMs` (default 20 s) for `marker`, a file the build's provisioner
 * creates once it runs, fails the test when it never appears, then sends SIGINT to
 * `child` and resolves once it closed. Call it right after `spawn`, so no output is missed.
 */
export async function interruptOnceStarted(child: ChildProcessWithoutNullStreams, marker: string, opts: { timeoutMs?: number; stderr?: boolean } = {}): Promise<Interrupted> {
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  if (opts.stderr === true) child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(marker), `the provisioner never started:\n${out}`);
  child.kill('SIGINT');
  return { code: await closed, out };
}
