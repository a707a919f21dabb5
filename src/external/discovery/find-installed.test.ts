import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fakePluginScript, installFakePlugin, writeExecutable } from '../../../test/support/fake-plugin.js';
import { chooseVersion, describePlugin, findInstalledPlugins, goPlatform, installsMatching, pluginFolder } from './index.js';

const platform = goPlatform();
const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-discovery-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function layout(name: string): string {
  const root = path.join(tmp, name);
  mkdirSync(root, { recursive: true });
  return root;
}

describe('findInstalledPlugins', () => {
  test('finds checked installs in the layout, sorted, with Packer component names', async () => {
    const root = layout('basic');
    installFakePlugin(root, 'github.com/hashicorp/amazon', { version: '1.3.0', builders: ['ebs', 'chroot'], datasources: ['ami'], protocolVersion: 'v2' }, platform);
    installFakePlugin(root, 'github.com/hashicorp/amazon', { version: '1.10.0', builders: ['ebs'] }, platform);
    installFakePlugin(root, 'github.com/ns/comment', { version: '0.1.0', provisioners: ['-packer-default-plugin-name-'] }, platform);
    const r = await findInstalledPlugins({ pluginPath: root, env: process.env });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.plugins.map((p) => [p.source, p.name, p.version, p.apiVersion, p.form, p.protocolVersion]),
      [
        ['github.com/hashicorp/amazon', 'amazon', '1.3.0', 'x5.0', 'multi', 'v2'],
        ['github.com/hashicorp/amazon', 'amazon', '1.10.0', 'x5.0', 'multi', undefined],
        ['github.com/ns/comment', 'comment', '0.1.0', 'x5.0', 'multi', undefined],
      ],
    );
    assert.deepEqual(r.plugins[0]!.components, { builder: ['amazon-chroot', 'amazon-ebs'], provisioner: [], 'post-processor': [], datasource: ['amazon-ami'] });
    assert.deepEqual(r.plugins[2]!.components.provisioner, ['comment']);
    assert.deepEqual(r.plugins[2]!.described!.provisioner, ['-packer-default-plugin-name-']);
    assert.equal(r.plugins[0]!.path, path.join(root, 'github.com', 'hashicorp', 'amazon', `packer-plugin-amazon_v1.3.0_x5.0_${platform.os}_${platform.arch}${platform.ext}`));
  });

  test('refuses a checksum mismatch, a missing checksum, and a describe disagreeing with the name', async () => {
    const root = layout('refusals');
    const good = installFakePlugin(root, 'github.com/hashicorp/good', { version: '1.0.0', builders: ['x'] }, platform);
    installFakePlugin(root, 'github.com/hashicorp/tampered', { version: '1.0.0', builders: ['x'] }, platform, { checksum: '0'.repeat(64) });
    const unsummed = installFakePlugin(root, 'github.com/hashicorp/unsummed', { version: '1.0.0', builders: ['x'] }, platform);
    rmSync(`${unsummed}_SHA256SUM`);
    installFakePlugin(root, 'github.com/hashicorp/liar', { version: '1.0.1', builders: ['x'] }, platform, { fileVersion: '1.0.0' });
    installFakePlugin(root, 'github.com/hashicorp/apiliar', { version: '1.0.0', apiVersion: 'x5.1', builders: ['x'] }, platform, { fileApi: 'x5.0' });
    installFakePlugin(root, 'github.com/hashicorp/short', { version: '1.0', builders: ['x'] }, platform);
    const r = await findInstalledPlugins({ pluginPath: root, env: process.env });
    assert.deepEqual(r.plugins.map((p) => p.path), [good]);
    const text = r.diagnostics.map((d) => `${d.severity}: ${d.detail}`).join('\n');
    assert.equal(r.diagnostics.length, 5, text);
    assert.ok(r.diagnostics.every((d) => d.severity === 'warning'));
    assert.match(text, /Checksums \(\*sha256\.digest\) did not match\. Expected: 0{64} Got: [0-9a-f]{64} for ".*tampered.*", ignoring possibly unsafe binary\./);
    assert.match(text, /No checksum found for .*unsummed/);
    assert.match(text, /reported version "1\.0\.1" while its name implies version "v1\.0\.0"/);
    assert.match(text, /reported API version "x5\.1" while its name implies version "x5\.0"/);
    assert.match(text, /version "v1\.0" in path is non canonical/);
  });

  test('ignores binaries at the root, for other platforms, and unrelated files', async () => {
    const root = layout('ignored');
    const text = fakePluginScript({ version: '1.0.0', builders: ['x'] });
    writeExecutable(path.join(root, `packer-plugin-root_v1.0.0_x5.0_${platform.os}_${platform.arch}${platform.ext}`), text);
    writeExecutable(path.join(root, 'github.com/a/b', 'packer-plugin-b_v1.0.0_x5.0_plan9_mips'), text);
    writeFileSync(path.join(root, 'github.com/a/b', 'README'), 'hello');
    const r = await findInstalledPlugins({ pluginPath: root, env: process.env });
    assert.deepEqual(r.plugins, []);
    assert.deepEqual(r.diagnostics, []);
  });

  test('legacy single-component binaries in the plugin folder and beside kiln', async () => {
    const root = layout('singles');
    const kilnDir = layout('kiln-bin');
    writeExecutable(path.join(root, 'packer-builder-amazon-ebs'), '#!/bin/sh\nexit 1\n');
    writeExecutable(path.join(kilnDir, 'packer-post-processor-compress'), '#!/bin/sh\nexit 1\n');
    writeFileSync(path.join(kilnDir, 'packer-provisioner-not-executable'), '');
    const r = await findInstalledPlugins({ pluginPath: root, env: process.env, kilnDir });
    assert.deepEqual(
      r.plugins.map((p) => [p.name, p.form, p.source, p.version, p.components]),
      [
        ['amazon-ebs', 'single', undefined, undefined, { builder: ['amazon-ebs'], provisioner: [], 'post-processor': [], datasource: [] }],
        ['compress', 'single', undefined, undefined, { builder: [], provisioner: [], 'post-processor': ['compress'], datasource: [] }],
      ],
    );
  });

  test('a missing plugin folder is empty, not an error', async () => {
    const r = await findInstalledPlugins({ pluginPath: path.join(tmp, 'nope'), env: process.env });
    assert.deepEqual(r, { plugins: [], diagnostics: [] });
  });

  test('PACKER_PLUGIN_PATH with a list is an error diagnostic', async () => {
    const r = await findInstalledPlugins({ env: { ...process.env, PACKER_PLUGIN_PATH: '/a:/b' } });
    assert.equal(r.diagnostics[0]?.severity, 'error');
    assert.match(r.diagnostics[0]!.detail, /Multiple paths are no longer supported for PACKER_PLUGIN_PATH/);
  });
});

