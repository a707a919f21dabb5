// What a full `validate` / `build` loads: plugin discovery only when the plugin folder
// (or kiln's own folder) has something to discover, the plugin processes' RPC stack only
// when a component comes from a plugin, and the HCL function table only when a template
// may call a function (src/external/registry.ts, template/hcl2/initialize.ts). Each file
// kiln loads is read from NODE_DEBUG=module's log (bin/code-cache.cjs logs dist/ files
// there as Node does its own); and with those pieces left out, templates that need them
// still get them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const hello = path.join(REPO_ROOT, 'examples', 'hello');

const DISCOVERY = 'external-discovery-index.js';
const PLUGIN_START = 'external-plugin-start.js';
const TABLE = 'template-functions-table.js';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Base names of the dist/ files and npm packages the run loaded. */
  readonly loaded: Set<string>;
  /** Node's built-in modules kiln's code required (`node:crypto`). */
  readonly builtins: Set<string>;
}

function kiln(args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Run {
  const r = spawnSync(bin, args, { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', env: { ...process.env, ...opts.env, NODE_DEBUG: 'module' } });
  const loaded = new Set<string>();
  for (const m of r.stderr.matchAll(/^MODULE \d+: load "([^"]+)"/gm)) {
    const file = m[1] ?? '';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    loaded.add(pkg ? (pkg[1] ?? '') : path.basename(file));
  }
  const builtins = new Set([...r.stderr.matchAll(/^MODULE \d+: Module\._load REQUEST (node:\S+)/gm)].map((m) => m[1] ?? ''));
  const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('MODULE ')).join('\n');
  return { status: r.status, stdout: r.stdout, stderr, loaded, builtins };
}

describe('lazy loading of plugin discovery, the plugin RPC stack and the function table', () => {
  let dir = '';
  let plugins = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kiln-lazy-'));
    plugins = path.join(dir, 'plugins');
    mkdirSync(plugins);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('validate of examples/hello with an empty plugin folder loads none of them', () => {
    const r = kiln(['validate', hello], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /The configuration is valid/);
    assert.ok(r.loaded.has('command-validate.js') && r.loaded.has('builder-null.js'), [...r.loaded].join(' '));
    for (const f of [DISCOVERY, PLUGIN_START, TABLE, '@msgpack/msgpack']) assert.ok(!r.loaded.has(f), `${f} was loaded`);
    // Each costs a few ms of CPU to load; the steps that use them load them when a build runs.
    for (const m of ['node:crypto', 'node:child_process', 'node:fs/promises', 'node:net']) assert.ok(!r.builtins.has(m), `${m} was loaded`);
    assert.ok(r.builtins.has('node:vm'), [...r.builtins].join(' '));
  });

  it("validate of examples/quickstart (qemu, file, shell, manifest, checksum) loads none of its steps' run-time modules", () => {
    const key = path.join(dir, 'key');
    writeFileSync(key, '');
    const quickstart = path.join(REPO_ROOT, 'examples', 'quickstart');
    const r = kiln(['validate', '-var', `base=${path.join(dir, 'base.qcow2')}`, '-var', `ssh_key=${key}`, quickstart], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins } });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.ok(r.loaded.has('builder-qemu.js') && r.loaded.has('post-processor-checksum.js'), [...r.loaded].join(' '));
    for (const m of ['node:http', 'node:crypto', 'node:child_process', 'node:stream/promises', 'node:net']) assert.ok(!r.builtins.has(m), `${m} was loaded`);
  });

  it('validate of a docker template (builder, shell, docker-tag) starts no docker client and loads neither http nor child_process', () => {
    const t = path.join(dir, 'docker');
    mkdirSync(t);
    writeFileSync(
      path.join(t, 't.pkr.hcl'),
      'source "docker" "d" {\n  image  = "busybox"\n  commit = true\n}\nbuild {\n  sources = ["source.docker.d"]\n  provisioner "shell" {\n    inline = ["echo hi"]\n  }\n  post-processor "docker-tag" {\n    repository = "kiln/lazy"\n    tags       = ["x"]\n  }\n}\n',
    );
    const r = kiln(['validate', t], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins } });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.ok(r.loaded.has('builder-docker.js') && r.loaded.has('post-processor-docker-tag.js'), [...r.loaded].join(' '));
    for (const m of ['node:http', 'node:crypto', 'node:child_process', 'node:net']) assert.ok(!r.builtins.has(m), `${m} was loaded`);
  });

  it('with an entry in the plugin folder, discovery runs (and finds no plugin there)', () => {
    const folder = path.join(dir, 'plugins-with-entry');
    mkdirSync(path.join(folder, 'example.com'), { recursive: true });
    const r = kiln(['validate', hello], { cwd: dir, env: { PACKER_PLUGIN_PATH: folder } });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.loaded.has(DISCOVERY), [...r.loaded].join(' '));
    assert.ok(!r.loaded.has(PLUGIN_START) && !r.loaded.has('@msgpack/msgpack'));
  });

  it('a required plugin that is not installed is still reported missing without discovery', () => {
    const t = path.join(dir, 'required');
    mkdirSync(t);
    writeFileSync(
      path.join(t, 't.pkr.hcl'),
      'packer {\n  required_plugins {\n    foo = {\n      source  = "example.com/acme/foo"\n      version = ">= 1.0"\n    }\n  }\n}\n\nsource "foo-bar" "x" {}\n\nbuild {\n  sources = ["source.foo-bar.x"]\n}\n',
    );
    const r = kiln(['validate', t], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins } });
    assert.equal(r.status, 1);
    assert.match(r.stdout + r.stderr, /Missing plugins/);
    assert.match(r.stdout + r.stderr, /example\.com\/acme\/foo >= 1\.0/);
    assert.ok(!r.loaded.has(DISCOVERY));
  });

  it('build of examples/hello loads no step cache code and not node:crypto', () => {
    const r = kiln(['build', hello], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins } });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Hello from null\.hello/);
    assert.ok(r.loaded.has('command-build.js') && r.builtins.has('node:child_process'), [...r.loaded].join(' '));
    // Without a cache flag, -metadata-file or a kept machine there is no step cache; random names come from /dev/urandom.
    for (const f of ['core-cache-engine.js', 'core-cache-store.js', 'command-build-cache.js', 'command-metadata-file.js', 'ignore', TABLE]) assert.ok(!r.loaded.has(f), `${f} was loaded`);
    for (const m of ['node:crypto', 'node:readline']) assert.ok(!r.builtins.has(m), `${m} was loaded`);
  });

  it('a template calling functions gets them: the build runs with their values, and its post-processors', () => {
    const t = path.join(dir, 'calls');
    mkdirSync(t);
    writeFileSync(
      path.join(t, 't.pkr.hcl'),
      [
        'locals {',
        '  greeting = upper("hello")',
        '}',
        'source "null" "n" {',
        '  communicator = "none"',
        '}',
        'build {',
        '  sources = ["source.null.n"]',
        '  provisioner "shell-local" {',
        '    inline = ["echo ${local.greeting}-${lower("WORLD")}-${length([1, 2, 3])}"]',
        '  }',
        '  post-processor "manifest" {',
        '    output = "m.json"',
        '  }',
        '  post-processor "shell-local" {',
        '    inline = ["echo pp-${upper("x")}"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const r = kiln(['build', t], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins } });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /HELLO-world-3/);
    assert.match(r.stdout, /pp-X/);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'm.json'), 'utf8')) as { builds: { builder_type: string }[] };
    assert.equal(manifest.builds[0]?.builder_type, 'null');
    assert.ok(r.loaded.has(TABLE));
    assert.ok(r.builtins.has('node:child_process'));
  });

  it('a JSON-syntax template calling a function gets it', () => {
    const t = path.join(dir, 'json');
    mkdirSync(t);
    writeFileSync(
      path.join(t, 't.pkr.json'),
      JSON.stringify({
        source: { null: { n: { communicator: 'none' } } },
        build: { sources: ['source.null.n'], provisioner: [{ 'shell-local': { inline: ['echo ${upper("json")}'] } }] },
      }),
    );
    const r = kiln(['build', t], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins } });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /JSON/);
  });

  it('an unknown function is still reported as such', () => {
    const t = path.join(dir, 'unknown');
    mkdirSync(t);
    writeFileSync(path.join(t, 't.pkr.hcl'), 'locals {\n  x = uper("a")\n}\nsource "null" "n" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.n"]\n}\n');
    const r = kiln(['validate', t], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins } });
    assert.equal(r.status, 1);
    assert.match(r.stdout + r.stderr, /Call to unknown function/);
    assert.match(r.stdout + r.stderr, /Did you mean "upper"\?/);
  });

  it('console has every function with a template that calls none', () => {
    const r = kiln(['console', hello], { cwd: dir, env: { PACKER_PLUGIN_PATH: plugins }, input: 'upper("abc")\n' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'ABC');
  });
});
