// The step cache with the docker builder, end to end: bin/kiln against a real Docker
// engine (test/support/docker.ts) and a real Distribution registry. A 5-provisioner
// template (inline shell, file upload, script with a sensitive variable, a 20 MB write,
// echo) is built with -cache; each rebuild must rerun exactly the steps whose inputs
// changed and yield an image whose files equal an uncached build's. Then a second
// engine with an empty image store builds it from -cache-from and runs nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBusyboxImage, launchDockerEngine, startDockerEngine, type DockerEngine } from '../support/docker.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-cache-docker-'));
const cacheDir = path.join(work, 'cache');
const SECRET_1 = 'correct-horse-battery-1';
const SECRET_2 = 'tr0ub4dor-and-3-zebras';
let engine: DockerEngine;
let registry: Registry;
/** The base image as both engines pull it: from the registry. */
let base: string;

before(async () => {
  engine = await startDockerEngine();
  const local = await ensureBusyboxImage(engine);
  registry = await startRegistry();
  base = `${registry.address}/kiln-e2e/base:1`;
  engine.docker(['tag', local, base]);
  engine.docker(['push', base]);
});

after(async () => {
  // The base image keeps no name or digest of this test's registry (an engine shared with other tests).
  const names = spawnSync('docker', ['image', 'inspect', '--format', '{{range .RepoDigests}}{{.}} {{end}}', base], { env: engine.env, encoding: 'utf8' }).stdout;
  for (const name of [base, ...names.split(' ').filter((n) => n.startsWith(`${registry.address}/`))]) spawnSync('docker', ['rmi', name], { env: engine.env, stdio: 'ignore' });
  await registry?.stop();
  await engine?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly status: number | null;
  readonly out: string;
}

function kiln(e: DockerEngine, args: readonly string[], dir: string, secret: string, extra: Record<string, string> = {}): Run {
  const r = spawnSync(bin, [...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...e.env, PACKER_NO_COLOR: '1', PKR_VAR_secret: secret, XDG_CONFIG_HOME: path.join(work, 'config'), XDG_STATE_HOME: path.join(work, 'state'), ...extra },
    timeout: 300_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Packer 1.6.6's build of the same template on the same engine: the reference artifact. */
function packerBuild(dir: string, secret: string): string {
  const r = spawnSync('packer', ['build', '.'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...engine.env, PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1', PKR_VAR_secret: secret },
    timeout: 300_000,
  });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 0, out);
  return imageOf(out);
}

function build(e: DockerEngine, dir: string, secret: string, ...flags: string[]): Run {
  const r = kiln(e, ['build', ...flags, '.'], dir, secret);
  assert.equal(r.status, 0, r.out);
  return r;
}

/** `kiln cache explain` of the template as it is now (it starts nothing). */
function explain(dir: string, secret: string): string {
  const r = kiln(engine, ['cache', 'explain', `-cache-dir=${cacheDir}`, '.'], dir, secret);
  assert.equal(r.status, 0, r.out);
  return r.out;
}

function writeTemplate(dir: string, lastEcho: string): void {
  writeFileSync(
    path.join(dir, 'build.pkr.hcl'),
    `variable "secret" {
  type      = string
  sensitive = true
}

source "docker" "c" {
  image   = "${base}"
  pull    = true
  commit  = true
  changes = ["ENV GREETING=cached"]
}

build {
  sources = ["source.docker.c"]

  provisioner "shell" {
    inline = ["echo step-1-ran", "echo one > /one.txt"]
  }

  provisioner "file" {
    source      = "files/app.conf"
    destination = "/etc/app.conf"
  }

  provisioner "shell" {
    script           = "files/setup.sh"
    environment_vars = ["SECRET=\${var.secret}"]
  }

  provisioner "shell" {
    inline = ["echo step-4-ran", "busybox dd if=/dev/zero of=/big bs=1048576 count=20 2>/dev/null"]
  }

  provisioner "shell" {
    inline = ["echo step-5-ran", "echo '${lastEcho}' > /five.txt"]
  }
}
`,
  );
}

function project(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  writeTemplate(dir, 'five');
  writeFileSync(path.join(dir, 'files', 'app.conf'), 'mode = first\n');
  writeFileSync(path.join(dir, 'files', 'setup.sh'), '#!/bin/sh\necho step-3-ran\necho "$SECRET" | sha256sum > /secret.sha256\nmkdir -p /opt/s && cp /etc/app.conf /opt/s/\n');
  return dir;
}

/** Which of the 5 provisioners ran, from their output. */
function ran(out: string): number[] {
  const steps: number[] = [];
  if (out.includes('step-1-ran')) steps.push(1);
  if (/Uploading .*app\.conf => \/etc\/app\.conf/.test(out)) steps.push(2);
  for (const n of [3, 4, 5]) if (out.includes(`step-${n}-ran`)) steps.push(n);
  return steps;
}

function imageOf(out: string): string {
  const m = /Imported Docker image: (sha256:[0-9a-f]{64})/.exec(out);
  assert.ok(m?.[1], `no image was committed:\n${out}`);
  return m[1];
}

/** The image's files: path → type, mode, owner and content digest (mtimes left out), from `docker export`. */
function contentOf(e: DockerEngine, image: string): Map<string, string> {
  const id = e.docker(['create', image]).trim();
  try {
    const r = spawnSync('docker', ['export', id], { env: e.env, maxBuffer: 512 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr?.toString());
    return tarEntries(r.stdout);
  } finally {
    e.docker(['rm', id]);
  }
}

/** Reads a ustar archive: each entry's name → `type mode uid:gid sha256|linkname`. */
function tarEntries(tar: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number): string => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const num = (a: number, n: number): number => parseInt(str(a, n).trim() || '0', 8);
    const size = num(124, 12);
    const type = str(156, 1) || '0';
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x' || type === 'g') continue;
    const prefix = str(345, 155);
    const name = longName ?? (prefix !== '' ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = undefined;
    const what = type === '0' ? createHash('sha256').update(body).digest('hex') : str(157, 100);
    out.set(name.replace(/\/$/, ''), `${type} ${num(100, 8).toString(8)} ${num(108, 8)}:${num(116, 8)} ${what}`);
  }
  return out;
}

/** Image config fields that decide how a container of the image runs. */
function runConfigOf(e: DockerEngine, image: string): Record<string, unknown> {
  const c = JSON.parse(e.docker(['image', 'inspect', '--format', '{{json .Config}}', image])) as Record<string, unknown>;
  const { Hostname: _h, Image: _i, ...rest } = c;
  return rest;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

function assertNoSecret(where: string, text: string, secret: string): void {
  assert.ok(!text.includes(secret), `the sensitive value appears in ${where}`);
}

describe('step cache: docker builder', () => {
  let dir: string;
  let first: Run;
  let uncached: Map<string, string>;

  it("a cold -cache build runs every step, records each, and its image equals an uncached build's and Packer's", () => {
    dir = project('five');
    const plain = build(engine, dir, SECRET_1);
    assert.deepEqual(ran(plain.out), [1, 2, 3, 4, 5]);
    uncached = contentOf(engine, imageOf(plain.out));
    const packer = packerBuild(dir, SECRET_1);

    first = build(engine, dir, SECRET_1, '-cache', `-cache-dir=${cacheDir}`, `-cache-to=${registry.address}/kiln-e2e/cache`);
    assert.deepEqual(ran(first.out), [1, 2, 3, 4, 5]);
    const image = imageOf(first.out);
    assert.deepEqual(contentOf(engine, image), uncached);
    assert.deepEqual(contentOf(engine, packer), uncached);
    // The commits and swaps add nothing to the configuration (no label, no env): it is the
    // uncached build's, and Packer's but for CMD/ENTRYPOINT, which kiln's commit resets to
    // the base image's as the current docker plugin does (Packer 1.6.6 keeps run_command's).
    assert.deepEqual(runConfigOf(engine, image), runConfigOf(engine, imageOf(plain.out)));
    const { Cmd: _c, Entrypoint: _e, ...packerConfig } = runConfigOf(engine, packer);
    const { Cmd: _c2, Entrypoint: _e2, ...kilnConfig } = runConfigOf(engine, image);
    assert.deepEqual(kilnConfig, packerConfig);
    const labels = JSON.parse(engine.docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', image])) as Record<string, string> | null;
    assert.deepEqual(Object.keys(labels ?? {}), []);
    // The step images are tags only, one per step, and -cache-to pushed each.
    const recorded = [...first.out.matchAll(/recorded ([0-9a-f]{12})/g)].map((m) => m[1] ?? '');
    assert.equal(recorded.length, 5, first.out);
    const tags = engine.docker(['images', '--format', '{{.Tag}}', 'kiln-cache']).trim().split('\n');
    const pushed = spawnSync('curl', ['-s', `http://${registry.address}/v2/kiln-e2e/cache/tags/list`], { encoding: 'utf8' }).stdout;
    const remote = (JSON.parse(pushed) as { tags: string[] }).tags;
    for (const key of recorded) {
      assert.ok(tags.some((t) => t.startsWith(key) && t.length === 64), `no kiln-cache:${key}… image`);
      assert.ok(remote.some((t) => t.startsWith(`kiln-${key}`)), `kiln-${key}… was not pushed: ${pushed}`);
    }
  });

  it('a second run with no change runs no provisioner and gives an image identical in content', () => {
    const r = build(engine, dir, SECRET_1, '-cache', `-cache-dir=${cacheDir}`);
    assert.deepEqual(ran(r.out), []);
    assert.equal((r.out.match(/CACHED [0-9a-f]{12}/g) ?? []).length, 5, r.out);
    assert.deepEqual(contentOf(engine, imageOf(r.out)), uncached);
    // The run ledger keeps the step images: kiln gc leaves them, gc -kept would untag them.
    const stepImages = (): string[] => engine.docker(['images', '-q', 'kiln-cache']).trim().split('\n').sort();
    const before = stepImages();
    const gc = kiln(engine, ['gc'], dir, SECRET_1);
    assert.equal(gc.status, 0, gc.out);
    assert.deepEqual(stepImages(), before);
    const kept = kiln(engine, ['gc', '-dry-run', '-kept'], dir, SECRET_1);
    assert.match(kept.out, /image kiln-cache:[0-9a-f]{64}/, kept.out);
  });

  it('changing only the last provisioner reruns only it', () => {
    writeTemplate(dir, 'five, changed');
    assert.match(explain(dir, SECRET_1), /\[5\/5\] shell +[0-9a-f]{12} {2}miss: inline\[1\]: "echo 'five' > \/five\.txt" → "echo 'five, changed' > \/five\.txt"/);
    const r = build(engine, dir, SECRET_1, '-cache', `-cache-dir=${cacheDir}`);
    assert.deepEqual(ran(r.out), [5]);
    const content = contentOf(engine, imageOf(r.out));
    assert.match(content.get('five.txt') ?? '', /^0 /);
    assert.notEqual(content.get('five.txt'), uncached.get('five.txt'));
  });

  it('changing a file uploaded by step 2 reruns steps 2 to 5', () => {
    writeFileSync(path.join(dir, 'files', 'app.conf'), 'mode = second\n');
    assert.match(explain(dir, SECRET_1), /\[2\/5\] file +[0-9a-f]{12} {2}miss: files\/app\.conf: sha256 [0-9a-f]{4}… → [0-9a-f]{4}…/);
    const r = build(engine, dir, SECRET_1, '-cache', `-cache-dir=${cacheDir}`);
    assert.deepEqual(ran(r.out), [2, 3, 4, 5]);
  });

  it('changing a sensitive variable used by step 3 reruns steps 3 to 5, and the value is nowhere', () => {
    const explained = explain(dir, SECRET_2);
    assert.match(explained, /\[3\/5\] shell +[0-9a-f]{12} {2}miss: environment_vars\[0\]: changed \(sensitive\)/);
    const r = build(engine, dir, SECRET_2, '-cache', `-cache-dir=${cacheDir}`);
    assert.deepEqual(ran(r.out), [3, 4, 5]);
    for (const secret of [SECRET_1, SECRET_2]) {
      assertNoSecret('the build output', first.out + r.out, secret);
      assertNoSecret('cache explain', explained, secret);
      for (const f of filesUnder(cacheDir)) assertNoSecret(f, readFileSync(f).toString('latin1'), secret);
      for (const f of [...filesUnder(path.join(work, 'config')), ...filesUnder(path.join(work, 'state'))]) assertNoSecret(f, readFileSync(f).toString('latin1'), secret);
    }
    assert.ok(statSync(cacheDir).isDirectory());
  });

  it('a second engine with an empty image store builds from -cache-from and runs no provisioner', async () => {
    const second = await launchDockerEngine();
    try {
      assert.equal(second.docker(['images', '-q']).trim(), '');
      const fresh = project('five-elsewhere');
      const r = build(second, fresh, SECRET_1, '-cache', `-cache-dir=${path.join(work, 'cache-2')}`, `-cache-from=${registry.address}/kiln-e2e/cache`);
      assert.deepEqual(ran(r.out), []);
      assert.deepEqual(contentOf(second, imageOf(r.out)), uncached);
    } finally {
      await second.stop();
    }
  });
});

describe('step cache: docker builder, capture and quiescence', () => {
  it('with export_path, a full hit exports a container created (never started) from the last step image', () => {
    const dir = path.join(work, 'export');
    mkdirSync(dir, { recursive: true });
    const tar = path.join(dir, 'out', 'rootfs.tar');
    writeFileSync(
      path.join(dir, 'build.pkr.hcl'),
      `source "docker" "e" {
  image       = "${base}"
  export_path = "${tar}"
}
build {
  sources = ["source.docker.e"]
  provisioner "shell" { inline = ["echo step-1-ran", "echo exported > /exported.txt"] }
}
`,
    );
    const cold = build(engine, dir, SECRET_1, '-cache', `-cache-dir=${cacheDir}`);
    assert.deepEqual(ran(cold.out), [1]);
    const first = tarEntries(readFileSync(tar));
    assert.match(first.get('exported.txt') ?? '', /^0 /);
    rmSync(tar);
    const hit = build(engine, dir, SECRET_1, '-cache', `-cache-dir=${cacheDir}`);
    assert.deepEqual(ran(hit.out), []);
    assert.match(hit.out, /Creating the docker container from the cached image/);
    assert.deepEqual(tarEntries(readFileSync(tar)), first);
  });

  it('does not swap containers while a provisioner left a process running: the next step still sees it', () => {
    const dir = path.join(work, 'daemon');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'build.pkr.hcl'),
      `source "docker" "d" {
  image  = "${base}"
  commit = true
}
build {
  sources = ["source.docker.d"]
  provisioner "shell" { inline = ["echo step-1-ran", "busybox setsid busybox sleep 300 </dev/null >/dev/null 2>&1 &"] }
  provisioner "shell" { inline = ["echo step-3-ran", "ps | grep -q '[s]leep 300'", "echo seen > /seen.txt"] }
}
`,
    );
    const cold = build(engine, dir, SECRET_1, '-cache', `-cache-dir=${cacheDir}`);
    assert.deepEqual(ran(cold.out), [1, 3]);
    assert.match(cold.out, /Processes other than the container's first still run/);
    const hit = build(engine, dir, SECRET_1, '-cache', `-cache-dir=${cacheDir}`);
    assert.deepEqual(ran(hit.out), []);
    assert.match(contentOf(engine, imageOf(hit.out)).get('seen.txt') ?? '', /^0 /);
  });
});
