import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtinCommunicator, packerConfig, prepareAndProvision, prepareErrors, provisionContext, recordingUi } from '../test-helpers.js';
import type { ShellConfig } from './config.js';
import shell from './index.js';
import { DISCONNECTED_UNEXPECTEDLY } from './provision.js';

let dir: string;
let remote: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-shell-'));
  remote = path.join(dir, 'remote');
  await mkdir(remote);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function provision(config: ShellConfig, opts: { generatedData?: Record<string, unknown>; signal?: AbortSignal } = {}) {
  const ui = recordingUi();
  const comm = await builtinCommunicator('local');
  const res = await prepareAndProvision(shell, { remote_folder: remote, ...config }, provisionContext(comm, { ui, packer: packerConfig({ buildName: 'null.box' }), ...opts }));
  return { res, ui };
}

describe('shell provisioner (local communicator)', () => {
  it('uploads inline commands as a script, runs it, shows its output and removes it', async () => {
    const made = path.join(dir, 'made.txt');
    const { res, ui } = await provision({ inline: [`echo made > ${made}`, 'echo out', 'echo err >&2', 'echo "id={{ .ID }}"'], remote_file: 'inline.sh' }, { generatedData: { ID: 'Null' } });
    assert.deepEqual(res, { kind: 'ok', value: undefined });
    assert.equal(await readFile(made, 'utf8'), 'made\n');
    assert.match(ui.lines[0] ?? '', /^say Provisioning with shell script: .*packer-shell\d+$/);
    assert.deepEqual(ui.lines.slice(1).sort(), ['error err', 'say id=Null', 'say out'], 'stdout and stderr are separate pipes: no order between them');
    assert.equal(existsSync(path.join(remote, 'inline.sh')), false, 'the uploaded script is removed');
  });
  it('keeps the uploaded script with skip_clean, at remote_path, with the default shebang', async () => {
    const at = path.join(remote, 'kept.sh');
    const { res } = await provision({ inline: ['true'], remote_path: at, skip_clean: true });
    assert.equal(res.kind, 'ok');
    assert.equal(await readFile(at, 'utf8'), '#!/bin/sh -e\ntrue\n');
  });
  it("writes the default shebang only when the inline text has none, and the user's always", async () => {
    const at = path.join(remote, 'bang.sh');
    await provision({ inline: ['#!/bin/sh', 'true'], remote_path: at, skip_clean: true });
    assert.equal(await readFile(at, 'utf8'), '#!/bin/sh\ntrue\n');
    await provision({ inline: ['#!/bin/sh', 'true'], inline_shebang: '/bin/bash', remote_path: at, skip_clean: true });
    assert.equal(await readFile(at, 'utf8'), '#!/bin/bash\n#!/bin/sh\ntrue\n');
  });
  it('stops inline commands at the first failure with the default `/bin/sh -e`', async () => {
    const { res, ui } = await provision({ inline: ['echo one', 'false', 'echo two'] });
    assert.equal(res.kind === 'error' && res.error.message, 'Script exited with non-zero exit status: 1. Allowed exit codes are: [0]');
    assert.ok(ui.lines.includes('say one') && !ui.lines.includes('say two'));
  });
  it('judges the exit status by valid_exit_codes', async () => {
    assert.equal((await provision({ inline: ['exit 7'], valid_exit_codes: [0, 7] })).res.kind, 'ok');
    const r = await provision({ inline: ['exit 8'], valid_exit_codes: [0, 7] });
    assert.equal(r.res.kind === 'error' && r.res.error.message, 'Script exited with non-zero exit status: 8. Allowed exit codes are: [0 7]');
  });
  it('passes environment_vars, env and Packer\'s variables through {{.Vars}}', async () => {
    const { res, ui } = await provision({
      inline: ['echo "$PACKER_BUILD_NAME $PACKER_BUILDER_TYPE $A $B $Q"'],
      environment_vars: ['A=a', 'B=vars', "Q=it's"],
      env: { B: 'env' },
    });
    assert.equal(res.kind, 'ok');
    assert.ok(ui.lines.includes("say null.box null a env it's"), ui.lines.join('\n'));
  });
  it('renders execute_command with .Path, .Vars and generated data, and env_var_format', async () => {
    const { res, ui } = await provision({
      inline: ['echo "X=$X"'],
      environment_vars: ['X=1'],
      env_var_format: 'export %s=%s; ',
      remote_path: path.join(remote, 'exec.sh'),
      execute_command: 'echo "path={{.Path}} host={{.Host}}"; {{.Vars}} sh {{.Path}}',
    }, { generatedData: { Host: 'h' } });
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.lines.slice(1), [`say path=${path.join(remote, 'exec.sh')} host=h`, 'say X=1']);
  });
  it('sources the variables from an uploaded file with use_env_var_file, then removes it', async () => {
    const { res, ui } = await provision({ inline: ['echo "V=$V"'], environment_vars: ["V=x'y"], use_env_var_file: true });
    assert.equal(res.kind, 'ok');
    assert.ok(ui.lines.includes("say V=x'y"), ui.lines.join('\n'));
    assert.deepEqual((await readdir(remote)).filter((f) => f.startsWith('varfile_')), []);
  });
  it('converts CRLF to LF unless binary', async () => {
    const script = path.join(dir, 'crlf.sh');
    await writeFile(script, 'echo crlf\r\necho done');
    const at = path.join(remote, 'crlf.sh');
    const text = await provision({ script, remote_path: at, skip_clean: true });
    assert.equal(text.res.kind, 'ok');
    assert.ok(text.ui.lines.includes('say Provisioning with shell script: ' + script));
    assert.equal(await readFile(at, 'utf8'), 'echo crlf\necho done\n');
    await provision({ script, remote_path: at, skip_clean: true, binary: true });
    assert.equal(await readFile(at, 'utf8'), 'echo crlf\r\necho done');
  });
  it('runs scripts in order', async () => {
    const a = path.join(dir, 'a.sh');
    const b = path.join(dir, 'b.sh');
    await writeFile(a, 'echo A');
    await writeFile(b, 'echo B');
    const { res, ui } = await provision({ scripts: [a, b] });
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.lines, [`say Provisioning with shell script: ${a}`, 'say A', `say Provisioning with shell script: ${b}`, 'say B']);
  });
  it('retries the upload until start_retry_timeout (a machine still booting)', async () => {
    const late = path.join(dir, 'late-folder');
    setTimeout(() => void mkdir(late), 500);
    const ok = await provision({ inline: ['echo up'], remote_folder: late, start_retry_timeout: 30_000 });
    assert.equal(ok.res.kind, 'ok');
    assert.ok(ok.ui.lines.includes('say up'));
    const never = await provision({ inline: ['true'], remote_folder: path.join(dir, 'never'), start_retry_timeout: 100 });
    assert.match(never.res.kind === 'error' ? never.res.error.message : '', /^Error uploading script: ENOENT/);
  });
  it('pauses after with pause_after', async () => {
    const { res, ui } = await provision({ inline: ['true'], pause_after: 50 });
    assert.equal(res.kind, 'ok');
    assert.equal(ui.lines.at(-1), 'say Pausing 50ms after this provisioner...');
  });
  it('stops a running script when the build is cancelled', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 200);
    const { res } = await provision({ inline: ['sleep 30'] }, { signal: ctl.signal });
    assert.equal(res.kind, 'error');
  });
  it("checks the options at prepare with Packer's messages", async () => {
    const errors = (c: ShellConfig) => prepareErrors(shell, c);
    assert.deepEqual(await errors({}), ['Either a script file or inline script must be specified.']);
    assert.deepEqual(await errors({ inline: [] }), ['Either a script file or inline script must be specified.']);
    assert.deepEqual(await errors({ script: '/x.sh', scripts: ['/y.sh'] }), ['Only one of script or scripts can be specified.', "Bad script '/x.sh': stat /x.sh: no such file or directory"]);
    assert.deepEqual(await errors({ inline: ['a'], scripts: ['/y.sh'] }), ['Only a script file or an inline script can be specified, not both.', "Bad script '/y.sh': stat /y.sh: no such file or directory"]);
    assert.deepEqual(await errors({ inline: ['a'], environment_vars: ['nope'] }), ["Environment variable not in format 'key=value': nope"]);
  });
  it('has the exact message for an unexpected disconnect', () => {
    assert.equal(
      DISCONNECTED_UNEXPECTEDLY,
      'Script disconnected unexpectedly. If you expected your script to disconnect, i.e. from a restart, you can try adding `"expect_disconnect": true` or `"valid_exit_codes": [0, 2300218]` to the shell provisioner parameters.',
    );
  });
});
