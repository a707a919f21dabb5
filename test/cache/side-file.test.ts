/**
 * The step cache's side file (kiln.hcl) without a machine: how its settings reach each
 * build and step (selectors, precedence, -only), what they do to the fingerprints
 * (barriers, bust, inputs, ttl), and its diagnostics. Templates are loaded as kiln
 * build loads them (built-in components); the side file through the commands' loader.
 * The Docker end-to-end tests are in side-file-docker.test.ts.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCacheOptions } from '../../src/commands/cache-side-file.js';
import { loadAnyTemplate, prepareModel } from '../../src/commands/load-for-command.js';
import type { BuildFingerprint } from '../../src/core/fingerprint/build-fingerprint.js';
import { fingerprintBuild } from '../../src/core/fingerprint/build-fingerprint.js';
import { fingerprintComponent, fingerprintContext } from '../../src/core/fingerprint/fingerprint.js';
import * as cty from '../../src/hcl/cty/index.js';
import { RuntimeSpec } from '../../src/sdk/schema/spec.js';
import type { Diagnostic } from '../../src/hcl/diagnostic.js';
import { hasErrors } from '../../src/hcl/diagnostic.js';
import { builtinRegistry } from '../../src/plugins/registry.js';
import { templateDir, TEST_SECRET } from '../fingerprint/helpers.js';

const TEMPLATE = `
source "docker" "a" {
  image   = "debian:bookworm"
  discard = true
}
source "docker" "b" {
  image   = "debian:trixie"
  discard = true
}
build {
  sources = ["source.docker.a", "source.docker.b"]
  provisioner "shell" {
    inline = ["apt-get update"]
  }
  provisioner "shell-local" {
    name   = "pack"
    inline = ["tar cf files/app.tar files/src"]
  }
  provisioner "shell" {
    name   = "finish"
    inline = ["echo done"]
  }
}
`;

interface Keyed {
  readonly builds: BuildFingerprint[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Loads the template in `dir` with `flags`, reads its side file, and fingerprints every build. */
async function key(dir: string, flags: Record<string, string | string[]> = {}): Promise<Keyed> {
  const values = new Map<string, string | string[]>(Object.entries(flags));
  const io = { stdout: () => undefined, stderr: () => undefined, env: process.env, cwd: dir };
  const loaded = await loadAnyTemplate(dir, { values, positional: [dir] }, io, builtinRegistry());
  assert.ok(loaded.model, loaded.failure);
  const options = loadCacheOptions(values, dir, loaded.model);
  if (hasErrors(options.diagnostics)) return { builds: [], diagnostics: options.diagnostics };
  const prepared = await prepareModel(loaded.model, builtinRegistry());
  const ctx = { ...fingerprintContext(loaded.model, statSync(dir).isDirectory() ? dir : path.dirname(dir), TEST_SECRET, prepared.secrets), ...(options.side ? { side: options.side } : {}) };
  return { builds: await Promise.all(prepared.builds.map((b) => fingerprintBuild(b, ctx))), diagnostics: options.diagnostics };
}

function build(k: Keyed, name: string): BuildFingerprint {
  const b = k.builds.find((x) => x.build === name);
  assert.ok(b, `no build ${name}`);
  return b;
}

