// The step cache's side file (kiln.hcl), -cache-ttl and -cache-from's local entries,
// end to end: bin/kiln against a real Docker engine (test/support/docker.ts) and, for
// -cache-from, a real Distribution registry (test/support/registry.ts). A 3-step
// template: shell, a shell-local named "pack" that reads files/x, shell. Which steps ran
// is read from their output (`step-N-ran`). TTL expiry is tested by BACKDATING the
// recorded time (`created`) inside an entry file, not by waiting.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBusyboxImage, startDockerEngine, type DockerEngine } from '../support/docker.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-cache-side-'));
let engine: DockerEngine;
let image: string;
let projects = 0;

before(async () => {
  engine = await startDockerEngine();
  image = await ensureBusyboxImage(engine);
});

after(async () => {
  // Step images of this file's templates: their keys are in this file's cache folders.
  for (const key of keysUnder(work)) spawnSync('docker', ['rmi', `kiln-cache:${key}`], { env: engine.env, stdio: 'ignore' });
  await engine?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Project {
  readonly dir: string;
  readonly cache: string;
}

/** A template folder with its own cache folder; `mark` makes its keys unique to the test. */
function project(mark: string, side?: string): Project {
  const dir = path.join(work, `p${++projects}`);
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  writeFileSync(path.join(dir, 'files', 'x'), 'first\n');
  writeFileSync(
    path.join(dir, 'build.pkr.hcl'),
    `source "docker" "app" {
  image  = "${image}"
  pull   = false
  commit = true
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ["echo step-1-ran", "echo ${mark} > /one"]
  }

  provisioner "shell-local" {
    name   = "pack"
    inline = ["echo step-2-ran", "cat files/x"]
  }

  provisioner "shell" {
    inline = ["echo step-3-ran", "echo three > /three"]
  }
}
`,
  );
  if (side !== undefined) writeFileSync(path.join(dir, 'kiln.hcl'), side);
  return { dir, cache: path.join(dir, '.cache') };
}

interface Run {
  readonly status: number | null;
  readonly out: string;
}

function kiln(p: Project, ...args: string[]): Run {
  const r = spawnSync(bin, args, {
    cwd: p.dir,
    encoding: 'utf8',
    env: { ...engine.env, PACKER_NO_COLOR: '1', KILN_CACHE_DIR: p.cache, XDG_CONFIG_HOME: path.join(work, 'config'), XDG_STATE_HOME: path.join(work, 'state') },
    timeout: 300_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

function build(p: Project, ...flags: string[]): Run {
  const r = kiln(p, 'build', ...flags, '.');
  assert.equal(r.status, 0, r.out);
  return r;
}

function ran(out: string): number[] {
  return [1, 2, 3].filter((n) => out.includes(`step-${n}-ran`));
}

/** Entry files of a cache folder, by step index. */
function entries(cache: string): Map<number, string> {
  const out = new Map<number, string>();
  const root = path.join(cache, 'entries');
  for (const sub of safeList(root)) {
    for (const name of safeList(path.join(root, sub))) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(root, sub, name);
      out.set((JSON.parse(readFileSync(file, 'utf8')) as { index: number }).index, file);
    }
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function keysUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).flatMap((f) => /entries\/[0-9a-f]{2}\/([0-9a-f]{64})\.json$/.exec(f)?.[1] ?? []);
}

/** Moves an entry's recorded time `ms` into the past (the stand-in for a clock that moved on). */
function backdate(file: string, ms: number): void {
  const e = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  e['created'] = new Date(Date.now() - ms).toISOString();
  writeFileSync(file, JSON.stringify(e));
}

const HOUR = 3_600_000;

describe('step cache side file (kiln.hcl), docker', () => {
  it('without inputs, shell-local is a barrier; with inputs it is cached, and a change to the declared file reruns it and what follows', () => {
    const p = project('inputs');
    assert.deepEqual(ran(build(p, '-cache').out), [1, 2, 3]);
    const again = build(p, '-cache');
    assert.deepEqual(ran(again.out), [2, 3]);
    assert.match(again.out, /shell-local runs on this machine/);

    writeFileSync(path.join(p.dir, 'kiln.hcl'), 'build "docker.app" {\n  step "pack" {\n    inputs = ["files/x"]\n  }\n}\n');
    assert.deepEqual(ran(build(p, '-cache').out), [2, 3]);
    const hit = build(p, '-cache');
    assert.deepEqual(ran(hit.out), []);
    assert.match(hit.out, /\[2\/3\] shell-local: CACHED/);

    writeFileSync(path.join(p.dir, 'files', 'x'), 'second\n');
    const explained = kiln(p, 'cache', 'explain', '.');
    assert.equal(explained.status, 0, explained.out);
    assert.match(explained.out, /\[2\/3\] shell-local\s+[0-9a-f]{12}\s+miss: files\/x: sha256 [0-9a-f]+… → [0-9a-f]+…/);
    assert.deepEqual(ran(build(p, '-cache').out), [2, 3]);
  });

  it('a glob input and a folder input with .kilnignore: ignored and unmatched files hit, matched and kept ones miss', () => {
    const p = project('glob', 'build "docker.app" {\n  step "pack" {\n    inputs = ["files", "extra/*.yml"]\n  }\n}\n');
    mkdirSync(path.join(p.dir, 'extra'));
    writeFileSync(path.join(p.dir, 'extra', 'a.yml'), 'a: 1\n');
    writeFileSync(path.join(p.dir, 'files', '.kilnignore'), '# editor and log noise\n*.log\n');
    assert.deepEqual(ran(build(p, '-cache').out), [1, 2, 3]);
    assert.deepEqual(ran(build(p, '-cache').out), []);

    writeFileSync(path.join(p.dir, 'files', 'debug.log'), 'noise\n');
    writeFileSync(path.join(p.dir, 'extra', 'notes.txt'), 'not matched\n');
    assert.deepEqual(ran(build(p, '-cache').out), [], 'an ignored file and an unmatched one: every step hits');

    writeFileSync(path.join(p.dir, 'extra', 'b.yml'), 'b: 2\n');
    const explained = kiln(p, 'cache', 'explain', '.');
    assert.match(explained.out, /extra\/b\.yml: added/);
    assert.deepEqual(ran(build(p, '-cache').out), [2, 3], 'a new file the glob matches reruns the step and what follows');

    writeFileSync(path.join(p.dir, 'files', 'x'), 'second\n');
    assert.deepEqual(ran(build(p, '-cache').out), [2, 3], 'a kept file of the folder changed');
  });

  it('affects = "guest": a shell-local that changes the container is cached, and its effect comes back from the snapshot', () => {
    const p = project('affects', 'step "pack" {\n  affects = "guest"\n}\n');
    const template = (last: string): string =>
      readFileSync(path.join(p.dir, 'build.pkr.hcl'), 'utf8')
        .replace('inline = ["echo step-2-ran", "cat files/x"]', `inline = ["echo step-2-ran", "docker exec \${build.ID} sh -c 'echo seeded-by-host > /seed'"]`)
        .replace(/inline = \["echo step-3-ran", [^\]]*\]/, `inline = ["echo step-3-ran", "${last}"]`);
    writeFileSync(path.join(p.dir, 'build.pkr.hcl'), template('cat /seed'));
    const first = build(p, '-cache');
    assert.deepEqual(ran(first.out), [1, 2, 3]);
    assert.match(first.out, /seeded-by-host/);
    const again = build(p, '-cache');
    assert.deepEqual(ran(again.out), [], 'the shell-local is cached like a guest step');
    assert.match(again.out, /\[2\/3\] shell-local: CACHED/);

    writeFileSync(path.join(p.dir, 'build.pkr.hcl'), template('cat /seed /one'));
    const third = build(p, '-cache');
    assert.deepEqual(ran(third.out), [3], 'only the changed last step runs');
    assert.match(third.out, /seeded-by-host/, "step 3 runs on step 2's snapshot, which holds the shell-local's effect");
  });

  it('cache = false on a step reruns it on every build, and nothing after it is cached', () => {
    // cache = false wins over inputs; the build is named by its source here.
    const p = project('barrier', 'build "source.docker.app" {\n  step "shell-local#2" {\n    inputs = ["files/x"]\n    cache  = false\n  }\n}\n');
    assert.deepEqual(ran(build(p, '-cache').out), [1, 2, 3]);
    const again = build(p, '-cache');
    assert.deepEqual(ran(again.out), [2, 3]);
    assert.match(again.out, /\[2\/3\] shell-local: not cached: cache = false in kiln\.hcl:4: steps 2–3 run without the cache/);
    assert.deepEqual([...entries(p.cache).keys()], [1]);
    const explained = kiln(p, 'cache', 'explain', '.');
    assert.match(explained.out, /\[2\/3\] shell-local\s+[0-9a-f]{12}\s+not cached: cache = false in kiln\.hcl:4/);
  });

  it("a step's ttl and -cache-ttl make an older entry a miss, and the step is recorded afresh", () => {
    const p = project('ttl', 'build "docker.app" {\n  step "3" {\n    ttl = "1h"\n  }\n  step "pack" {\n    inputs = ["files/x"]\n  }\n}\n');
    assert.deepEqual(ran(build(p, '-cache').out), [1, 2, 3]);
    backdate(entries(p.cache).get(3) as string, 2 * HOUR);
    const explained = kiln(p, 'cache', 'explain', '.');
    assert.match(explained.out, /\[3\/3\] shell\s+[0-9a-f]{12}\s+miss: expired: recorded 2h ago, ttl 1h in kiln\.hcl:3/);
    const expired = build(p, '-cache');
    assert.deepEqual(ran(expired.out), [3]);
    assert.match(expired.out, /\[3\/3\] shell: miss: expired: recorded 2h ago, ttl 1h in kiln\.hcl:3/);
    assert.deepEqual(ran(build(p, '-cache').out), [], 'the rerun recorded a fresh entry');

    // -cache-ttl applies to every step; the shorter of the two wins.
    backdate(entries(p.cache).get(1) as string, 45 * 60_000);
    const flag = build(p, '-cache', '-cache-ttl=30m');
    assert.deepEqual(ran(flag.out), [1, 2, 3]);
    assert.match(flag.out, /\[1\/3\] shell: miss: expired: recorded 45m ago, -cache-ttl 30m/);
    assert.deepEqual(ran(build(p, '-cache', '-cache-ttl=30m').out), []);
  });

  it('bad side files and -cache-ttl values are diagnostics naming the file and line; nothing runs', () => {
    const p = project('diagnostics', 'build "docker.app" {\n  ttl = "24x"\n  step "shel#3" {\n    cache = false\n  }\n  colour = "blue"\n}\nbuild "docker.ap" {}\n');
    const r = kiln(p, 'build', '-cache', '.');
    assert.equal(r.status, 1, r.out);
    assert.deepEqual(ran(r.out), []);
    assert.match(r.out, /Error: Invalid ttl\n\n {2}on kiln\.hcl line 2, in build "docker\.app":/);
    assert.match(r.out.replace(/\s+/g, ' '), /ttl must be a duration such as "30m", "24h" or "7d"/);
    assert.match(r.out, /Error: No such step\n\n {2}on kiln\.hcl line 3/);
    const flat = r.out.replace(/\s+/g, ' ');
    assert.match(flat, /Step 3 of docker\.app is a shell provisioner, not shel\./);
    assert.match(r.out, /Error: Unsupported argument\n\n {2}on kiln\.hcl line 6/);
    assert.match(r.out, /Error: No such build\n\n {2}on kiln\.hcl line 8/);
    assert.match(flat, /Did you mean "docker\.app"\?/);
    // plan and explain read the same file and stop the same way.
    assert.equal(kiln(p, 'plan', '.').status, 1);
    assert.equal(kiln(p, 'cache', 'explain', '.').status, 1);
    const badTtl = kiln(p, 'build', '-cache', '-cache-ttl=soon', '-cache-config=/nonexistent/kiln.hcl', '.');
    assert.equal(badTtl.status, 1);
    assert.match(badTtl.out, /Invalid -cache-ttl/);
    const missing = kiln(p, 'build', '-cache', '-cache-config=other.hcl', '.');
    assert.equal(missing.status, 1);
    assert.match(missing.out, /Cannot read the step cache side file/);
  });

  it('explain and build agree on the keys the side file changes; plan keys them with it too', () => {
    const p = project('keys', 'build "docker.app" {\n  step "1" {\n    bust = "2026-12"\n  }\n  step "pack" {\n    inputs = ["files/x"]\n  }\n}\n');
    const r = build(p, '-cache');
    const recorded = [...entries(p.cache)].sort((a, b) => a[0] - b[0]).map(([, f]) => (JSON.parse(readFileSync(f, 'utf8')) as { key: string }).key.slice(0, 12));
    assert.equal(recorded.length, 3);
    for (const k of recorded) assert.match(r.out, new RegExp(`recorded ${k}`));
    // plan keys the base by the configured image reference (it contacts nothing), so its
    // keys differ from build's; it must still key the side file's inputs and busts.
    const plan = kiln(p, 'plan', '.');
    assert.match(plan.out, /2\. shell-local \(pack\)\s+[0-9a-f]{12}\s+files\/x sha256:/);
    const explained = kiln(p, 'cache', 'explain', '.');
    for (const k of recorded) assert.match(explained.out, new RegExp(`${k}\\s+CACHED`));
    writeFileSync(path.join(p.dir, 'kiln.hcl'), 'build "docker.app" {\n  step "1" {\n    bust = "2027-01"\n  }\n  step "pack" {\n    inputs = ["files/x"]\n  }\n}\n');
    const changed = kiln(p, 'cache', 'explain', '.');
    assert.match(changed.out, /\[1\/3\] shell\s+[0-9a-f]{12}\s+miss: \(kiln\.hcl\) bust: "2026-12" → "2027-01"/);
    // Without a cache flag the build runs as before, and its -metadata-file fingerprint is plan's.
    const meta = path.join(p.dir, 'metadata.json');
    const plain = build(p, `-metadata-file=${meta}`);
    assert.deepEqual(ran(plain.out), [1, 2, 3]);
    const planJson = kiln(p, 'plan', '-json', '.');
    const planned = (JSON.parse(planJson.out) as { builds: { name: string; fingerprint: string }[] }).builds[0];
    const metadata = JSON.parse(readFileSync(meta, 'utf8')) as { builds: Record<string, { fingerprint?: string }> };
    assert.equal(metadata.builds['docker.app']?.fingerprint, planned?.fingerprint);
    // Packer never reads kiln.hcl: it validates the folder as it is.
    const packer = spawnSync('packer', ['validate', '.'], { cwd: p.dir, encoding: 'utf8', env: { ...engine.env, CHECKPOINT_DISABLE: '1' }, timeout: 120_000 });
    assert.equal(packer.status, 0, packer.stdout + packer.stderr);
    const replanned = kiln(p, 'plan', '.');
    const stepKeys = (out: string): string[] => [...out.matchAll(/^\s+\d\. \S+(?: \(\w+\))?\s+([0-9a-f]{12})/gm)].map((m) => m[1] as string);
    assert.equal(stepKeys(plan.out).length, 3);
    assert.notEqual(stepKeys(replanned.out)[0], stepKeys(plan.out)[0], 'a new bust for step 1 changes its plan key');
  });
});

describe('-cache-from: steps pulled from the registry are recorded locally', () => {
  let registry: Registry;
  before(async () => {
    registry = await startRegistry();
  });
  after(async () => {
    await registry?.stop();
  });

  it('a build that pulled its steps hits them locally next time, without the registry', () => {
    const side = 'build "docker.app" {\n  step "pack" {\n    inputs = ["files/x"]\n  }\n}\n';
    const source = project('remote', side);
    const repo = `${registry.address}/kiln-side/cache`;
    assert.deepEqual(ran(build(source, '-cache', `-cache-to=${repo}`).out), [1, 2, 3]);
    // The same template elsewhere: an empty cache folder, and no step image in the engine.
    const keys = keysUnder(source.cache);
    for (const key of keys) engine.docker(['rmi', `kiln-cache:${key}`]);
    const elsewhere: Project = { dir: source.dir, cache: path.join(work, 'cache-elsewhere') };
    const pulled = build(elsewhere, '-cache', `-cache-from=${repo}`);
    assert.deepEqual(ran(pulled.out), []);
    assert.match(pulled.out, /Recorded 3 steps found in the cache registry in the local step cache/);
    assert.deepEqual([...entries(elsewhere.cache).keys()].sort(), [1, 2, 3]);
    const local = build(elsewhere, '-cache');
    assert.deepEqual(ran(local.out), []);
    assert.match(local.out, /\[3\/3\] shell: CACHED/);
  });
});
