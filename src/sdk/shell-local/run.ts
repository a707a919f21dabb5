/**
 * Runs shell-local's scripts on the Packer host (sdk `shell-local/run.go`): the inline
 * commands become a temporary script; each script runs through `execute_command`
 * (executed directly, not through a shell of ours), its output shown line by line,
 * its exit status checked against `valid_exit_codes`.
 */
import { chmod, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedData, PackerConfig } from '../component.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { Ui } from '../ui.js';
import type { ShellLocalSettings } from './config.js';
import { goos } from './config.js';
import { collectEnvVars, flattenEnvVars } from './env-vars.js';
import { checkExitCode } from './exit-codes.js';
import { uiOutput } from './output-lines.js';
import { spawnLocal } from './spawn-local.js';
import { createTempFile } from './temp-file.js';
import { renderTemplate, templateContext } from './template-context.js';

export interface ShellLocalContext {
  readonly ui: Ui;
  readonly signal: AbortSignal;
  readonly packer: PackerConfig;
  /** The build's generated data (a post-processor: the artifact's `generated_data`). */
  readonly generatedData: GeneratedData;
  /** Host system override for tests; default this one. */
  readonly platform?: NodeJS.Platform;
  /** The run's ledger: each script's processes are recorded while they run (`kiln gc` ends them after a crash). */
  readonly ledger?: Ledger;
}

/** Runs every script; resolves with the first failure, in Packer's words. */
export async function runShellLocal(s: ShellLocalSettings, ctx: ShellLocalContext): Promise<Result<void>> {
  if (s.onlyOn.length > 0 && !s.onlyOn.includes(goos(ctx.platform))) {
    ctx.ui.say('Skipping shell-local due to runtime OS');
    return ok(undefined);
  }
  const tctx = templateContext(ctx.packer, ctx.generatedData);
  let inlineFile: string | undefined;
  try {
    const scripts = [...s.scripts];
    if (scripts.length === 0 && s.inline !== undefined) {
      const made = await inlineScript(s, tctx);
      if (made.kind === 'error') return made;
      inlineFile = made.value;
      scripts.push(inlineFile);
    }
    const vars: string[] = [];
    for (const v of s.vars) {
      const r = renderTemplate(v, tctx, 'Error interpolating environment_vars');
      if (r.kind === 'error') return r;
      vars.push(r.value);
    }
    const flattened = flattenEnvVars(collectEnvVars({ packer: ctx.packer, generatedData: ctx.generatedData, vars, env: s.env }), s.envVarFormat);
    for (const script of scripts) {
      const res = await runOne(s, ctx, script, flattened);
      if (res.kind === 'error') return res;
    }
    return ok(undefined);
  } finally {
    if (inlineFile) await rm(inlineFile, { force: true });
  }
}

async function inlineScript(s: ShellLocalSettings, tctx: ReturnType<typeof templateContext>): Promise<Result<string>> {
  let text = s.inlineShebang !== '' ? `#!${s.inlineShebang}\n` : '';
  for (const command of s.inline ?? []) {
    const r = renderTemplate(command, tctx, 'Error interpolating Inline');
    if (r.kind === 'error') return r;
    text += `${r.value}\n`;
  }
  let file: string;
  try {
    file = await createTempFile('packer-shell', text, 0o700);
    await chmod(file, 0o700);
    if (s.tempfileExtension !== '') {
      const renamed = `${file}.${s.tempfileExtension}`;
      await rename(file, renamed);
      file = renamed;
    }
  } catch (err) {
    return fail(`Error preparing shell script: ${(err as Error).message}`);
  }
  return ok(file);
}

async function runOne(s: ShellLocalSettings, ctx: ShellLocalContext, script: string, vars: string): Promise<Result<void>> {
  const abs = path.resolve(script);
  const tctx = templateContext(ctx.packer, ctx.generatedData, { Vars: vars, Script: abs, Command: abs });
  const argv: string[] = [];
  for (const part of s.executeCommand) {
    const r = renderTemplate(part, tctx, 'Error processing command');
    if (r.kind === 'error') return r;
    argv.push(r.value);
  }
  ctx.ui.say(`Running local shell script: ${script}`);
  const out = uiOutput(ctx.ui);
  let status: number;
  try {
    status = await spawnLocal({ argv, onStdout: out.onStdout, onStderr: out.onStderr, ...(ctx.ledger ? { ledger: ctx.ledger } : {}) }, ctx.signal);
  } catch {
    return fail(`Error executing script: ${abs}\n\nPlease see output above for more information.`);
  } finally {
    out.end();
  }
  const bad = checkExitCode(status, s.validExitCodes);
  return bad ? fail(bad) : ok(undefined);
}
