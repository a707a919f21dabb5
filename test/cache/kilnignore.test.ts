/**
 * `.kilnignore` for folders hashed whole: a change to a file it ignores leaves the key
 * alone (the next build hits), a change to anything else misses. Real files in a temp
 * folder; the template is loaded and keyed as kiln build keys it.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fingerprintComponent } from '../../src/core/fingerprint/fingerprint.js';
import * as cty from '../../src/hcl/cty/index.js';
import { RuntimeSpec } from '../../src/sdk/schema/spec.js';
import { keysOf, keyTemplate, templateDir, TEST_SECRET } from '../fingerprint/helpers.js';

const TEMPLATE = `
source "docker" "a" {
  image   = "debian:bookworm"
  discard = true
}
build {
  sources = ["source.docker.a"]
  provisioner "file" {
    source      = "\${path.root}/files/"
    destination = "/opt/app"
  }
}
`;

const FILES = {
  'build.pkr.hcl': TEMPLATE,
  'files/app.js': 'console.log(1)\n',
  'files/debug.log': 'noise\n',
  'files/keep.log': 'kept\n',
  'files/node_modules/x/index.js': 'x\n',
  'files/build/out.bin': 'bin\n',
  'files/sub/deep/scratch.tmp': 'tmp\n',
  'files/sub/deep/important.tmp': 'important\n',
  'files/cache': 'a file, not a folder\n',
};

/** Template-level rules: relative to the template's folder. */
const TEMPLATE_IGNORE = `# logs and dependencies
*.log
!keep.log
node_modules/
/files/build
**/*.tmp
cache/
`;

describe('.kilnignore', () => {
  it('a folder input leaves out what .kilnignore says: ignored changes keep the key, the rest miss', async () => {
    const t = await templateDir(FILES);
    try {
      const stepKey = async (): Promise<string> => {
        const [b] = await keyTemplate(t.dir);
        assert.ok(b);
        return keysOf(b)[1] as string;
      };
      const without = await stepKey();
      await t.write('.kilnignore', TEMPLATE_IGNORE);
      // The folder's own file: its verdict wins over the template folder's.
      await t.write('files/.kilnignore', '!important.tmp\n');
      const k0 = await stepKey();
      assert.notEqual(k0, without, 'the ignored files left the digest');

      const same: [string, string][] = [
        ['files/debug.log', 'more noise\n'],
        ['files/node_modules/x/index.js', 'x2\n'],
        ['files/node_modules/y/new.js', 'new\n'],
        ['files/build/out.bin', 'bin2\n'],
        ['files/sub/deep/scratch.tmp', 'tmp2\n'],
      ];
      for (const [file, text] of same) {
        await t.write(file, text);
        assert.equal(await stepKey(), k0, `${file} is ignored: the key stays (a hit)`);
      }
      const misses: [string, string][] = [
        ['files/keep.log', 'kept, changed\n'],
        ['files/app.js', 'console.log(2)\n'],
        ['files/sub/deep/important.tmp', 'changed\n'],
        ['files/cache', 'a file: cache/ names folders only\n'],
        ['files/sub/build/out.bin', '/files/build is anchored to the template folder\n'],
      ];
      let last = k0;
      for (const [file, text] of misses) {
        await t.write(file, text);
        const k = await stepKey();
        assert.notEqual(k, last, `${file} is not ignored: the step misses`);
        last = k;
      }

      await rm(path.join(t.dir, '.kilnignore'));
      assert.notEqual(await stepKey(), last, 'without the template-level file, the logs and modules count again');
    } finally {
      await t.dispose();
    }
  });

  it("a folder in kiln.hcl's inputs honours its own .kilnignore, also outside the template folder", async () => {
    const t = await templateDir({ 'shared/roles/site.yml': '- hosts: all\n', 'shared/roles/site.retry': 'web1\n', 'shared/roles/.kilnignore': '*.retry\n', 'tpl/kiln.hcl': '' });
    try {
      const dir = path.join(t.dir, 'tpl');
      const ctx = { templateDir: dir, cwd: dir, secret: TEST_SECRET, sensitive: [] };
      const plugin = { kind: 'provisioner' as const, type: 'ansible-remote', schema: new RuntimeSpec({ kind: 'object', attributes: {} }), value: cty.objectVal({}) };
      const side = { inputs: ['../shared/roles'], inputsDir: dir };
      const keyNow = async (): Promise<string> => (await fingerprintComponent(plugin, 'b'.repeat(64), ctx, { side })).key;
      const k0 = await keyNow();
      await t.write('shared/roles/site.retry', 'web1\nweb2\n');
      assert.equal(await keyNow(), k0, 'an ignored file changed: the key stays');
      await t.write('shared/roles/site.yml', '- hosts: web\n');
      assert.notEqual(await keyNow(), k0, 'a kept file changed: the step misses');
    } finally {
      await t.dispose();
    }
  });
});