describe('chooseVersion', () => {
  test('the highest install matching go-version constraints that kiln can speak', async () => {
    const root = layout('choose');
    for (const v of ['1.2.0', '1.2.5', '1.3.0', '2.0.0']) installFakePlugin(root, 'github.com/hashicorp/amazon', { version: v, builders: ['ebs'] }, platform);
    installFakePlugin(root, 'github.com/hashicorp/amazon', { version: '2.1.0', apiVersion: 'x6.0', builders: ['ebs'] }, platform);
    installFakePlugin(root, 'github.com/hashicorp/amazon', { version: '2.0.1-dev', builders: ['ebs'] }, platform);
    installFakePlugin(root, 'github.com/other/amazon', { version: '9.0.0', builders: ['ebs'] }, platform);
    const { plugins, diagnostics } = await findInstalledPlugins({ pluginPath: root, env: process.env });
    assert.deepEqual(diagnostics, []);
    const pick = (c?: string, opts = {}): string | undefined => chooseVersion(plugins, 'github.com/hashicorp/amazon', c, opts)?.version;
    assert.equal(pick(), '2.0.1-dev');
    assert.equal(pick('', { releasesOnly: true }), '2.0.0');
    assert.equal(pick('>= 1.2'), '2.0.1-dev');
    assert.equal(pick('~> 1.2'), '1.3.0');
    assert.equal(pick('~> 1.2.0'), '1.2.5');
    assert.equal(pick('>= 1.2.0, < 2, != 1.3.0'), '1.2.5');
    assert.equal(pick('= 2.0.1'), '2.0.1-dev');
    assert.equal(pick('>= 3'), undefined);
    assert.equal(pick('not a constraint'), undefined);
    assert.equal(chooseVersion(plugins, 'github.com/other/amazon', '>= 1')?.version, '9.0.0');
    // plugins installed / remove see every API version.
    assert.deepEqual(installsMatching(plugins, 'github.com/hashicorp/amazon', '>= 2', { anyApiVersion: true }).map((p) => p.version), ['2.0.0', '2.0.1-dev', '2.1.0']);
  });
});

describe('describePlugin', () => {
  test('caches per path and modification time', async () => {
    const dir = layout('cache');
    const counter = path.join(dir, 'count');
    const bin = writeExecutable(path.join(dir, 'plugin'), `#!/bin/sh\necho x >> '${counter}'\necho '{"version":"1.0.0","api_version":"x5.0","builders":["a"],"provisioners":[],"post_processors":null,"datasources":[]}'\n`);
    const a = await describePlugin(bin, process.env);
    const b = await describePlugin(bin, process.env);
    assert.deepEqual(a, b);
    assert.ok('description' in a && a.description.builders[0] === 'a' && a.description.postProcessors.length === 0);
    assert.equal(readFileSync(counter, 'utf8'), 'x\n');
    utimesSync(bin, new Date(), new Date(Date.now() + 5000));
    await describePlugin(bin, process.env);
    assert.equal(readFileSync(counter, 'utf8'), 'x\nx\n');
  });

  test('a failing or garbled describe is an error value', async () => {
    const dir = layout('bad-describe');
    const fails = await describePlugin(writeExecutable(path.join(dir, 'fails'), '#!/bin/sh\nexit 3\n'), process.env);
    assert.ok('error' in fails && /failed to get plugin description/.test(fails.error));
    const garbled = await describePlugin(writeExecutable(path.join(dir, 'garbled'), '#!/bin/sh\necho nope\n'), process.env);
    assert.ok('error' in garbled && /invalid describe output/.test(garbled.error));
  });
});

describe('pluginFolder', () => {
  test("Packer 1.16's rules", () => {
    const home = layout('home');
    assert.deepEqual(pluginFolder({ PACKER_PLUGIN_PATH: '/p', HOME: home }, 'linux'), { path: '/p' });
    assert.deepEqual(pluginFolder({ PACKER_CONFIG_DIR: '/c', HOME: home }, 'linux'), { path: '/c/.packer.d/plugins' });
    assert.deepEqual(pluginFolder({ HOME: home, XDG_CONFIG_HOME: '/x' }, 'linux'), { path: '/x/packer/plugins' });
    assert.deepEqual(pluginFolder({ HOME: home }, 'linux'), { path: path.join(home, '.config/packer/plugins') });
    mkdirSync(path.join(home, '.packer.d'));
    assert.deepEqual(pluginFolder({ HOME: home, XDG_CONFIG_HOME: '/x' }, 'linux'), { path: path.join(home, '.packer.d/plugins') });
    assert.ok('error' in pluginFolder({}, 'linux'));
  });
});
