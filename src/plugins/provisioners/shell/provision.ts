/**
 * Runs the `shell` provisioner (Packer's `provisioner/shell` Provision): each script is
 * uploaded to `remote_path`, made executable and run with `execute_command`, upload and
 * start retried until `start_retry_timeout`; then its exit status is judged and the
 * uploaded file removed.
 */
import { randomInt } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { CommandResult, Communicator } from '../../../sdk/communicator.js';
import type { ProvisionContext } from '../../../sdk/component.js';
import { formatDuration } from '../../../sdk/duration.js';
import type { Result } from '../../../sdk/result.js';
import { fail, ok } from '../../../sdk/result.js';
import { checkExitCode, collectEnvVars, createTempFile, flattenEnvVars, renderTemplate, templateContext, uiOutput } from '../../../sdk/shell-local/index.js';
import type { ShellSettings } from './config.js';
import { retryUntil } from './retry.js';
import { toUnixLines } from './unix-lines.js';

export const DISCONNECTED_UNEXPECTEDLY =
  'Script disconnected unexpectedly. If you expected your script to disconnect, i.e. from a restart, ' +
  'you can try adding `"expect_disconnect": true` or `"valid_exit_codes": [0, 2300218]` to the shell provisioner parameters.';

export async function provisionShell(s: ShellSettings, ctx: ProvisionContext): Promise<Result<void>> {
  const temps: string[] = [];
  try {
    const scripts = [...s.scripts];
    if (s.inline) {
      const made = await inlineScript(s, ctx);
      if (made.kind === 'error') return made;
      temps.push(made.value);
      scripts.push(made.value);
    }
    const vars = collectEnvVars({ packer: ctx.packer, generatedData: ctx.generatedData, vars: s.vars, env: s.env });
    const flattened = flattenEnvVars(vars, s.envVarFormat);
    let envVarFile = '';
    if (s.useEnvVarFile) {
      const up = await uploadEnvVarFile(s, ctx, flattened, temps);
      if (up.kind === 'error') return up;
      envVarFile = up.value;
    }
    for (const script of scripts) {
      const res = await runScript(s, ctx, script, { Vars: flattened, EnvVarFile: envVarFile, Path: s.remotePath });
      if (res.kind === 'error') return res;
    }
    if (!s.skipClean && envVarFile !== '') {
      const err = await cleanupRemoteFile(s, ctx, envVarFile);
      if (err) return fail(err);
    }
    if (s.pauseAfterMs > 0) {
      ctx.ui.say(`Pausing ${formatDuration(s.pauseAfterMs)} after this provisioner...`);
      try {
        await delay(s.pauseAfterMs, undefined, { signal: ctx.signal });
      } catch {
        return fail('context canceled');
      }
    }
    return ok(undefined);
  } finally {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
  }
}

async function inlineScript(s: ShellSettings, ctx: ProvisionContext): Promise<Result<string>> {
  const tctx = templateContext(ctx.packer, ctx.generatedData);
  let body = '';
  for (const command of s.inline ?? []) {
    const r = renderTemplate(command, tctx, 'Error interpolating Inline');
    if (r.kind === 'error') return r;
    body += `${r.value}\n`;
  }
  // Packer 1.13: the default shebang only when the commands bring none of their own.
  const text = s.inlineShebangDefined || !body.startsWith('#!') ? `#!${s.inlineShebang}\n${body}` : body;
  try {
    return ok(await createTempFile('packer-shell', text));
  } catch (err) {
    return fail(`Error preparing shell script: ${(err as Error).message}`);
  }
}

