// `kiln cache explain` (bin/kiln over dist/) against a step cache that real `kiln build
// -cache` runs of a docker template recorded (real dockerd, the busybox test image):
// every step CACHED after a build, then for each kind of change the step that misses
// and the input named — an uploaded file's digest, an inline line, a sensitive
// variable only as "changed (sensitive)", the builder's config at the base — and no
// secret in its output or in the cache folder. explain starts no container.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DockerEngine } from '../support/docker.js';
import { ensureBusyboxImage, startDockerEngine } from '../support/docker.js';
import type { KilnRun } from '../support/packer-command.js';
import { runKiln } from '../support/packer-command.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-explain-'));
const dir = path.join(tmp, 'tpl');
const cache = path.join(tmp, 'cache');
const SECRET = 'expl41n-s3cret-value';
let engine: DockerEngine;
let image = '';

const write = (name: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text);
};

function template(opts: { inline?: string; changes?: string } = {}): string {
  return `
variable "token" {
  type      = string
  default   = "${SECRET}"
  sensitive = true
}
source "docker" "box" {
  image   = "${image}"
  pull    = false
  commit  = true
  changes = ["${opts.changes ?? 'ENV STAGE=one'}"]
}
build {
  sources = ["source.docker.box"]
  provisioner "shell" {
    inline = ["${opts.inline ?? 'echo one > /tmp/one'}"]
  }
  provisioner "file" {
    source      = "\${path.root}/files/app.conf"
    destination = "/tmp/app.conf"
  }
  provisioner "shell" {
    environment_vars = ["TOKEN=\${var.token}"]
    inline           = ["test -n \\"$TOKEN\\""]
  }
}
`;
}

const kiln = (args: readonly string[]): KilnRun =>
  runKiln(args, { cwd: dir, env: { ...(engine.env as Record<string, string>), XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_STATE_HOME: path.join(tmp, 'state'), KILN_CACHE_DIR: cache } });

function build(...vars: string[]): void {
  const r = kiln(['build', '-cache', ...vars, '.']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
}

function explain(...vars: string[]): string {
  const r = kiln(['cache', 'explain', ...vars, '.']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET));
  assert.ok(!r.stdout.includes('another-s3cret') && !r.stderr.includes('another-s3cret'));
  return r.stdout;
}

/** The status words of each line of build `docker.box`: `[base] as recorded`, `[1/3] CACHED`, ... */
function statuses(text: string): string[] {
  return [...text.matchAll(/^ {2}(\[[^\]]+\]) \S+ +(?:[0-9a-f]{12}|\?) +(CACHED|miss|as recorded|not cached)/gm)].map((m) => `${m[1]} ${m[2]}`);
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

describe('kiln cache explain', () => {
  before(async () => {
    engine = await startDockerEngine();
    image = await ensureBusyboxImage(engine);
    write('files/app.conf', 'port=80\n');
    write('build.pkr.hcl', template());
  });
  after(async () => {
    const images = engine.docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', 'kiln-cache']).split('\n').filter((l) => l !== '');
    if (images.length > 0) engine.docker(['image', 'rm', '-f', ...images]);
    await engine.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('says nothing is recorded before the first build', () => {
    const text = explain();
    assert.match(text, /nothing recorded for this build yet/);
    assert.deepEqual(statuses(text), ['[base] miss', '[1/3] miss', '[2/3] miss', '[3/3] miss']);
  });

  it('after kiln build -cache, every step is CACHED', () => {
    build();
    const text = explain();
    assert.deepEqual(statuses(text), ['[base] as recorded', '[1/3] CACHED', '[2/3] CACHED', '[3/3] CACHED'], text);
    assert.match(text, /3 of 3 steps would be reused\./);
  });

  it('a changed uploaded file misses step 2 with its digests, and step 3 after it', () => {
    const before = readFileSync(path.join(dir, 'files/app.conf'));
    write('files/app.conf', 'port=8080\n');
    try {
      const text = explain();
      assert.deepEqual(statuses(text), ['[base] as recorded', '[1/3] CACHED', '[2/3] miss', '[3/3] miss'], text);
      assert.match(text, /\[2\/3\] file +[0-9a-f]{12} {2}miss: files\/app\.conf: sha256 [0-9a-f]{4}… → [0-9a-f]{4}…/);
      assert.match(text, /\[3\/3\] shell +[0-9a-f]{12} {2}miss: an earlier step changed/);
    } finally {
      writeFileSync(path.join(dir, 'files/app.conf'), before);
    }
  });

  it('a changed inline line is shown before and after', () => {
    write('build.pkr.hcl', template({ inline: 'echo two > /tmp/one' }));
    try {
      const text = explain();
      assert.deepEqual(statuses(text), ['[base] as recorded', '[1/3] miss', '[2/3] miss', '[3/3] miss'], text);
      assert.match(text, /\[1\/3\] shell +[0-9a-f]{12} {2}miss: inline\[0\]: "echo one > \/tmp\/one" → "echo two > \/tmp\/one"/);
    } finally {
      write('build.pkr.hcl', template());
    }
  });

  it('a changed sensitive variable is named without its value, nor its HMAC', () => {
    const text = explain('-var', 'token=another-s3cret');
    assert.deepEqual(statuses(text), ['[base] as recorded', '[1/3] CACHED', '[2/3] CACHED', '[3/3] miss'], text);
    assert.match(text, /\[3\/3\] shell +[0-9a-f]{12} {2}miss: environment_vars\[0\]: changed \(sensitive\)/);
    assert.ok(!/hmac/.test(text));
  });

  it("a change in the builder's config misses at the base", () => {
    write('build.pkr.hcl', template({ changes: 'ENV STAGE=two' }));
    try {
      const text = explain();
      assert.deepEqual(statuses(text), ['[base] miss', '[1/3] miss', '[2/3] miss', '[3/3] miss'], text);
      assert.match(text, /\[base\] docker +[0-9a-f]{12} {2}miss: changes\[0\]: "ENV STAGE=one" → "ENV STAGE=two"/);
    } finally {
      write('build.pkr.hcl', template());
    }
  });

  it('-cache-bust misses every step until a build records them with it', () => {
    const text = explain('-cache-bust', 'v2');
    assert.deepEqual(statuses(text), ['[base] miss', '[1/3] miss', '[2/3] miss', '[3/3] miss'], text);
    assert.match(text, /\[base\] docker +[0-9a-f]{12} {2}miss: \(bust\): added \("v2"\)/);
    build('-cache-bust=v2');
    assert.deepEqual(statuses(explain('-cache-bust', 'v2')), ['[base] as recorded', '[1/3] CACHED', '[2/3] CACHED', '[3/3] CACHED']);
    // The entries recorded without a bust value are still there for builds without one.
    assert.deepEqual(statuses(explain()), ['[base] as recorded', '[1/3] CACHED', '[2/3] CACHED', '[3/3] CACHED']);
  });

  it('the cache folder holds no secret in clear', () => {
    for (const f of filesUnder(cache)) assert.ok(!readFileSync(f).includes(SECRET), f);
  });
});
