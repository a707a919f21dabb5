/**
 * Globs in the side file's `inputs`: a glob is keyed by what it matches (the sorted
 * matched set, modes and contents), never by its text (earthly#4046), and a glob that
 * matches nothing is a diagnostic pointing into kiln.hcl. Real files in a temp folder;
 * the template is loaded as kiln build loads it.
 */
import assert from 'node:assert/strict';
import { chmod, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCacheOptions } from '../../src/commands/cache-side-file.js';
import { loadAnyTemplate } from '../../src/commands/load-for-command.js';
import { diffInputs } from '../../src/core/fingerprint/diff.js';
import { fingerprintComponent } from '../../src/core/fingerprint/fingerprint.js';
import { expandGlob } from '../../src/core/fingerprint/glob.js';
import { diagnosticCode } from '../../src/core/ui/diagnostic-codes.js';
import * as cty from '../../src/hcl/cty/index.js';
import { RuntimeSpec } from '../../src/sdk/schema/spec.js';
import { builtinRegistry } from '../../src/plugins/registry.js';
import { templateDir, TEST_SECRET } from '../fingerprint/helpers.js';

const PLUGIN = { kind: 'provisioner' as const, type: 'ansible-remote', schema: new RuntimeSpec({ kind: 'object', attributes: {} }), value: cty.objectVal({ playbook: cty.stringVal('site.yml') }) };
const PARENT = 'a'.repeat(64);