describe('step cache side file (kiln.hcl)', () => {
  it('without a side file the keys are those of an empty one; settings reach the builds and steps they name', async () => {
    const t = await templateDir({ 'build.pkr.hcl': TEMPLATE, 'files/src/a': 'a\n' });
    try {
      const none = await key(t.dir);
      await t.write('kiln.hcl', '# nothing yet\n');
      const empty = await key(t.dir);
      assert.deepEqual(empty.builds.map((b) => b.key), none.builds.map((b) => b.key));

      await t.write(
        'kiln.hcl',
        `ttl = "30d"
build "source.docker.a" {
  ttl = "7d"
  step "shell#1" {
    ttl = "24h"
  }
  step "pack" {
    inputs = ["files/src"]
  }
}
step "finish" {
  bust = "v2"
}
`,
      );
      const k = await key(t.dir);
      assert.deepEqual(k.diagnostics, []);
      const a = build(k, 'docker.a');
      const b = build(k, 'docker.b');
      // ttl: the step's own, else the build's, else the top level's; never keyed.
      assert.deepEqual([a.steps[0]?.ttl?.text, a.steps[1]?.ttl?.text, b.steps[0]?.ttl?.text], ['24h', '7d', '30d']);
      assert.equal(a.steps[0]?.ttl?.at, 'kiln.hcl:5');
      assert.equal(a.base.key, build(none, 'docker.a').base.key);
      assert.equal(a.steps[0]?.key, build(none, 'docker.a').steps[0]?.key);
      // inputs lift shell-local's barrier in build a only, and key the folder's content.
      assert.equal(a.barrier, undefined);
      assert.match(b.barrier ?? '', /shell-local runs on this machine/);
      assert.ok(a.steps[1]?.inputs.some((i) => i.path === 'files/src' && i.file === true && i.value.startsWith('tree:')));
      // The top-level step block applies in both builds: bust enters the key.
      assert.ok(a.steps[2]?.inputs.some((i) => i.path === '(kiln.hcl) bust' && i.value === '"v2"'));
      assert.ok(b.steps[2]?.inputs.some((i) => i.path === '(kiln.hcl) bust'));

      const before = a.steps[1]?.key;
      await t.write('files/src/a', 'changed\n');
      const changed = build(await key(t.dir), 'docker.a');
      assert.notEqual(changed.steps[1]?.key, before, 'a declared input changed: the step misses');
      assert.equal(changed.steps[0]?.key, a.steps[0]?.key);
    } finally {
      await t.dispose();
    }
  });

  it('cache = false makes a barrier, bust on a build changes every key, and inputs do not lift breakpoint', async () => {
    const t = await templateDir({
      'build.pkr.hcl': TEMPLATE.replace('provisioner "shell-local" {\n    name   = "pack"', 'provisioner "breakpoint" {\n    name   = "pack"').replace('inline = ["tar cf files/app.tar files/src"]', 'disable = true'),
    });
    try {
      await t.write('kiln.hcl', 'build "docker.a" {\n  cache = false\n}\nbuild "docker.b" {\n  bust = "x"\n  step "1" {\n    cache = false\n  }\n  step "2" {\n    inputs = ["build.pkr.hcl"]\n  }\n}\n');
      const k = await key(t.dir);
      const none = await key(t.dir, { 'cache-config': path.join(t.dir, 'missing-is-an-error.hcl') });
      assert.equal(none.builds.length, 0);
      assert.match(none.diagnostics[0]?.summary ?? '', /Cannot read the step cache side file/);
      assert.equal(build(k, 'docker.a').base.barrier, 'cache = false in kiln.hcl:2');
      assert.equal(build(k, 'docker.b').steps[0]?.barrier, 'cache = false in kiln.hcl:7');
      assert.match(build(k, 'docker.b').steps[1]?.barrier ?? '', /breakpoint/);
      await t.write('kiln.hcl', 'build "docker.b" {\n  bust = "y"\n}\n');
      const y = build(await key(t.dir), 'docker.b');
      await t.write('kiln.hcl', 'build "docker.b" {\n  bust = "z"\n}\n');
      const z = build(await key(t.dir), 'docker.b');
      assert.notEqual(y.base.key, z.base.key);
      assert.notEqual(y.steps[2]?.key, z.steps[2]?.key);
    } finally {
      await t.dispose();
    }
  });

  it("a plugin provisioner (a runtime schema) is a barrier unless the side file declares its inputs, which then enter its key", async () => {
    const t = await templateDir({ 'roles/site.yml': '- hosts: all\n' });
    try {
      const ctx = { templateDir: t.dir, cwd: t.dir, secret: TEST_SECRET, sensitive: [] };
      const plugin = { kind: 'provisioner' as const, type: 'ansible-remote', schema: new RuntimeSpec({ kind: 'object', attributes: {} }), value: cty.objectVal({ extra: cty.stringVal('-v') }) };
      const parent = 'a'.repeat(64);
      const bare = await fingerprintComponent(plugin, parent, ctx);
      assert.match(bare.barrier ?? '', /plugin: kiln cannot see the files it reads/);
      const side = { inputs: ['roles'], inputsDir: t.dir };
      const vouched = await fingerprintComponent(plugin, parent, ctx, { side });
      assert.equal(vouched.barrier, undefined);
      assert.ok(vouched.inputs.some((i) => i.path === 'roles' && i.value.startsWith('tree:')));
      await t.write('roles/site.yml', '- hosts: web\n');
      assert.notEqual((await fingerprintComponent(plugin, parent, ctx, { side })).key, vouched.key);
    } finally {
      await t.dispose();
    }
  });

  it('affects = "guest" makes a shell-local step cacheable, keyed by its configuration; elsewhere it is a diagnostic', async () => {
    const t = await templateDir({ 'build.pkr.hcl': TEMPLATE });
    try {
      const none = await key(t.dir);
      assert.match(build(none, 'docker.a').barrier ?? '', /shell-local runs on this machine/);
      await t.write('kiln.hcl', 'build "docker.a" {\n  step "pack" {\n    affects = "guest"\n  }\n}\n');
      const k = await key(t.dir);
      assert.deepEqual(k.diagnostics, []);
      const a = build(k, 'docker.a');
      assert.equal(a.barrier, undefined, 'the whole chain is cacheable now');
      assert.match(build(k, 'docker.b').barrier ?? '', /shell-local/, 'docker.b was not named');
      assert.equal(a.steps[1]?.key, build(none, 'docker.a').steps[1]?.key, 'affects does not enter the key');
      await t.write('build.pkr.hcl', TEMPLATE.replace('tar cf files/app.tar files/src', 'tar czf files/app.tar files/src'));
      const edited = build(await key(t.dir), 'docker.a');
      assert.notEqual(edited.steps[1]?.key, a.steps[1]?.key, "the step's configuration is keyed");
      assert.equal(edited.steps[0]?.key, a.steps[0]?.key);

      await t.write('kiln.hcl', 'step "1" {\n  affects = "guest"\n}\nstep "pack" {\n  affects = "host"\n}\nstep "finish" {\n  affects = true\n}\n');
      const bad = await key(t.dir);
      const got = bad.diagnostics.map((d) => `${d.summary}@${d.subject?.start.line ?? '?'}`);
      assert.deepEqual([...new Set(got)].sort(), ['Invalid affects@1', 'Invalid affects@5', 'Invalid affects@8']);
      assert.match(bad.diagnostics.find((d) => d.subject?.start.line === 1)?.detail ?? '', /step 1 of docker\.a is a shell provisioner/);
      assert.match(bad.diagnostics.find((d) => d.subject?.start.line === 5)?.detail ?? '', /not built yet/);
    } finally {
      await t.dispose();
    }
  });

  it('mistakes are diagnostics pointing into kiln.hcl; with -only a build left out is not one', async () => {
    const t = await templateDir({ 'build.pkr.hcl': TEMPLATE });
    try {
      await t.write(
        'kiln.hcl',
        `build "docker.c" {}
build "docker.a" {
  ttl = 24
  step "7" {}
  step "fnish" {}
  step "file#2" {}
  step "1" {
    inputs = "files/x"
    cache  = "off"
  }
  nope = true
}
step {
}
`,
      );
      const k = await key(t.dir);
      const got = k.diagnostics.map((d) => `${d.summary}@${d.subject?.start.line ?? '?'}`);
      assert.deepEqual(got.sort(), ['Invalid cache@9', 'Invalid inputs@8', 'Invalid ttl@3', 'Missing selector for step@13', 'No such build@1', 'No such step@4', 'No such step@5', 'No such step@6', 'Unsupported argument@11'].sort());
      const text = (summary: string, line: number): string => k.diagnostics.find((d) => d.summary === summary && d.subject?.start.line === line)?.detail ?? '';
      assert.match(text('No such build', 1), /Did you mean "docker\.a"\?/);
      assert.match(text('No such step', 4), /docker\.a has 3 provisioners: 1 shell, 2 shell-local "pack", 3 shell "finish"/);
      assert.match(text('No such step', 5), /did you mean "finish"\?/);
      assert.match(text('No such step', 6), /Step 2 of docker\.a is a shell-local provisioner, not file/);
      assert.match(text('Unsupported argument', 11), /kiln\.hcl takes the attributes cache, bust and ttl/);
      assert.ok(k.diagnostics.every((d) => d.subject === undefined || d.subject.filename === 'kiln.hcl'));

      await t.write('kiln.hcl', 'build "docker.b" {\n  step "9" {}\n}\n');
      const only = await key(t.dir, { only: ['docker.a'] });
      assert.deepEqual(only.diagnostics, []);
      const bad = await key(t.dir, { 'cache-ttl': '1 day' });
      assert.match(bad.diagnostics[0]?.summary ?? '', /Invalid -cache-ttl/);
    } finally {
      await t.dispose();
    }
  });
});
