import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ShellLocalConfig } from '../../../sdk/shell-local/index.js';
import { builtinCommunicator, packerConfig, prepareAndProvision, prepareErrors, provisionContext, recordingUi } from '../test-helpers.js';
import shellLocal from './index.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-shell-local-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function provision(config: ShellLocalConfig, opts: { signal?: AbortSignal; generatedData?: Record<string, unknown> } = {}) {
  const ui = recordingUi();
  const res = await prepareAndProvision(shellLocal, config, provisionContext(await builtinCommunicator('none'), { ui, packer: packerConfig({ buildName: 'null.box', builderType: 'null' }), ...opts }));
  return { res, ui };
}

describe('shell-local provisioner', () => {
  it('runs inline commands through a temporary script and shows stdout and stderr lines', async () => {
    const out = path.join(dir, 'inline.txt');
    const { res, ui } = await provision({ inline: [`echo hello > ${out}`, 'echo to-stdout', 'echo to-stderr >&2', 'printf "a\\r b  \\n"'] });
    assert.deepEqual(res, { kind: 'ok', value: undefined });
    assert.equal(await readFile(out, 'utf8'), 'hello\n');
    assert.match(ui.lines[0] ?? '', /^say Running local shell script: .*packer-shell\d+$/);
    assert.ok(ui.lines.includes('say to-stdout'));
    assert.ok(ui.lines.includes('error to-stderr'));
    assert.ok(ui.lines.includes('say  b'), 'text before the last \\r is dropped, trailing space trimmed');
  });
  it('gives scripts Packer\'s variables, environment_vars and env (env wins), quotes escaped', async () => {
    const { res, ui } = await provision({
      inline: ['echo "$PACKER_BUILD_NAME/$PACKER_BUILDER_TYPE/$A/$B/$Q"'],
      environment_vars: ['A=1', 'B=from-vars', "Q=it's {{ .ID }}"],
      env: { B: 'from-env' },
    }, { generatedData: { ID: 'Null' } });
    assert.equal(res.kind, 'ok');
    assert.ok(ui.lines.includes("say null.box/null/1/from-env/it's Null"), ui.lines.join('\n'));
  });
  it('renders execute_command with .Vars, .Script, .Command and generated data', async () => {
    const script = path.join(dir, 'script.sh');
    await writeFile(script, 'echo "script says $X"\n');
    const { res, ui } = await provision({
      script,
      environment_vars: ['X=y'],
      execute_command: ['/bin/sh', '-c', 'echo "vars={{.Vars}}"; echo "cmd={{.Command}} id={{.ID}}"; {{.Vars}} /bin/sh {{.Script}}'],
    }, { generatedData: { ID: 'Null' } });
    assert.equal(res.kind, 'ok');
    assert.ok(ui.lines.includes(`say Running local shell script: ${script}`));
    assert.ok(ui.lines.includes("say vars=PACKER_BUILDER_TYPE='null' PACKER_BUILD_NAME='null.box' X='y'"), ui.lines.join('\n'));
    assert.ok(ui.lines.includes(`say cmd=${script} id=Null`));
    assert.ok(ui.lines.includes('say script says y'));
  });
  it('runs `command` and several scripts in order', async () => {
    const a = path.join(dir, 'a.sh');
    const b = path.join(dir, 'b.sh');
    await writeFile(a, 'echo A\n', { mode: 0o755 });
    await writeFile(b, 'echo B\n', { mode: 0o755 });
    const r1 = await provision({ scripts: [a, b] });
    assert.deepEqual(r1.ui.said().filter((l) => l.length === 1), ['A', 'B']);
    const r2 = await provision({ command: 'echo from-command' });
    assert.ok(r2.ui.lines.includes('say from-command'));
  });
  it('fails on a disallowed exit status and accepts valid_exit_codes', async () => {
    const bad = await provision({ inline: ['exit 3'] });
    assert.equal(bad.res.kind === 'error' && bad.res.error.message, 'Script exited with non-zero exit status: 3. Allowed exit codes are: [0]');
    const good = await provision({ inline: ['exit 3'], valid_exit_codes: [0, 3] });
    assert.equal(good.res.kind, 'ok');
    const worse = await provision({ inline: ['exit 4'], valid_exit_codes: [0, 3] });
    assert.equal(worse.res.kind === 'error' && worse.res.error.message, 'Script exited with non-zero exit status: 4. Allowed exit codes are: [0 3]');
  });
  it('uses inline_shebang and tempfile_extension', async () => {
    const { res, ui } = await provision({ inline: ['echo "$0"', 'false', 'echo still-here'], inline_shebang: '/bin/sh', tempfile_extension: '.sh' });
    assert.equal(res.kind, 'ok', 'without -e the failing line does not stop the script');
    assert.match(ui.lines[0] ?? '', /packer-shell\d+\.sh$/);
    assert.ok(ui.lines.includes('say still-here'));
    const strict = await provision({ inline: ['false', 'echo not-here'] });
    assert.equal(strict.res.kind, 'error');
    assert.ok(!strict.ui.lines.includes('say not-here'));
  });
  it('skips on other systems with only_on', async () => {
    const { res, ui } = await provision({ inline: ['exit 1'], only_on: ['windows'] });
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.lines, ['say Skipping shell-local due to runtime OS']);
  });
  it('reports a program that cannot start', async () => {
    const { res } = await provision({ inline: ['true'], execute_command: ['/nonexistent/sh', '{{.Script}}'] });
    assert.match(res.kind === 'error' ? res.error.message : '', /^Error executing script: .*packer-shell\d+\n\nPlease see output above for more information\.$/);
  });
  it('stops the script when the build is cancelled', async () => {
    const ctl = new AbortController();
    const marker = path.join(dir, 'late');
    const pending = provision({ inline: ['sleep 30', `touch ${marker}`] }, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 200);
    const { res } = await pending;
    assert.equal(res.kind, 'error');
    await assert.rejects(readFile(marker));
  });
  it("checks the options at prepare with Packer's messages", async () => {
    const errors = (c: ShellLocalConfig) => prepareErrors(shellLocal, c);
    assert.deepEqual(await errors({}), ['Command, Inline, Script and Scripts options cannot all be empty.']);
    assert.deepEqual(await errors({ command: 'x', inline: ['y'] }), [
      'You may only specify one of the following options: Command, Inline, Script or Scripts. Please consolidate these options in your config.',
    ]);
    assert.deepEqual(await errors({ script: '/nope.sh' }), ["Bad script '/nope.sh': stat /nope.sh: no such file or directory"]);
    assert.deepEqual(await errors({ inline: ['x'], environment_vars: ['=x', 'novalue'] }), [
      "Environment variable not in format 'key=value': =x",
      "Environment variable not in format 'key=value': novalue",
    ]);
    assert.deepEqual(await errors({ inline: ['x'], only_on: ['plan9'] }), ["Invalid OS specified in only_on: 'plan9'\nSupported OS names: darwin, freebsd, linux, openbsd, solaris, windows"]);
    assert.deepEqual(await errors({ inline: ['x'], use_linux_pathing: true }), [
      'Packer is unable to use the Command and Inline features with the Windows Linux Subsystem. Please use the Script or Scripts options instead',
    ]);
  });
});
