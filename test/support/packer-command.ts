/**
 * Running `bin/kiln` as a user does, and the way Packer's command tests run `packer`
 * (`command/*_test.go`, rows of the shared conformance index): in Packer's `command/`
 * folder, where the tests' fixture paths are relative. Only the `*.conformance.test.ts`
 * files call `commandDir()` and `commandCases()` (they read ../shared). `bin/kiln` runs
 * the compiled `dist/`: run `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, sharedPath } from './shared.js';

/** Packer's `command/` folder in the shared conformance data; throws when the data is missing. */
export function commandDir(): string {
  return sharedPath('conformance', 'packer-templates', 'command');
}

/** One row of the index's `command` table; `F` is what a suite reads of its fields. */
export interface CommandCase<F = Record<string, unknown>> {
  readonly id: string;
  readonly fields: F;
  readonly source: { readonly test: string };
}

/** Every row of the index's `command` table (Packer's command tests, all of them). */
export function commandCases<F = Record<string, unknown>>(): CommandCase<F>[] {
  return (JSON.parse(readFileSync(sharedPath('conformance', 'packer-templates', 'index.json'), 'utf8')) as { command: CommandCase<F>[] }).command;
}

export interface KilnRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `bin/kiln args` to its end in `cwd` with `input` on standard input, PACKER_LOG
 * cleared and `env` added to this process's environment.
 */
export function runKiln(args: readonly string[], opts: { cwd: string; input?: string; env?: Record<string, string> }): KilnRun {
  const r = spawnSync(path.join(REPO_ROOT, 'bin', 'kiln'), args, {
    cwd: opts.cwd,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    encoding: 'utf8',
    env: { ...process.env, PACKER_LOG: '', ...opts.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
