// `kiln build -resume` in the container a failed `-on-error=abort` run kept, end to end:
// bin/kiln against a real Docker engine (test/support/docker.ts). Step 1 writes a random
// value to the image and to /dev/shm (a tmpfs no commit or cache holds); step 3 fails.
// After the fix, -resume must run steps 3-4 in the same container (same container id,
// the value step 4 reads from /dev/shm is the first run's), the image holds every
// step's file, and nothing is left for `kiln gc`. Steps 1-2 are reported `resumed` (the
// step lines, the -json stream, the manifest), not `hit`, and steps 3-4 are recorded in
// the step cache only when it holds steps 1-2 (the failed run had -cache too), as no
// later build could reach them otherwise. When the container was removed by hand or a
// step before the failed one changed, the build says why and runs every step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseLedger } from '../../src/sdk/ledger/record.js';
import { validEventFile } from '../support/events-schema.js';
import { assertContainerGone, containerIdIn, ensureBusyboxImage, startDockerEngine, type DockerEngine } from '../support/docker.js';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-resume-docker-'));
let engine: DockerEngine;
let image: string;
const images: string[] = [];
const cases: Case[] = [];

before(async () => {
  engine = await startDockerEngine();
  image = await ensureBusyboxImage(engine);
});

after(async () => {
  // The step cache images the -resume runs recorded (kiln-cache:<key>) go with their cache.
  for (const c of cases) kiln(c, 'cache', 'prune', '-all');
  for (const id of images) spawnSync('docker', ['rmi', '-f', id], { env: engine.env, stdio: 'ignore' });
  await engine?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Case {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly ledgers: string;
  readonly tmp: string;
}

function setup(name: string): Case {
  const dir = path.join(work, name);
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const state = path.join(dir, 'state');
  const c: Case = {
    dir,
    tmp,
    ledgers: path.join(state, 'kiln', 'runs'),
    env: { ...engine.env, PACKER_NO_COLOR: '1', TMPDIR: tmp, XDG_STATE_HOME: state, XDG_CONFIG_HOME: path.join(dir, 'config'), KILN_CACHE_DIR: path.join(dir, 'cache') },
  };
  cases.push(c);
  return c;
}

/** Writes the 4-step template; `step2` and `step3` are the inline commands of steps 2 and 3. */
function template(c: Case, step2: string, step3: string): void {
  writeFileSync(path.join(c.dir, 'build.pkr.hcl'), templateText(step2, step3));
}

function templateText(step2: string, step3: string): string {
  return `source "docker" "app" {
  image  = "${image}"
  commit = true
  pull   = false
}

build {
  sources = ["source.docker.app"]
  provisioner "shell" {
    inline = ["cat /proc/sys/kernel/random/uuid > /dev/shm/marker", "cp /dev/shm/marker /step1", "echo marker=$(cat /step1)"]
  }
  provisioner "shell" {
    inline = ["${step2}"]
  }
  provisioner "shell" {
    inline = ["${step3}"]
  }
  provisioner "shell" {
    inline = ["cat /dev/shm/marker > /step4"]
  }
  post-processor "manifest" {
    output = "manifest.json"
  }
}
`;
}

function kiln(c: Case, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(bin, args, { cwd: c.dir, env: c.env, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

function markerIn(out: string): string {
  const m = /marker=([0-9a-f-]{36})/.exec(out);
  if (!m?.[1]) throw new Error(`step 1 printed no marker:\n${out}`);
  return m[1];
}

/** The committed image's files /step1../step4, read with a throwaway container. */
function filesOf(out: string): string {
  const id = /Imported Docker image: (sha256:[0-9a-f]{64})/.exec(out)?.[1];
  if (id === undefined) throw new Error(`no image in:\n${out}`);
  images.push(id);
  return engine.docker(['run', '--rm', id, 'sh', '-c', 'for f in /step1 /step2 /step3 /step4; do printf "%s=" $f; cat $f 2>/dev/null || echo; done']);
}

/** What the run ledgers of `c` still hold, less the step cache's images (kept by design). */
function left(c: Case): string[] {
  let files: string[];
  try {
    files = readdirSync(c.ledgers);
  } catch {
    return [];
  }
  return files.flatMap((f) =>
    parseLedger(readFileSync(path.join(c.ledgers, f), 'utf8'))
      .entries.filter((e) => e.state !== 'done' && !(e.resource.kind === 'image' && e.resource.ref.startsWith('kiln-cache:')))
      .map((e) => `${f}: ${e.state} ${JSON.stringify(e.resource)}`),
  );
}

function running(id: string): boolean {
  return spawnSync('docker', ['inspect', '--format', '{{.State.Running}}', id], { env: engine.env, encoding: 'utf8' }).stdout.trim() === 'true';
}

/**
 * Steps 1-2 of a build resumed in kept container `id` are `resumed`, 3-4 ran, and were
 * recorded when `recorded`: on the step lines, in the -json stream (events.jsonl, valid
 * against the schema) and in the manifest's kiln_cache.
 */
function assertResumedSteps(c: Case, out: string, id: string, recorded: boolean): void {
  const where = `ran in the kept container ${id.slice(0, 12)}`;
  assert.match(out, new RegExp(`\\[1/4\\] shell: RESUMED \\(${where}\\)\\n.*\\[2/4\\] shell: RESUMED \\(${where}\\)`));
  assert.doesNotMatch(out, /CACHED/);
  const events = validEventFile(path.join(c.dir, 'events.jsonl')).filter((e) => e['type'] === 'step-cache');
  assert.deepEqual(
    events.map((e) => [e['index'], e['status'], e['reason']]),
    [
      [1, 'resumed', where],
      [2, 'resumed', where],
      [3, 'miss', `runs in the kept container ${id.slice(0, 12)}`],
      ...(recorded ? [[3, 'recorded', undefined]] : []),
      [4, 'miss', 'an earlier step ran'],
      ...(recorded ? [[4, 'recorded', undefined]] : []),
    ],
  );
  const notRecorded = `Not recording steps 3–4: a later build could not start from them, as the step cache does not hold steps 1–2 (they ran in the kept container ${id.slice(0, 12)}).`;
  if (recorded) assert.ok(!out.includes(notRecorded), out);
  else assert.ok(out.includes(notRecorded), out);
  const manifest = JSON.parse(readFileSync(path.join(c.dir, 'manifest.json'), 'utf8')) as { builds: { kiln_cache?: { steps: { index: number; status: string; key: string }[] } }[] };
  const steps = manifest.builds.at(-1)?.kiln_cache?.steps ?? [];
  const ran = recorded ? 'recorded' : 'miss';
  assert.deepEqual(steps.map((s) => [s.index, s.status]), [[1, 'resumed'], [2, 'resumed'], [3, ran], [4, ran]]);
  for (const s of steps) assert.match(s.key, /^[0-9a-f]{64}$/);
}

/** Fails at step 3 under -on-error=abort (`flags`: more of them); returns the kept container's id and step 1's value. */
function failAtStep3(c: Case, ...flags: string[]): { id: string; marker: string } {
  template(c, 'echo two > /step2', 'echo step three fails; exit 3');
  const r = kiln(c, 'build', '-on-error=abort', ...flags, '.');
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /kept after step 2: fix step 3 \(shell\) and run kiln build -resume to go on in it/);
  const id = containerIdIn(r.out);
  assert.ok(running(id), 'the container is kept running');
  return { id, marker: markerIn(r.out) };
}

describe('kiln build -resume in a kept docker container', () => {
  it('runs steps 3-4 in the container the failed run kept, commits it, removes it, and leaves nothing for gc', async () => {
    const c = setup('same');
    const first = failAtStep3(c);
    template(c, 'echo two > /step2', 'echo three > /step3');
    const r = kiln(c, 'build', '-resume', '-json=events.jsonl', '.');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, new RegExp(`Resuming in container ${first.id.slice(0, 12)} from step 3 \\(shell\\): steps 1–2 ran in it`));
    assert.equal(containerIdIn(r.out), first.id, 'the same container');
    assertResumedSteps(c, r.out, first.id, false);
    assert.match(kiln(c, 'cache', 'ls').out, /is empty/, 'nothing recorded that no build could reach');
    assert.doesNotMatch(r.out, /marker=/, 'step 1 did not run again');
    assert.equal(filesOf(r.out), `/step1=${first.marker}\n/step2=two\n/step3=three\n/step4=${first.marker}\n`);
    await assertContainerGone(engine, first.id);
    const gc = kiln(c, 'gc');
    assert.equal(gc.status, 0, gc.out);
    assert.match(gc.out, /^Nothing to remove\.$/m);
    assert.deepEqual(left(c), [], 'the ledgers hold nothing but the step cache images the resumed run recorded');
    assert.deepEqual(readdirSync(c.tmp), [], 'no temp folder is left');
  });

  it('records steps 3-4 in the step cache when the failed run recorded steps 1-2 (-cache): a later -cache build runs nothing', async () => {
    const c = setup('cached');
    const first = failAtStep3(c, '-cache');
    template(c, 'echo two > /step2', 'echo three > /step3');
    const r = kiln(c, 'build', '-resume', '-json=events.jsonl', '.');
    assert.equal(r.status, 0, r.out);
    assert.equal(containerIdIn(r.out), first.id, 'the same container');
    assertResumedSteps(c, r.out, first.id, true);
    const again = kiln(c, 'build', '-cache', '.');
    assert.equal(again.status, 0, again.out);
    assert.equal((again.out.match(/\[\d\/4\] shell: CACHED [0-9a-f]{12}/g) ?? []).length, 4, again.out);
    assert.doesNotMatch(again.out, /marker=/);
    assert.equal(filesOf(again.out), `/step1=${first.marker}\n/step2=two\n/step3=three\n/step4=${first.marker}\n`);
    assert.deepEqual(left(c), []);
  });

  it('-resume -on-error=abort that fails again keeps the container again; the next -resume goes on in it', async () => {
    const c = setup('again');
    const first = failAtStep3(c);
    // Step 3 fixed, step 4 now fails: the resumed run keeps the same container, now after step 3.
    writeFileSync(path.join(c.dir, 'build.pkr.hcl'), templateText('echo two > /step2', 'echo three > /step3').replace('cat /dev/shm/marker > /step4', 'exit 4'));
    const second = kiln(c, 'build', '-resume', '-on-error=abort', '.');
    assert.equal(second.status, 1, second.out);
    assert.match(second.out, /Resuming in container \w+ from step 3 \(shell\)/);
    assert.match(second.out, /kept after step 3: fix step 4 \(shell\) and run kiln build -resume/);
    assert.doesNotMatch(second.out, /in the step cache/, 'steps 1-2 ran in the kept container; the cache does not hold them');
    assert.ok(running(first.id));
    template(c, 'echo two > /step2', 'echo three > /step3');
    const third = kiln(c, 'build', '-resume', '.');
    assert.equal(third.status, 0, third.out);
    assert.match(third.out, new RegExp(`Resuming in container ${first.id.slice(0, 12)} from step 4 \\(shell\\): steps 1–3 ran in it`));
    assert.equal(filesOf(third.out), `/step1=${first.marker}\n/step2=two\n/step3=three\n/step4=${first.marker}\n`);
    await assertContainerGone(engine, first.id);
    assert.deepEqual(left(c), []);
    assert.deepEqual(readdirSync(c.tmp), []);
  });

  it('says the kept container is gone when it was removed by hand, and runs every step', async () => {
    const c = setup('gone');
    const first = failAtStep3(c);
    engine.docker(['rm', '-f', first.id]);
    template(c, 'echo two > /step2', 'echo three > /step3');
    const r = kiln(c, 'build', '-resume', '.');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, new RegExp(`Not resuming in the kept container ${first.id.slice(0, 12)}: it is gone; resuming from the step cache instead\\.`));
    const marker = markerIn(r.out);
    assert.notEqual(marker, first.marker);
    assert.equal(filesOf(r.out), `/step1=${marker}\n/step2=two\n/step3=three\n/step4=${marker}\n`);
    const gc = kiln(c, 'gc', '-kept');
    assert.equal(gc.status, 0, gc.out);
  });

  it('does not resume in the kept container when a step before the failed one changed', async () => {
    const c = setup('changed');
    const first = failAtStep3(c);
    const kept = kiln(c, 'gc');
    assert.match(kept.out, /container kiln-\S+ \([0-9a-f]{12}\): kept on purpose; left \(kiln gc -kept removes it\); build docker\.app stopped in it after step 2: kiln build -resume goes on there/);
    template(c, 'echo TWO > /step2', 'echo three > /step3');
    const r = kiln(c, 'build', '-resume', '.');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, new RegExp(`Not resuming in the kept container ${first.id.slice(0, 12)}: step 2 \\(shell\\) changed since it was kept; resuming from the step cache instead\\.`));
    assert.notEqual(containerIdIn(r.out), first.id);
    const marker = markerIn(r.out);
    assert.equal(filesOf(r.out), `/step1=${marker}\n/step2=TWO\n/step3=three\n/step4=${marker}\n`);
    assert.ok(running(first.id), 'the kept container is left as the user kept it');
    const gc = kiln(c, 'gc', '-kept');
    assert.equal(gc.status, 0, gc.out);
    await assertContainerGone(engine, first.id);
    assert.deepEqual(left(c), []);
  });
});
