// `kiln plugins installed|install -path|remove|required` in process, after Packer 1.16's
// command/plugins_install_test.go and packer_test/plugin_tests/{install,plugins_remove}_test.go.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { goPlatform } from '../../src/external/discovery/index.js';
import { fakePluginScript, installFakePlugin, writeExecutable } from '../support/fake-plugin.js';
import { runMain } from '../support/run-main.js';

const platform = goPlatform();
const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-plugins-cmd-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function folder(): { dir: string; env: Record<string, string> } {
  const dir = path.join(tmp, `plugins-${++n}`);
  return { dir, env: { PACKER_PLUGIN_PATH: dir } };
}

const suffix = `_${platform.os}_${platform.arch}${platform.ext}`;

/** Three versions of github.com/hashicorp/tester, as Packer's plugins_remove_test installs them. */
function testers(dir: string): string[] {
  return ['1.0.9', '2.0.0', '1.0.10'].map((v) => installFakePlugin(dir, 'github.com/hashicorp/tester', { version: v, builders: ['-packer-default-plugin-name-'] }, platform));
}

describe('kiln plugins installed and remove', () => {
  test('installed lists every checked binary in version order; remove with a source removes every version', async () => {
    const { dir, env } = folder();
    const [v109, v200, v1010] = testers(dir) as [string, string, string];
    const listed = await runMain(['plugins', 'installed'], { env });
    assert.equal(listed.status, 0);
    assert.equal(listed.stdout, `${v109}\n${v1010}\n${v200}\n`);
    const removed = await runMain(['plugins', 'remove', 'github.com/hashicorp/tester'], { env });
    assert.equal(removed.status, 0);
    assert.equal(removed.stdout, `${v109}\n${v1010}\n${v200}\n`);
    for (const f of [v109, v200, v1010]) assert.ok(!existsSync(f) && !existsSync(`${f}_SHA256SUM`));
    assert.equal((await runMain(['plugins', 'installed'], { env })).stdout, '');
  });

  test('remove with a constraint removes only the matching versions', async () => {
    const { dir, env } = folder();
    const [v109, v200, v1010] = testers(dir) as [string, string, string];
    const r = await runMain(['plugins', 'remove', 'github.com/hashicorp/tester', '>= 2.0.0'], { env });
    assert.equal(r.stdout, `${v200}\n`);
    assert.equal((await runMain(['plugins', 'installed'], { env })).stdout, `${v109}\n${v1010}\n`);
  });

  test('remove with an absolute path removes that binary and its checksum only', async () => {
    const { dir, env } = folder();
    const [v109, , v1010] = testers(dir) as [string, string, string];
    const r = await runMain(['plugins', 'remove', v109], { env });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${v109}\n`);
    assert.ok(!existsSync(`${v109}_SHA256SUM`));
    assert.ok(existsSync(v1010));
    const withVersion = await runMain(['plugins', 'remove', v1010, '1.0.10'], { env });
    assert.equal(withVersion.status, 1);
    assert.match(withVersion.stdout, /Unsupported: no version constraint may be specified with a local plugin path/);
  });

  test('remove refusals: nothing matching, bad sources, paths outside the plugin folder, no arguments', async () => {
    const { dir, env } = folder();
    const [v109] = testers(dir) as [string];
    const none = await runMain(['plugins', 'remove', 'github.com/hashicorp/testerONE'], { env });
    assert.equal(none.status, 1);
    assert.match(none.stdout, /No installed plugin found matching the plugin constraints github\.com\/hashicorp\/testerONE\n/);
    const deep = await runMain(['plugins', 'remove', `github.com/hashicorp/${'a/'.repeat(15)}tester`], { env });
    assert.equal(deep.status, 1);
    assert.match(deep.stdout, /The source URL must have at most 16 components/);
    const base = await runMain(['plugins', 'remove', path.basename(v109)], { env });
    assert.equal(base.status, 1);
    assert.match(base.stdout, /A source URL must at least contain a host and a path with 2 components/);
    const outside = await runMain(['plugins', 'remove', tmpdir()], { env });
    assert.equal(outside.status, 1);
    assert.match(outside.stdout, /Error: Invalid plugin location[\s\S]*is not under the plugin directory inferred by Packer/);
    const noArgs = await runMain(['plugins', 'remove'], { env });
    assert.equal(noArgs.status, 1);
    assert.match(noArgs.stdout, /^Usage: kiln plugins remove/);
    assert.ok(existsSync(v109));
  });
});

describe('kiln plugins install -path', () => {
  function binary(version: string): string {
    return writeExecutable(path.join(tmp, `bin-${++n}`, 'packer-plugin-tester'), fakePluginScript({ version, builders: ['-packer-default-plugin-name-'] }));
  }

  test('installs under the name describe gives, without build metadata, with its _SHA256SUM', async () => {
    const { dir, env } = folder();
    const src = binary('1.0.0+metadata');
    const r = await runMain(['plugins', 'install', '-path', src, 'github.com/hashicorp/tester'], { env });
    assert.equal(r.status, 0, r.stdout);
    const want = path.join(dir, 'github.com', 'hashicorp', 'tester', `packer-plugin-tester_v1.0.0_x5.0${suffix}`);
    assert.equal(r.stdout, `Successfully installed plugin github.com/hashicorp/tester from ${src} to ${want}\n`);
    assert.equal(readFileSync(`${want}_SHA256SUM`, 'utf8'), createHash('sha256').update(readFileSync(src)).digest('hex'));
    assert.equal(statSync(want).mode & 0o777, 0o755);
    assert.equal((await runMain(['plugins', 'installed'], { env })).stdout, `${want}\n`);
  });

  test('a -dev build installs (also with metadata, replacing it); other prereleases do not', async () => {
    const { dir, env } = folder();
    assert.equal((await runMain(['plugins', 'install', '--path', binary('1.0.0-dev'), 'github.com/hashicorp/tester'], { env })).status, 0);
    assert.equal((await runMain(['plugins', 'install', '--path', binary('1.0.0-dev+metadata'), 'github.com/hashicorp/tester'], { env })).status, 0);
    const dev = path.join(dir, 'github.com', 'hashicorp', 'tester', `packer-plugin-tester_v1.0.0-dev_x5.0${suffix}`);
    assert.equal((await runMain(['plugins', 'installed'], { env })).stdout, `${dev}\n`);
    const alpha = await runMain(['plugins', 'install', '--path', binary('1.0.0-alpha1'), 'github.com/hashicorp/tester'], { env });
    assert.equal(alpha.status, 1);
    assert.match(alpha.stdout, /Packer can only install plugin releases with this command \(ex: 1\.0\.0\) or\ndevelopment pre-releases \(ex: 1\.0\.0-dev\)/);
  });

  test('argument refusals', async () => {
    const { env } = folder();
    const both = await runMain(['plugins', 'install', '--path', binary('1.0.0'), 'github.com/hashicorp/tester', '1.0.0'], { env });
    assert.equal(both.status, 1);
    assert.match(both.stdout, /a version cannot be specified when using --path/);
    const none = await runMain(['plugins', 'install'], { env });
    assert.equal(none.status, 1);
    assert.match(none.stdout, /Invalid arguments, expected either 1 or 2 positional arguments, got 0/);
    const notDescribing = writeExecutable(path.join(tmp, 'broken'), '#!/bin/sh\nexit 2\n');
    const broken = await runMain(['plugins', 'install', '--path', notDescribing, 'github.com/hashicorp/tester'], { env });
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, /Error: Failed to describe the plugin/);
    const prefixed = await runMain(['plugins', 'install', 'github.com/hashicorp/packer-plugin-tester'], { env });
    assert.equal(prefixed.status, 1);
    assert.match(prefixed.stdout, /Did you mean "tester"\?/);
  });
});

describe('kiln plugins required', () => {
  test('one line per requirement with the matching binaries, ascending', async () => {
    const { dir, env } = folder();
    const [v109, , v1010] = testers(dir) as [string, string, string];
    const tpl = path.join(tmp, 'req.pkr.hcl');
    writeFileSync(
      tpl,
      'packer {\n  required_plugins {\n    tester = {\n      source  = "github.com/hashicorp/tester"\n      version = "~> 1.0"\n    }\n    other = {\n      source  = "github.com/ns/other"\n      version = ">= 1"\n    }\n  }\n}\n',
    );
    const r = await runMain(['plugins', 'required', tpl], { env });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `tester github.com/hashicorp/tester "~> 1.0" ${v109} ${v1010}\nother github.com/ns/other ">= 1"\n`);
    const noArg = await runMain(['plugins', 'required'], { env });
    assert.equal(noArg.status, 1);
    assert.match(noArg.stdout, /^Usage: kiln plugins required/);
  });
});

describe("loading checks (Packer's packer_test/plugin_tests/loading_test.go)", () => {
  test('a binary without or with a wrong _SHA256SUM is not listed, and the log says why', async () => {
    const { dir, env } = folder();
    const [v109, , v1010] = testers(dir) as [string, string, string];
    rmSync(`${v1010}_SHA256SUM`);
    const r = await runMain(['plugins', 'installed'], { env: { ...env, PACKER_LOG: '1' } });
    assert.equal(r.status, 0);
    assert.match(r.stdout, new RegExp(`^${v109.replace(/[.]/g, '\\.')}\n`));
    assert.doesNotMatch(r.stdout, /v1\.0\.10/);
    assert.match(r.stderr, /v1\.0\.10[^\n]+ignoring possibly unsafe binary/);
    writeFileSync(`${v1010}_SHA256SUM`, 'e'.repeat(64));
    const wrong = await runMain(['plugins', 'installed'], { env: { ...env, PACKER_LOG: '1' } });
    assert.doesNotMatch(wrong.stdout, /v1\.0\.10/);
    assert.match(wrong.stderr, /Checksums \(\*sha256\.digest\) did not match\.[^\n]+v1\.0\.10[^\n]+ignoring possibly unsafe binary/);
  });

  test('non-canonical versions and metadata in installed names are ignored, and logged', async () => {
    const { dir, env } = folder();
    installFakePlugin(dir, 'github.com/hashicorp/tester', { version: '1.0', builders: ['x'] }, platform);
    installFakePlugin(dir, 'github.com/hashicorp/tester', { version: '1.0.1+metadata', builders: ['x'] }, platform);
    const r = await runMain(['plugins', 'installed'], { env: { ...env, PACKER_LOG: '1' } });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /version .* in path is non canonical/);
    assert.match(r.stderr, /found version .* with metadata in the name/);
  });

  test('PACKER_PLUGIN_PATH with several folders is an error listing each', async () => {
    const r = await runMain(['plugins', 'installed'], { env: { PACKER_PLUGIN_PATH: `${tmp}/one:${tmp}/two` } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Error loading configuration: \n\nMultiple paths are no longer supported for PACKER_PLUGIN_PATH\./);
    assert.match(r.stderr, /\* PACKER_PLUGIN_PATH=.*one\n\* PACKER_PLUGIN_PATH=.*two\n/);
  });
});
