// `npm run stress`: the ledger's full counts, through bin/kiln against a real Docker
// engine (test/support/docker.ts): Ctrl-C (SIGINT to the process group) and SIGTERM at
// seeded random moments of docker and null builds (delays biased to the first second),
// each checked for leftovers (no container, no process of the run, nothing in its
// TMPDIR, no ledger, exit 0 only for a finished build); then `kill -9` of kiln at random
// moments of docker builds, after which `kiln gc` must remove every leftover and a second
// gc find nothing. Prints the counts; exits 1 on the first failure.
// Options: KILN_STRESS_SEED, KILN_STRESS_SIGINT (60), KILN_STRESS_SIGTERM (20), KILN_STRESS_KILL (20).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBusyboxImage, startDockerEngine } from '../test/support/docker.js';
import { checkInterruptedRun, dockerTemplate, nullTemplate } from '../test/e2e/ledger-checks.js';
import { KILN_BIN, drawDelay, entries, groupLeft, kilnContainers, pause, privateEnv, seeded, signalGroup, startKiln } from '../test/e2e/ledger-harness.js';

const seed = Number(process.env['KILN_STRESS_SEED'] ?? Date.now() % 100_000);
const counts = {
  SIGINT: Number(process.env['KILN_STRESS_SIGINT'] ?? 60),
  SIGTERM: Number(process.env['KILN_STRESS_SIGTERM'] ?? 20),
  kill: Number(process.env['KILN_STRESS_KILL'] ?? 20),
};
const random = seeded(seed);
const work = mkdtempSync(path.join(tmpdir(), 'kiln-stress-ledger-'));
const engine = await startDockerEngine();
const image = await ensureBusyboxImage(engine);
let n = 0;

function setup(kind: 'docker' | 'null'): { dir: string; env: NodeJS.ProcessEnv; ledgers: string; tmp: string } {
  const root = path.join(work, `run-${++n}`);
  const dir = path.join(root, 'template');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), kind === 'docker' ? dockerTemplate(image, 2) : nullTemplate(2));
  return { dir, ...privateEnv(root, engine.env) };
}

const tally = { finished: 0, interrupted: 0, killedLeftovers: 0, killedClean: 0 };
try {
  console.log(`seed ${seed}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    for (let i = 0; i < counts[sig]; i++) {
      const kind = random() < 0.7 ? 'docker' : 'null';
      const s = setup(kind);
      const delay = drawDelay(random, kind === 'docker' ? 4000 : 2500);
      const run = startKiln(['build', '.'], s.dir, s.env);
      setTimeout(() => signalGroup(run.pid, sig), delay);
      const r = await run.done;
      await checkInterruptedRun({ kind, sig, delay, run: r, pgid: run.pid, env: s.env, ledgers: s.ledgers, tmp: s.tmp });
      if (/Builds finished/.test(r.out)) tally.finished++;
      else tally.interrupted++;
      console.log(`${sig} ${i + 1}/${counts[sig]}: ${kind}, ${delay} ms, exit ${r.status ?? r.signal}: clean`);
    }
  }
  for (let i = 0; i < counts.kill; i++) {
    const s = setup('docker');
    const delay = drawDelay(random, 4000);
    const run = startKiln(['build', '.'], s.dir, s.env);
    await pause(delay);
    try {
      process.kill(run.pid, 'SIGKILL');
    } catch {
      // finished already
    }
    await run.done;
    // Let the detached `docker run` client and provisioner children finish as they would.
    await pause(1500);
    const before = (await kilnContainers(s.env, 0)).length + entries(s.tmp).length;
    const gc = spawnSync(KILN_BIN, ['gc'], { env: s.env, encoding: 'utf8' });
    if (gc.status !== 0) throw new Error(`kill -9 after ${delay} ms: gc failed:\n${gc.stdout}${gc.stderr}`);
    const containers = await kilnContainers(s.env);
    const tmp = entries(s.tmp);
    const ledgers = entries(s.ledgers);
    if (containers.length + tmp.length + ledgers.length > 0) {
      throw new Error(`kill -9 after ${delay} ms: gc left ${[...containers, ...tmp, ...ledgers].join(' ')}\n${gc.stdout}`);
    }
    if (await groupLeft(run.pid)) throw new Error(`kill -9 after ${delay} ms: a process of the run is left after gc`);
    const again = spawnSync(KILN_BIN, ['gc'], { env: s.env, encoding: 'utf8' });
    if (!/^Nothing to remove\.$/m.test(again.stdout)) throw new Error(`kill -9 after ${delay} ms: the second gc found something:\n${again.stdout}`);
    if (before > 0) tally.killedLeftovers++;
    else tally.killedClean++;
    console.log(`kill -9 ${i + 1}/${counts.kill}: ${delay} ms, ${before} leftovers, gc removed them; second gc: nothing`);
  }
  console.log(
    `OK (seed ${seed}): ${counts.SIGINT} SIGINT + ${counts.SIGTERM} SIGTERM runs left nothing (${tally.interrupted} interrupted, ${tally.finished} finished first); ` +
      `${counts.kill} kill -9 runs: ${tally.killedLeftovers} left resources, all removed by gc (${tally.killedClean} had none yet)`,
  );
} finally {
  for (const name of await kilnContainers(engine.env, 0)) spawnSync('docker', ['rm', '-f', name], { env: engine.env, stdio: 'ignore' });
  await engine.stop();
  rmSync(work, { recursive: true, force: true });
}
