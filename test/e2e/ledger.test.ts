// The ledger of temporary resources end to end, through bin/kiln against a real Docker
// engine (test/support/docker.ts): Ctrl-C and SIGTERM at seeded random moments of docker
// and null builds leave nothing; after `kill -9`, `kiln gc` removes what the run left and
// a second gc finds nothing; `gc -dry-run` changes nothing; a corrupt ledger is reported;
// gc leaves a live run alone. The full counts are in `npm run stress` (scripts/stress-ledger.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBusyboxImage, startDockerEngine, type DockerEngine } from '../support/docker.js';
import { checkInterruptedRun, dockerTemplate, nullTemplate } from './ledger-checks.js';
import { KILN_BIN, drawDelay, entries, kilnContainers, pause, privateEnv, seeded, signalDuringBuild, signalGroup, startKiln, waitForOutput } from './ledger-harness.js';

const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-ledger-'));
let engine: DockerEngine;
let image: string;
const SEED = Number(process.env['KILN_LEDGER_SEED'] ?? 18);

before(async () => {
  engine = await startDockerEngine();
  image = await ensureBusyboxImage(engine);
});

after(async () => {
  for (const name of await kilnContainers(engine.env, 0)) spawnSync('docker', ['rm', '-f', name], { env: engine.env, stdio: 'ignore' });
  await engine?.stop();
  rmSync(work, { recursive: true, force: true });
});

let counter = 0;
function setup(kind: 'docker' | 'null', sleepSeconds = 1): { dir: string; env: NodeJS.ProcessEnv; ledgers: string; tmp: string } {
  const root = path.join(work, `run-${++counter}`);
  const dir = path.join(root, 'template');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), kind === 'docker' ? dockerTemplate(image, sleepSeconds) : nullTemplate(sleepSeconds));
  const p = privateEnv(root, engine.env);
  return { dir, env: p.env, ledgers: p.ledgers, tmp: p.tmp };
}

