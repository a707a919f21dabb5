/**
 * Drives `bin/kiln build -debug` as a user at a pipe would: each time the build
 * prints Packer's pause prompt, checks that nothing more is printed while the prompt
 * is unanswered, then writes one "\n" to the build's standard input.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './shared.js';

export interface DebugPause {
  readonly location: 'after run of' | 'before cleanup of';
  readonly step: string;
  /** Output written after the prompt while it was unanswered (should be none). */
  readonly printedWhilePaused: string;
}

export interface DebugBuild {
  readonly code: number | null;
  readonly out: string;
  readonly pauses: readonly DebugPause[];
}

const PROMPT = /Pausing (after run of|before cleanup of) step '([^']+)'\. Press enter to continue\.\n/g;

/** How long an unanswered prompt is watched for output that should not come. */
const WATCH_MS = 300;

/**
 * Runs `kiln build -debug <args>` in `cwd`; resolves when the build exits (killed
 * after `timeoutMs`). With `closeStdin` the input ends at once: every prompt finds no
 * answer to wait for. Output goes through one buffer (stdout then stderr as they come).
 */
export function debugBuild(args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number; closeStdin?: boolean }): Promise<DebugBuild> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'bin', 'kiln'), ['build', '-debug', ...args], {
      cwd: opts.cwd,
      env: { ...process.env, PACKER_NO_COLOR: '1', PACKER_LOG: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let scanned = 0;
    const pauses: DebugPause[] = [];
    let answering = Promise.resolve();
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      PROMPT.lastIndex = scanned;
      for (let m = PROMPT.exec(out); m; m = PROMPT.exec(out)) {
        const end = m.index + m[0].length;
        scanned = end;
        const location = m[1] as DebugPause['location'];
        const step = m[2] ?? '';
        answering = answering.then(async () => {
          await new Promise((r) => setTimeout(r, WATCH_MS));
          pauses.push({ location, step, printedWhilePaused: out.slice(end) });
          child.stdin.write('\n');
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.stdin.on('error', () => undefined);
    if (opts.closeStdin) child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      void answering.then(() => resolve({ code, out, pauses }));
    });
  });
}

/** The steps paused after, in order. */
export function pausedAfter(build: DebugBuild): string[] {
  return build.pauses.filter((p) => p.location === 'after run of').map((p) => p.step);
}