describe('globs in kiln.hcl inputs', () => {
  it('a glob is keyed by the files it matches: adding, removing, renaming, changing or chmodding one misses; a file it does not match does not', async () => {
    const t = await templateDir({
      'tpl/requirements.yml': '- src: geerlingguy.docker\n',
      'shared-roles/web/tasks/main.yml': '- name: web\n',
      'shared-roles/db/tasks/main.yml': '- name: db\n',
      'tpl/notes.txt': 'not an input\n',
    });
    try {
      const dir = path.join(t.dir, 'tpl');
      const ctx = { templateDir: dir, cwd: dir, secret: TEST_SECRET, sensitive: [] };
      const side = { inputs: ['../shared-roles/**', 'requirements.yml'], inputsDir: dir };
      const keyNow = async (): Promise<string> => (await fingerprintComponent(PLUGIN, PARENT, ctx, { side })).key;
      const first = await fingerprintComponent(PLUGIN, PARENT, ctx, { side });
      assert.equal(first.barrier, undefined, 'declared inputs lift the plugin barrier');
      const shown = first.inputs.filter((i) => i.file === true).map((i) => i.path);
      assert.deepEqual(shown, ['../shared-roles/**', '../shared-roles/db/tasks/main.yml', '../shared-roles/web/tasks/main.yml', 'requirements.yml']);
      assert.match(first.inputs.find((i) => i.path === '../shared-roles/**')?.value ?? '', /^glob:[0-9a-f]{64}$/);
      const k0 = first.key;
      assert.equal(await keyNow(), k0, 'the same files give the same key');

      await t.write('tpl/notes.txt', 'changed, but matched by no input\n');
      await t.write('shared-roles-old/web/tasks/main.yml', 'a sibling folder the glob does not reach\n');
      assert.equal(await keyNow(), k0, 'files the glob does not match leave the key alone');

      await t.write('shared-roles/web/tasks/extra.yml', '- name: extra\n');
      const added = await keyNow();
      assert.notEqual(added, k0, 'a new matched file misses');
      await rm(path.join(t.dir, 'shared-roles/web/tasks/extra.yml'));
      assert.equal(await keyNow(), k0, 'removing it again gives the first key back');

      await rm(path.join(t.dir, 'shared-roles/db/tasks/main.yml'));
      assert.notEqual(await keyNow(), k0, 'a removed matched file misses');
      await t.write('shared-roles/db/tasks/main.yml', '- name: db\n');
      assert.equal(await keyNow(), k0);

      await rename(path.join(t.dir, 'shared-roles/db/tasks/main.yml'), path.join(t.dir, 'shared-roles/db/tasks/renamed.yml'));
      assert.notEqual(await keyNow(), k0, 'a renamed matched file (same content) misses');
      await rename(path.join(t.dir, 'shared-roles/db/tasks/renamed.yml'), path.join(t.dir, 'shared-roles/db/tasks/main.yml'));

      await t.write('shared-roles/web/tasks/main.yml', '- name: web, changed\n');
      const changed = await fingerprintComponent(PLUGIN, PARENT, ctx, { side });
      assert.notEqual(changed.key, k0, 'a changed matched file misses');
      const said = diffInputs(first.inputs, changed.inputs);
      assert.equal(said.length, 2, said.join('\n'));
      assert.match(said[0] ?? '', /^\.\.\/shared-roles\/\*\*: glob [0-9a-f]{4}… → [0-9a-f]{4}…$/);
      assert.match(said[1] ?? '', /^\.\.\/shared-roles\/web\/tasks\/main\.yml: sha256 [0-9a-f]{4}… → [0-9a-f]{4}…$/, 'explain names the file that changed');
      await t.write('shared-roles/web/tasks/main.yml', '- name: web\n');
      assert.equal(await keyNow(), k0);

      await chmod(path.join(t.dir, 'shared-roles/web/tasks/main.yml'), 0o755);
      assert.notEqual(await keyNow(), k0, 'a mode change of a matched file misses');
    } finally {
      await t.dispose();
    }
  });

  it("fileset()'s globs: * and ? stay in a folder, ** spans folders, classes and alternatives; folders are not matched, links are", async () => {
    const t = await templateDir({ 'files/a.tar': 'a', 'files/b.tgz': 'b', 'files/sub/c.tar': 'c', 'files/.hidden.tar': 'h', 'files/v1.txt': '1', 'files/v2.txt': '2', 'files/vx.txt': 'x' });
    try {
      await symlink(path.join(t.dir, 'files/sub'), path.join(t.dir, 'files/link'));
      const names = (p: string): string[] | undefined => expandGlob(t.dir, p)?.map((m) => m.shown);
      assert.deepEqual(names('files/*.tar'), ['files/.hidden.tar', 'files/a.tar']);
      assert.deepEqual(names('files/**/*.tar'), ['files/.hidden.tar', 'files/a.tar', 'files/sub/c.tar']);
      assert.deepEqual(names('files/*.{tar,tgz}'), ['files/.hidden.tar', 'files/a.tar', 'files/b.tgz']);
      assert.deepEqual(names('files/v[0-9].txt'), ['files/v1.txt', 'files/v2.txt']);
      assert.deepEqual(names('files/v[!1].txt'), ['files/v2.txt', 'files/vx.txt']);
      assert.deepEqual(names('files/v?.txt'), ['files/v1.txt', 'files/v2.txt', 'files/vx.txt']);
      assert.deepEqual(names('files/l*'), ['files/link'], 'a link is matched as itself; its folder is not walked');
      assert.deepEqual(names('nowhere/**'), []);
      assert.equal(names('files/[a.tar'), undefined, 'a malformed glob');
    } finally {
      await t.dispose();
    }
  });

  it('a glob that matches nothing is a catalogued diagnostic naming kiln.hcl and the line', async () => {
    const template = 'source "docker" "a" {\n  image   = "debian:bookworm"\n  discard = true\n}\nbuild {\n  sources = ["source.docker.a"]\n  provisioner "shell-local" {\n    inline = ["true"]\n  }\n}\n';
    const t = await templateDir({ 'build.pkr.hcl': template, 'files/app.tar': 'x' });
    try {
      await t.write('kiln.hcl', 'step "1" {\n  inputs = [\n    "files/*.tar",\n    "roles/**",\n    "files/[x",\n  ]\n}\n');
      const values = new Map<string, string | string[]>();
      const io = { stdout: () => undefined, stderr: () => undefined, env: process.env, cwd: t.dir };
      const loaded = await loadAnyTemplate(t.dir, { values, positional: [t.dir] }, io, builtinRegistry());
      assert.ok(loaded.model, loaded.failure);
      const options = loadCacheOptions(values, t.dir, loaded.model);
      assert.equal(options.side, undefined, 'a side file with an error stops the command');
      assert.deepEqual(options.diagnostics.map((x) => `${x.summary}@${x.subject?.start.line ?? '?'}`), ['Glob matches nothing@4', 'Invalid inputs@5']);
      const d = options.diagnostics[0];
      assert.equal(d?.summary, 'Glob matches nothing');
      assert.equal(d?.subject?.filename, 'kiln.hcl');
      assert.equal(d?.subject?.start.line, 4);
      assert.match(d?.detail ?? '', /"roles\/\*\*" matches no file under the folder of kiln\.hcl/);
      assert.ok(d && diagnosticCode(d.summary) === 'COMMAND_CACHE_SIDE_FILE_GLOB_MATCHES_NOTHING');

      await t.write('roles/web/main.yml', '- name: web\n');
      await t.write('kiln.hcl', 'step "1" {\n  inputs = [\n    "files/*.tar",\n    "roles/**",\n  ]\n}\n');
      const fixed = loadCacheOptions(values, t.dir, loaded.model);
      assert.deepEqual(fixed.diagnostics, []);
      assert.deepEqual(fixed.side?.get('docker.a')?.steps[0]?.inputs, ['files/*.tar', 'roles/**']);
    } finally {
      await t.dispose();
    }
  });
});
