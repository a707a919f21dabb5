import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { KILN_VERSION } from '../support/version.js';
import { main } from './main.js';
import { COMMANDS } from './table.js';

async function kiln(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: {},
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

describe('kiln CLI shell', () => {
  it('lists the commands and exits 127 with no arguments or an unknown command', async () => {
    for (const argv of [[], ['bogus']]) {
      const r = await kiln(...argv);
      assert.equal(r.code, 127);
      assert.match(r.stdout, /^Usage: kiln \[--version\] \[--help\] <command> \[<args>\]/);
      for (const name of ['build', 'validate', 'fmt', 'inspect', 'console', 'init', 'hcl2_upgrade', 'fix', 'plugins', 'verify-attestation', 'version']) {
        assert.match(r.stdout, new RegExp(`^    ${name} +\\S`, 'm'), name);
      }
    }
  });
  it('prints the version line, also for -v and --version', async () => {
    for (const argv of [['version'], ['-v'], ['--version']]) {
      const r = await kiln(...argv);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `kiln v${KILN_VERSION} (Packer 1.16.0 compatible)\n`);
    }
  });
  it('writes machine-readable version lines when -machine-readable is anywhere', async () => {
    const r = await kiln('-machine-readable', 'version');
    assert.match(r.stdout, /^\d+,,version,0\.1\.0\n/);
  });
  it("shows Packer's build flags for build -h, exit 0", async () => {
    const r = await kiln('build', '-h');
    assert.equal(r.code, 0);
    for (const flag of ['-color=false', '-debug', '-except=', '-only=', '-force', '-machine-readable', '-on-error=', '-parallel-builds=', '-timestamp-ui', '-var=', '-var-file=', '-warn-on-undeclared-var', '-use-sequential-evaluation', '-ignore-prerelease-plugins', '-skip-enforcement']) {
      assert.ok(r.stdout.includes(`  ${flag}`), flag);
    }
  });
  it('intercepts help anywhere after the command', async () => {
    const r = await kiln('validate', 'template.pkr.hcl', '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: kiln validate/);
  });
  it('resolves subcommands and the plugin alias', async () => {
    const r = await kiln('plugin', 'installed', '-h');
    assert.match(r.stdout, /^Usage: kiln plugins installed/);
    const group = await kiln('plugins');
    assert.equal(group.code, 1);
    assert.match(group.stdout, /plugins install +Install latest/);
  });
  it('rejects a bad flag with exit 1', async () => {
    const r = await kiln('build', '-bogus', 'x');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^flag provided but not defined: -bogus\n/);
  });
  it('answers a command that has not landed with one line and exit 1', async (t) => {
    // Any command without an implementation yet (and not a group such as `plugins`).
    const pending = COMMANDS.find((c) => !c.load && c.flags.length > 0 && !c.name.includes(' '));
    if (!pending) return t.skip('every command has landed');
    const r = await kiln(pending.name, 'x.pkr.hcl');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
    assert.match(r.stderr, new RegExp(`'${pending.name}' command is not available yet`));
  });
  it('keeps the version constant equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(KILN_VERSION, pkg.version);
  });
});