function gc(env: NodeJS.ProcessEnv, ...flags: string[]): { status: number | null; out: string } {
  const r = spawnSync(KILN_BIN, ['gc', ...flags], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('ledger: interrupted builds leave nothing', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} at seeded random moments of docker and null builds (seed ${SEED})`, async () => {
      const random = seeded(SEED + (sig === 'SIGTERM' ? 1 : 0));
      for (const kind of ['docker', 'docker', 'docker', 'null', 'null'] as const) {
        const s = setup(kind);
        const delay = drawDelay(random, kind === 'docker' ? 3000 : 1500);
        const run = startKiln(['build', '.'], s.dir, s.env);
        void signalDuringBuild(run, sig, delay);
        const r = await run.done;
        await checkInterruptedRun({ kind, sig, delay, run: r, pgid: run.pid, env: s.env, ledgers: s.ledgers, tmp: s.tmp });
      }
    });
  }
});

describe('ledger: kiln gc', () => {
  it('after kill -9, gc -dry-run changes nothing, gc removes everything, a second gc finds nothing', async () => {
    const s = setup('docker', 60);
    const run = startKiln(['build', '.'], s.dir, s.env);
    assert.ok(await waitForOutput(run, /Container ID: [0-9a-f]{64}/), run.output());
    process.kill(run.pid, 'SIGKILL');
    await run.done;
    const left = await kilnContainers(s.env, 0);
    assert.equal(left.length, 1, `the killed run's container: ${left.join(' ')}`);
    assert.equal(entries(s.ledgers).length, 1);
    assert.ok(entries(s.tmp).some((e) => e.startsWith('kiln-run-')), 'the run\'s private TMPDIR');

    // The next build says so, without touching them.
    const n = setup('null', 0);
    const hint = spawnSync(KILN_BIN, ['build', '.'], { cwd: n.dir, env: s.env, encoding: 'utf8' });
    assert.match(hint.stdout + hint.stderr, /3 resources from earlier runs are left; run `kiln gc`/);

    const dry = gc(s.env, '-dry-run');
    assert.equal(dry.status, 0, dry.out);
    assert.match(dry.out, /container kiln-\S+ \([0-9a-f]{12}\): would remove/);
    assert.match(dry.out, /path .*kiln-run-\S+: would remove/);
    assert.match(dry.out, /path .*kiln-docker-\S+: would remove/);
    assert.deepEqual(await kilnContainers(s.env, 0), left);
    assert.equal(entries(s.ledgers).length, 1);

    const first = gc(s.env);
    assert.equal(first.status, 0, first.out);
    assert.match(first.out, /container kiln-\S+ \([0-9a-f]{12}\): removed/);
    assert.match(first.out, /ledger removed/);
    assert.deepEqual(await kilnContainers(s.env, 0), []);
    assert.deepEqual(entries(s.ledgers), []);
    assert.deepEqual(entries(s.tmp).filter((e) => e.startsWith('kiln-')), []);

    const second = gc(s.env);
    assert.equal(second.status, 0, second.out);
    assert.match(second.out, /^Nothing to remove\.$/m);
  });

  it('never touches the resources of a run that is still alive', async () => {
    const s = setup('docker', 60);
    const live = startKiln(['build', '.'], s.dir, s.env);
    assert.ok(await waitForOutput(live, /Container ID: [0-9a-f]{64}/), live.output());
    const dead = startKiln(['build', '.'], s.dir, s.env);
    assert.ok(await waitForOutput(dead, /Container ID: [0-9a-f]{64}/), dead.output());
    process.kill(dead.pid, 'SIGKILL');
    await dead.done;
    assert.equal((await kilnContainers(s.env, 0)).length, 2);

    const r = gc(s.env);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /still running \(pid \d+\); left alone/);
    assert.equal((await kilnContainers(s.env, 0)).length, 1, 'the live run keeps its container');
    assert.equal(entries(s.ledgers).length, 1);

    signalGroup(live.pid, 'SIGINT');
    const end = await live.done;
    assert.equal(end.status, 1, end.out);
    assert.deepEqual(await kilnContainers(s.env), []);
    assert.deepEqual(entries(s.ledgers), []);
  });

  it('a second Ctrl-C during cleanup says that cleanup is running and what remains, and does not stop it', async () => {
    const s = setup('docker', 60);
    // A docker CLI whose kill/stop/rm take 3 s, so the cleanup is surely still running at the second Ctrl-C.
    const slow = path.join(s.dir, 'slow-docker');
    writeFileSync(slow, '#!/bin/sh\ncase "$1" in kill|stop|rm) sleep 3;; esac\nexec docker "$@"\n', { mode: 0o755 });
    writeFileSync(path.join(s.dir, 'build.pkr.hcl'), dockerTemplate(image, 60).replace('discard = true', `discard = true\n  docker_path = "${slow}"`));
    const live = startKiln(['build', '.'], s.dir, s.env);
    assert.ok(await waitForOutput(live, /Container ID: [0-9a-f]{64}/), live.output());
    signalGroup(live.pid, 'SIGINT');
    assert.ok(await waitForOutput(live, /Cancelling build after receiving interrupt/), live.output());
    await pause(1000);
    // To kiln alone: the slow CLI's sleep must not be interrupted by it.
    process.kill(live.pid, 'SIGINT');
    const end = await live.done;
    assert.equal(end.status, 1, end.out);
    assert.match(end.out, /Received interrupt again: cleanup is running, please wait\. Still to clean up: .*container kiln-\S+ \([0-9a-f]{12}\)/);
    assert.deepEqual(await kilnContainers(s.env), []);
    assert.deepEqual(entries(s.ledgers), []);
    assert.deepEqual(entries(s.tmp), []);
  });

  it('-on-error=ask answered abort keeps what the build made: gc leaves it, gc -kept removes it', async () => {
    const s = setup('docker', 0);
    writeFileSync(path.join(s.dir, 'build.pkr.hcl'), dockerTemplate(image, 0).replace('sleep 0', 'exit 3'));
    const r = spawnSync(KILN_BIN, ['build', '-on-error=ask', '.'], { cwd: s.dir, env: s.env, input: 'a\n', encoding: 'utf8', timeout: 120_000 });
    const out = r.stdout + r.stderr;
    assert.equal(r.status, 1, out);
    assert.match(out, /\[c\] Clean up and exit, \[a\] abort without cleanup/);
    assert.match(out, /\d+ resources were left in place \(cleanup skipped on purpose\); `kiln gc -kept` removes them/);
    assert.doesNotMatch(out, /could not be removed/);
    const kept = await kilnContainers(s.env, 0);
    assert.equal(kept.length, 1, out);
    assert.equal(entries(s.ledgers).length, 1);

    const plain = gc(s.env);
    assert.equal(plain.status, 0, plain.out);
    assert.match(plain.out, /container kiln-\S+ \([0-9a-f]{12}\): kept on purpose; left \(kiln gc -kept removes it\)/);
    assert.doesNotMatch(plain.out, /: removed/);
    assert.deepEqual(await kilnContainers(s.env, 0), kept);
    assert.equal(entries(s.ledgers).length, 1);

    const all = gc(s.env, '-kept');
    assert.equal(all.status, 0, all.out);
    assert.match(all.out, /container kiln-\S+ \([0-9a-f]{12}\): removed/);
    assert.deepEqual(await kilnContainers(s.env, 0), []);
    assert.deepEqual(entries(s.ledgers), []);
  });

  it('with PACKER_TMP_DIR, temp files (a provisioner script) go in the run folder made inside it, which gc removes after kill -9', async () => {
    const s = setup('null', 60);
    const packerTmp = path.join(s.dir, '..', 'packer-tmp');
    mkdirSync(packerTmp);
    const env = { ...s.env, PACKER_TMP_DIR: packerTmp };
    const run = startKiln(['build', '.'], s.dir, env);
    assert.ok(await waitForOutput(run, /Running local shell script: /), run.output());
    const script = /Running local shell script: (\S+)/.exec(run.output())?.[1] ?? '';
    assert.match(script, new RegExp(`^${packerTmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/kiln-run-\\w+/`), run.output());
    process.kill(run.pid, 'SIGKILL');
    await run.done;
    assert.equal(entries(packerTmp).length, 1);
    const r = gc(env);
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(entries(packerTmp), []);
    assert.deepEqual(entries(s.ledgers), []);
  });

  it('two kiln gc at once sweep each dead run once', async () => {
    const s = setup('null', 0);
    mkdirSync(s.ledgers, { recursive: true });
    const runs = 16;
    for (let i = 0; i < runs; i++) {
      const left = path.join(s.tmp, `kiln-left-${i}`);
      mkdirSync(left);
      const header = JSON.stringify({ t: 'header', v: 1, pid: 999_999_999, start: '1', argv: ['kiln', 'build'], time: new Date().toISOString() });
      writeFileSync(path.join(s.ledgers, `dead-${String(i).padStart(2, '0')}.jsonl`), `${header}\n${JSON.stringify({ t: 'intent', n: 1, r: { kind: 'path', path: left } })}\n`);
    }
    const both = await Promise.all([0, 1].map(() => startKiln(['gc'], s.dir, s.env).done));
    const out = both.map((b) => b.out).join('');
    for (const b of both) assert.equal(b.status, 0, b.out);
    assert.equal(out.match(/kiln-left-\d+: removed/g)?.length, runs, out);
    assert.doesNotMatch(out, /already gone|NOT removed/, out);
    assert.equal(out.match(/ledger removed/g)?.length, runs, out);
    assert.deepEqual(entries(s.tmp), []);
    assert.deepEqual(entries(s.ledgers), []);
  });

  it('reports a truncated or corrupt ledger and never trusts or crashes on it', () => {
    const s = setup('null', 0);
    mkdirSync(s.ledgers, { recursive: true });
    const leftDir = path.join(s.tmp, 'kiln-docker-leftover');
    mkdirSync(leftDir);
    const header = JSON.stringify({ t: 'header', v: 1, pid: 999_999_999, start: '1', argv: ['kiln', 'build'], time: new Date().toISOString() });
    const intent = JSON.stringify({ t: 'intent', n: 1, r: { kind: 'path', path: leftDir } });
    writeFileSync(path.join(s.ledgers, 'a-corrupt.jsonl'), `${header}\n${intent}\n{"t":"intent","n":2,"r":{"kind":"path","path":"/"}}\nnot json\n{"t":"done","n":`);
    writeFileSync(path.join(s.ledgers, 'b-headless.jsonl'), `${intent}\n`);
    const r = gc(s.env);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /line 3: not a ledger record/);
    assert.match(r.out, /line 4: not a ledger record: not json/);
    assert.match(r.out, /line 5: truncated record ignored/);
    assert.match(r.out, /b-headless: the ledger's writer cannot be identified; nothing done/);
    assert.match(r.out, /path .*kiln-docker-leftover: removed/);
    assert.match(r.out, /ledger kept because some records could not be read/);
    assert.doesNotMatch(r.out, /\n\s+at .*\.js/, 'no stack trace');
    assert.equal(existsSync(leftDir), false);
    assert.deepEqual(entries(s.ledgers).sort(), ['a-corrupt.jsonl', 'b-headless.jsonl']);
  });
});