async function uploadEnvVarFile(s: ShellSettings, ctx: ProvisionContext, content: string, temps: string[]): Promise<Result<string>> {
  try {
    temps.push(await createTempFile('packer-shell-vars', content));
  } catch (err) {
    return fail(`Error preparing shell script: ${(err as Error).message}`);
  }
  const data = s.binary ? Buffer.from(content) : toUnixLines(Buffer.from(content));
  let remote = '';
  const err = await retryUntil(s.startRetryTimeoutMs, ctx.signal, async () => {
    remote = `${s.remoteFolder}/varfile_${randomInt(9999)}.sh`;
    try {
      await ctx.communicator.upload(remote, data, { size: data.length }, ctx.signal);
    } catch (e) {
      throw new Error(`Error uploading envVarFile: ${(e as Error).message}`, { cause: e });
    }
    try {
      await ctx.communicator.run({ command: `chmod 0600 ${remote}` }, ctx.signal);
    } catch (e) {
      throw new Error(`Error chmodding script file to 0600 in remote machine: ${(e as Error).message}`, { cause: e });
    }
  });
  return err ? fail(err) : ok(remote);
}

async function runScript(s: ShellSettings, ctx: ProvisionContext, script: string, extra: Record<string, string>): Promise<Result<void>> {
  const comm = ctx.communicator;
  ctx.ui.say(`Provisioning with shell script: ${script}`);
  let content: Buffer;
  try {
    content = await readFile(script);
  } catch (err) {
    return fail(`Error opening shell script: ${(err as Error).message}`);
  }
  const command = renderTemplate(s.executeCommand, templateContext(ctx.packer, ctx.generatedData, extra), 'Error processing command');
  if (command.kind === 'error') return command;
  const data = s.binary ? content : toUnixLines(content);
  let result: CommandResult | undefined;
  // Upload, chmod and start as one retried unit: a reboot between them must not leave
  // a command pointing at a script that is gone.
  const err = await retryUntil(s.startRetryTimeoutMs, ctx.signal, async () => {
    try {
      await comm.upload(s.remotePath, data, { size: data.length }, ctx.signal);
    } catch (e) {
      throw new Error(`Error uploading script: ${(e as Error).message}`, { cause: e });
    }
    try {
      await comm.run({ command: `chmod 0755 ${s.remotePath}` }, ctx.signal);
    } catch (e) {
      throw new Error(`Error chmodding script file to 0755 in remote machine: ${(e as Error).message}`, { cause: e });
    }
    result = await runWithUi(comm, command.value, ctx);
  });
  if (err) return fail(err);
  if (!result) return fail('script did not run');
  if (result.kind === 'disconnected') {
    if (!s.expectDisconnect) return fail(DISCONNECTED_UNEXPECTEDLY);
  } else {
    const bad = checkExitCode(result.exitStatus, s.validExitCodes);
    if (bad) return fail(bad);
  }
  if (s.skipClean) return ok(undefined);
  const cleanErr = await cleanupRemoteFile(s, ctx, s.remotePath);
  return cleanErr ? fail(cleanErr) : ok(undefined);
}

/** Runs `command` with its output shown line by line (Packer's `RunWithUi`). */
async function runWithUi(comm: Communicator, command: string, ctx: ProvisionContext): Promise<CommandResult> {
  const out = uiOutput(ctx.ui);
  try {
    return await comm.run({ command, onStdout: out.onStdout, onStderr: out.onStderr }, ctx.signal);
  } finally {
    out.end();
  }
}

/** Removes an uploaded file, retrying while the machine may still be rebooting. */
async function cleanupRemoteFile(s: ShellSettings, ctx: ProvisionContext, remote: string): Promise<Error | undefined> {
  return retryUntil(s.startRetryTimeoutMs, ctx.signal, async () => {
    let res: CommandResult;
    try {
      res = await ctx.communicator.run({ command: `rm -f ${remote}` }, ctx.signal);
    } catch (e) {
      throw new Error(`Error removing temporary script at ${remote}: ${(e as Error).message}`, { cause: e });
    }
    if (res.kind === 'disconnected') throw new Error('Disconnect while removing temporary script.');
    if (res.exitStatus !== 0) throw new Error(`Error removing temporary script at ${remote}!`);
  });
}
