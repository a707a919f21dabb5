// The ledger over QEMU builds, through bin/kiln on kiln's base image (test/support/qemu-base.ts,
// TCG): Ctrl-C and SIGTERM at seeded random moments leave no VM, no process, nothing in
// the private TMPDIR and no partial output folder; after `kill -9` of kiln the VM dies with
// it (parent-death signal), the output folder and temp folders are left, `kiln gc` removes
// them and a second gc finds nothing. A small seeded sample (CI budget); the full counts
// are in `npm run stress` (scripts/stress-ledger.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBaseImage, type BaseImage } from '../support/qemu-base.js';
import { checkInterruptedRun, qemuTemplate } from './ledger-checks.js';
import { KILN_BIN, drawDelay, entries, groupLeft, privateEnv, processesMentioning, seeded, signalDuringBuild, startKiln, waitForOutput } from './ledger-harness.js';

const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-ledger-qemu-'));
let base: BaseImage;
const SEED = Number(process.env['KILN_LEDGER_SEED'] ?? 18);

before(async () => {
  base = await ensureBaseImage();
});

after(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function setup(ssh: boolean, sleepSeconds = 1): { dir: string; env: NodeJS.ProcessEnv; ledgers: string; tmp: string; output: string } {
  const root = path.join(work, `run-${++counter}`);
  const dir = path.join(root, 'template');
  const output = path.join(root, 'output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), qemuTemplate(base.qcow2, output, sleepSeconds, ssh));
  const p = privateEnv(root, process.env);
  return { dir, env: p.env, ledgers: p.ledgers, tmp: p.tmp, output };
}

describe('ledger: interrupted qemu builds leave nothing', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} at seeded random moments of qemu builds (seed ${SEED})`, async () => {
      const random = seeded(SEED + (sig === 'SIGTERM' ? 3 : 2));
      for (const ssh of [true, false]) {
        const s = setup(ssh);
        const delay = drawDelay(random, ssh ? 12_000 : 3000);
        const run = startKiln(['build', '.'], s.dir, s.env);
        void signalDuringBuild(run, sig, delay);
        const r = await run.done;
        await checkInterruptedRun({ kind: 'qemu', sig, delay, run: r, pgid: run.pid, env: s.env, ledgers: s.ledgers, tmp: s.tmp, output: s.output });
      }
    });
  }
});

describe('ledger: kill -9 of a qemu build', () => {
  it('the VM dies with kiln; gc removes the output and temp folders; a second gc finds nothing', async () => {
    const s = setup(true, 60);
    const run = startKiln(['build', '.'], s.dir, s.env);
    assert.ok(await waitForOutput(run, /Waiting for SSH to become available/, 120_000), run.output());
    assert.equal(processesMentioning(s.tmp).length, 1, 'the VM runs');
    process.kill(run.pid, 'SIGKILL');
    await run.done;
    assert.equal(await groupLeft(run.pid), false, 'QEMU got the parent-death signal');
    assert.deepEqual(processesMentioning(s.tmp), []);
    assert.ok(existsSync(s.output), 'the partial output folder is left');
    assert.equal(entries(s.ledgers).length, 1);

    const dry = spawnSync(KILN_BIN, ['gc', '-dry-run'], { env: s.env, encoding: 'utf8' });
    assert.equal(dry.status, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /process \d+ \(qemu-system-x86_64, command line with .*qmp-1\.sock\): would remove/);
    assert.ok(existsSync(s.output));

    const gc = spawnSync(KILN_BIN, ['gc'], { env: s.env, encoding: 'utf8' });
    assert.equal(gc.status, 0, gc.stdout + gc.stderr);
    // Last record first: the VM, then its temp folder, the output folder, the run's TMPDIR.
    const lines = gc.stdout.split('\n');
    const order = [/: process \d+/, /: path \S+\/kiln-qemu-\w+:/, /: path \S+\/output:/, /: path \S+\/kiln-run-\w+:/].map((re) => lines.findIndex((l) => re.test(l)));
    assert.deepEqual(order, [0, 1, 2, 3], gc.stdout);
    assert.match(gc.stdout, /process \d+ \(qemu-system-x86_64.*\): already gone/);
    assert.match(gc.stdout, /path .*output: removed/);
    assert.equal(existsSync(s.output), false);
    assert.deepEqual(entries(s.tmp), []);
    assert.deepEqual(entries(s.ledgers), []);
    const again = spawnSync(KILN_BIN, ['gc'], { env: s.env, encoding: 'utf8' });
    assert.match(again.stdout, /^Nothing to remove\.$/m);
  });
});
