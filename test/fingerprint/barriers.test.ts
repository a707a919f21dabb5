import assert from 'node:assert/strict';
import { chmod, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { digestPath } from '../../src/core/fingerprint/files.js';
import { keyTemplate, templateDir } from './helpers.js';

describe('fingerprint: barriers and volatile expressions', () => {
  it('a null builder and shell-local are barriers; docker and shell are not', async () => {
    const t = await templateDir({
      'b.pkr.hcl': `
source "null" "n" {
  communicator = "none"
}
source "docker" "d" {
  image   = "debian:bookworm"
  discard = true
}
build {
  sources = ["source.null.n", "source.docker.d"]
  provisioner "shell-local" {
    inline = ["true"]
  }
}
`,
    });
    try {
      const builds = await keyTemplate(t.dir);
      const n = builds.find((b) => b.build === 'null.n');
      const d = builds.find((b) => b.build === 'docker.d');
      assert.ok(n && d);
      assert.equal(n.base.barrier, 'the null builder cannot snapshot its machine');
      assert.equal(n.barrier, n.base.barrier);
      assert.equal(d.base.barrier, undefined);
      assert.equal(d.steps[0]?.barrier, 'shell-local runs on this machine: kiln cannot tell what it changes');
      assert.equal(d.barrier, d.steps[0]?.barrier);
      // The same provisioner under two builds: chained from different bases, so different keys.
      assert.notEqual(n.steps[0]?.key, d.steps[0]?.key);
    } finally {
      await t.dispose();
    }
  });

  it('timestamp() and uuidv4() are named with file:line, directly and through a local', async () => {
    const t = await templateDir({
      'locals.pkr.hcl': `locals {\n  stamp = formatdate("YYYY", timestamp())\n  plain = "x"\n}\n`,
      'b.pkr.hcl': `
source "docker" "d" {
  image   = "debian:bookworm"
  discard = true
}
build {
  sources = ["source.docker.d"]
  provisioner "shell" {
    inline = ["echo \${uuidv4()}", "echo \${local.stamp}", "echo \${local.plain}"]
  }
  provisioner "shell" {
    inline = ["echo steady"]
  }
}
`,
    });
    try {
      const [a] = await keyTemplate(t.dir);
      assert.ok(a);
      assert.deepEqual(a.steps[0]?.volatile, ['uuidv4() (b.pkr.hcl:9)', 'local.stamp (b.pkr.hcl:9) uses timestamp() (locals.pkr.hcl:2)']);
      assert.deepEqual(a.steps[1]?.volatile, []);
      assert.deepEqual(a.volatile, a.steps[0]?.volatile);
      const [b] = await keyTemplate(t.dir);
      assert.ok(b);
      // uuidv4() gives a new value every run: the step and the later ones miss.
      assert.equal(b.base.key, a.base.key);
      assert.notEqual(b.steps[0]?.key, a.steps[0]?.key);
      assert.notEqual(b.steps[1]?.key, a.steps[1]?.key);
    } finally {
      await t.dispose();
    }
  });

  it('{{timestamp}} in a legacy JSON template is named by its attribute', async () => {
    const t = await templateDir({
      'b.json': JSON.stringify({
        builders: [{ type: 'docker', image: 'debian:bookworm', discard: true }],
        provisioners: [{ type: 'shell', inline: ['echo {{timestamp}}', 'echo steady'] }, { type: 'shell', inline: ['echo {{ uuid }}'] }],
      }),
    });
    try {
      const [a] = await keyTemplate(path.join(t.dir, 'b.json'));
      assert.ok(a);
      assert.deepEqual(a.steps[0]?.volatile, ['{{timestamp}} (in inline[0])']);
      assert.deepEqual(a.steps[1]?.volatile, ['{{ uuid }} (in inline[0])']);
    } finally {
      await t.dispose();
    }
  });

  it('a folder digest covers names, content, modes and links, not mtimes', async () => {
    const t = await templateDir({ 'tree/a.txt': 'a', 'tree/sub/b.txt': 'b' });
    try {
      const dir = path.join(t.dir, 'tree');
      const d0 = await digestPath(dir);
      assert.match(d0, /^tree:[0-9a-f]{64}$/);
      assert.equal(await digestPath(dir), d0);
      await chmod(path.join(dir, 'a.txt'), 0o755);
      const d1 = await digestPath(dir);
      assert.notEqual(d1, d0);
      await t.write('tree/sub/b.txt', 'B');
      const d2 = await digestPath(dir);
      assert.notEqual(d2, d1);
      await symlink('a.txt', path.join(dir, 'link'));
      const d3 = await digestPath(dir);
      assert.notEqual(d3, d2);
      assert.equal(await digestPath(path.join(t.dir, 'nothing')), 'missing');
      assert.match(await digestPath(path.join(dir, 'a.txt')), /^sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb$/);
    } finally {
      await t.dispose();
    }
  });
});
