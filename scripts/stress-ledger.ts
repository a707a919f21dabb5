// `npm run stress`: the ledger's full counts, through bin/kiln against a real Docker
// engine (test/support/docker.ts) and QEMU on kiln's base image (test/support/qemu-base.ts,
// TCG): Ctrl-C (SIGINT to the process group) and SIGTERM at seeded random moments of
// docker, qemu (with SSH and a temporary key, or communicator none) and null builds
// (delays biased to the first second), each checked for leftovers (no container, no VM,
// no process of the run, nothing in its TMPDIR, no partial output folder, no ledger,
// exit 0 only for a finished build); then `kill -9` of kiln at random moments of docker
// and qemu builds, after which `kiln gc` must remove every leftover and a second gc find
// nothing. Prints the counts; exits 1 on the first failure.
// Options: KILN_STRESS_SEED, KILN_STRESS_SIGINT (60), KILN_STRESS_SIGTERM (20), KILN_STRESS_KILL (20).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { ensureBusyboxImage, startDockerEngine } from '../test/support/docker.js';
import { ensureBaseImage } from '../test/support/qemu-base.js';
import { checkInterruptedRun, dockerTemplate, nullTemplate, qemuTemplate, type BuildKind } from '../test/e2e/ledger-checks.js';
import { KILN_BIN, drawDelay, entries, groupLeft, kilnContainers, pause, privateEnv, processesMentioning, seeded, signalDuringBuild, startKiln } from '../test/e2e/ledger-harness.js';

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
const base = await ensureBaseImage();
let n = 0;

interface Setup {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly ledgers: string;
  readonly tmp: string;
  readonly output?: string;
  /** How long the build takes here, roughly: delays are drawn over it. */
  readonly buildMs: number;
}

function setup(kind: BuildKind): Setup {
  const root = path.join(work, `run-${++n}`);
  const dir = path.join(root, 'template');
  mkdirSync(dir, { recursive: true });
  const output = path.join(root, 'output');
  const ssh = random() < 0.6;
  const text = kind === 'docker' ? dockerTemplate(image, 2) : kind === 'null' ? nullTemplate(2) : qemuTemplate(base.qcow2, output, 2, ssh);
  writeFileSync(path.join(dir, 'build.pkr.hcl'), text);
  const buildMs = kind === 'docker' ? 4000 : kind === 'null' ? 2500 : ssh ? 14_000 : 4000;
  return { dir, ...privateEnv(root, engine.env), ...(kind === 'qemu' ? { output } : {}), buildMs };
}

/** docker 50 %, qemu 25 %, null 25 % of the interrupted runs. */
function drawKind(): BuildKind {
  const x = random();
  return x < 0.5 ? 'docker' : x < 0.75 ? 'qemu' : 'null';
}

const tally = { finished: 0, interrupted: 0, killedLeftovers: 0, killedClean: 0, byKind: { docker: 0, qemu: 0, null: 0 } as Record<BuildKind, number> };
try {
  console.log(`seed ${seed}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    for (let i = 0; i < counts[sig]; i++) {
      const kind = drawKind();
      tally.byKind[kind]++;
      const s = setup(kind);
      const delay = drawDelay(random, s.buildMs);
      const run = startKiln(['build', '.'], s.dir, s.env);
      void signalDuringBuild(run, sig, delay);
      const r = await run.done;
      await checkInterruptedRun({ kind, sig, delay, run: r, pgid: run.pid, env: s.env, ledgers: s.ledgers, tmp: s.tmp, ...(s.output !== undefined ? { output: s.output } : {}) });
      if (/Builds finished/.test(r.out)) tally.finished++;
      else tally.interrupted++;
      console.log(`${sig} ${i + 1}/${counts[sig]}: ${kind}, ${delay} ms, exit ${r.status ?? r.signal}: clean`);
    }
  }
  const killedKinds = { docker: 0, qemu: 0 };
  for (let i = 0; i < counts.kill; i++) {
    const kind = random() < 0.5 ? 'docker' : 'qemu';
    killedKinds[kind]++;
    const s = setup(kind);
    const delay = drawDelay(random, s.buildMs);
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
    const before = (await kilnContainers(s.env, 0)).length + entries(s.tmp).length + processesMentioning(s.tmp).length + (s.output !== undefined && existsSync(s.output) ? 1 : 0);
    const gc = spawnSync(KILN_BIN, ['gc'], { env: s.env, encoding: 'utf8' });
    if (gc.status !== 0) throw new Error(`kill -9 after ${delay} ms: gc failed:\n${gc.stdout}${gc.stderr}`);
    const containers = await kilnContainers(s.env);
    const tmp = entries(s.tmp);
    const ledgers = entries(s.ledgers);
    if (containers.length + tmp.length + ledgers.length > 0) {
      throw new Error(`kill -9 after ${delay} ms: gc left ${[...containers, ...tmp, ...ledgers].join(' ')}\n${gc.stdout}`);
    }
    if (await groupLeft(run.pid)) throw new Error(`kill -9 after ${delay} ms: a process of the run is left after gc`);
    const procs = processesMentioning(s.tmp);
    if (procs.length > 0) throw new Error(`kill -9 after ${delay} ms: processes naming the run's TMPDIR are left after gc: ${procs.join('; ')}`);
    if (s.output !== undefined && existsSync(s.output)) throw new Error(`kill -9 after ${delay} ms: the output folder ${s.output} is left after gc\n${gc.stdout}`);
    const again = spawnSync(KILN_BIN, ['gc'], { env: s.env, encoding: 'utf8' });
    if (!/^Nothing to remove\.$/m.test(again.stdout)) throw new Error(`kill -9 after ${delay} ms: the second gc found something:\n${again.stdout}`);
    if (before > 0) tally.killedLeftovers++;
    else tally.killedClean++;
    console.log(`kill -9 ${i + 1}/${counts.kill}: ${kind}, ${delay} ms, ${before} leftovers, gc removed them; second gc: nothing`);
  }
  const k = tally.byKind;
  console.log(
    `OK (seed ${seed}): ${counts.SIGINT} SIGINT + ${counts.SIGTERM} SIGTERM runs (${k.docker} docker, ${k.qemu} qemu, ${k.null} null) left nothing (${tally.interrupted} interrupted, ${tally.finished} finished first); ` +
      `${counts.kill} kill -9 runs (${killedKinds.docker} docker, ${killedKinds.qemu} qemu): ${tally.killedLeftovers} left resources, all removed by gc (${tally.killedClean} had none yet)`,
  );
} finally {
  for (const name of await kilnContainers(engine.env, 0)) spawnSync('docker', ['rm', '-f', name], { env: engine.env, stdio: 'ignore' });
  await engine.stop();
  rmSync(work, { recursive: true, force: true });
}
