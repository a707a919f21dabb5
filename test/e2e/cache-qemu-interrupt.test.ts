/**
 * The qemu step cache interrupted, end to end: `bin/kiln build -cache` (the compiled
 * dist/) on kiln's base image under TCG, all runs on ONE cache folder.
 *
 * - Ctrl-C (SIGINT to the process group, as a terminal sends it) at a seeded moment of
 *   a seeded phase: while the VM boots, during a provisioner, during the snapshot after
 *   a step (the guest sync, the RAM state's migration — these runs keep it — the new
 *   top layer, the QMP switch, the renames), during the
 *   shutdown, during the final convert. Each point changes one step's content (a new
 *   value), so the run resumes from the cached steps before it and has work to do.
 *   After the interruption: no private layer or temp file in the layer folder, no step
 *   lock, no QEMU left, every entry's layer and its backing chain exist; then a -cache
 *   build of the same template gives an image holding exactly that point's contents.
 * - `kill -9` of kiln during a snapshot with the RAM state kept (`-cache-ram`: the
 *   snapshot migrates the VM's RAM, about a second): QEMU dies with kiln, the next build
 *   trusts no half-written layer or RAM state, `kiln gc` removes what the killed run left
 *   (private layers, the RAM state's temp file, QEMU's temp folder) and the next -cache
 *   build is right.
 *
 * `npm test` runs 2 Ctrl-C points and 1 kill; the stress run (the issue asks for at
 * least 10 qemu points):
 * `KILN_CACHE_QEMU_POINTS=10 KILN_CACHE_QEMU_KILLS=2 KILN_CACHE_QEMU_SEED=7 node scripts/run-tests.mjs cache-qemu-interrupt`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StepStore } from '../../src/core/cache/store.js';
import { backingName } from '../../src/plugins/builders/qemu/layers.js';
import { ensureBaseImage, type BaseImage } from '../support/qemu-base.js';
import { readGuestFile, writeDeriveTemplate } from '../support/qemu-disk.js';
import { entries, KILN_BIN, pause, privateEnv, processesMentioning, seeded, signalGroup, startKiln, waitForOutput, type StartedKiln } from './ledger-harness.js';

const BUILD_TIMEOUT_MS = 6 * 60_000;
const PHASES = ['boot', 'step', 'snapshot', 'shutdown', 'convert'] as const;
type Phase = (typeof PHASES)[number];

let base: BaseImage;
let work: string;
let cache: string;
let env: NodeJS.ProcessEnv;
let keyFile: string;

/** What each step writes to /root/<n>.txt. */
type Contents = readonly [string, string, string];

/** Writes the template: step n echoes its markers and writes `contents[n]`; `ram`: a fixed key for -cache-ram. */
function template(contents: Contents, ram = false): string {
  const names = ['one', 'two', 'three'];
  const steps = contents.map((c, i) => {
    const n = names[i] ?? '';
    const command = `echo running-step-${n}; ${i === 2 ? 'sleep 1; ' : ''}echo ${c} > /root/${n}.txt; echo done-step-${n}`;
    return `  provisioner "shell" {\n    inline = [${JSON.stringify(command)}]\n  }`;
  });
  const extra = ram ? `  ssh_private_key_file = "${keyFile}"\n  qemuargs             = [["-fw_cfg", "name=opt/ssh_authorized_keys,file=${keyFile}.pub"]]\n  disk_compression     = true` : '  disk_compression = true';
  return writeDeriveTemplate(work, base.qcow2, ram ? 'intr-ram' : 'intr', extra, steps.join('\n'));
}

function output(ram: boolean): string {
  return path.join(work, ram ? 'out-intr-ram' : 'out-intr', ram ? 'intr-ram.qcow2' : 'intr.qcow2');
}

function build(file: string, flags: readonly string[] = []): { code: number | null; out: string } {
  const r = spawnSync(KILN_BIN, ['build', '-cache', ...flags, `-cache-dir=${cache}`, '-force', file], { cwd: work, env, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const layersDir = (): string => path.join(cache, 'layers');

/** What the layer folder holds that only a running build may: private layers and temp files. */
function privateFiles(): string[] {
  return entries(layersDir()).filter((n) => n.startsWith('tmp-') || n.endsWith('.tmp'));
}

/** Every entry's layer exists and so does each layer's backing file down to a base. */
async function assertChainsWhole(what: string): Promise<void> {
  for (const e of new StepStore(cache).list().entries) {
    let file = path.join(layersDir(), e.entry.snapshot.id);
    for (let depth = 0; ; depth++) {
      assert.ok(entries(layersDir()).includes(path.basename(file)), `${what}: entry ${e.entry.key.slice(0, 12)} (step ${e.entry.index}): ${path.basename(file)} is missing`);
      const parent = await backingName(file);
      if (parent === undefined) break;
      assert.ok(depth < 10, `${what}: a backing loop at ${file}`);
      file = path.join(layersDir(), parent);
    }
  }
}

async function assertNothingLeft(what: string, out: string): Promise<void> {
  assert.deepEqual(privateFiles(), [], `${what}: private files left in the layer folder:\n${out}`);
  assert.deepEqual(entries(path.join(cache, 'locks')).filter((n) => n.endsWith('.lock')), [], `${what}: a step lock is left:\n${out}`);
  for (let t = 0; t < 100 && processesMentioning(work).length > 0; t++) await pause(100);
  assert.deepEqual(processesMentioning(work), [], `${what}: a process (QEMU?) outlived kiln:\n${out}`);
  await assertChainsWhole(what);
}

function assertImage(what: string, disk: string, contents: Contents, out: string): void {
  for (const [i, n] of ['one', 'two', 'three'].entries()) {
    assert.equal(readGuestFile(disk, `/root/${n}.txt`, work), `${contents[i]}\n`, `${what}: /root/${n}.txt is wrong:\n${out}`);
  }
}

/** Where the run was when it stopped: its last builder line and the steps it recorded. */
function landed(out: string): string {
  const lines = out.split('\n').filter((l) => /==> \S+: /.test(l) && !/Build was cancelled|Stopping the VM|Deleting|cancel/i.test(l));
  const recorded = (out.match(/\[(\d)\/3\] shell: recorded/g) ?? []).map((m) => m.slice(1, 2));
  return `last line "${(lines.at(-1) ?? '').replace(/^.*?==> \S+: /, '').slice(0, 80)}", recorded steps [${recorded.join(',')}]`;
}

/** Waits for the phase's trigger, then the seeded delay; false when the run ended first. */
async function reachPhase(run: StartedKiln, phase: Phase, step: string, random: () => number): Promise<{ reached: boolean; delay: number }> {
  const trigger: Record<Phase, [RegExp, number]> = {
    boot: [/Starting VM/, 4000],
    step: [new RegExp(`running-step-${step}`), 800],
    snapshot: [new RegExp(`done-step-${step}`), 600],
    shutdown: [/Gracefully halting/, 1500],
    convert: [/Converting hard drive/, 800],
  };
  const [re, span] = trigger[phase];
  const delay = Math.round(random() * span);
  const reached = await waitForOutput(run, re, BUILD_TIMEOUT_MS);
  if (reached) await pause(delay);
  return { reached, delay };
}

before(async () => {
  base = await ensureBaseImage();
  work = mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-cache-qemu-intr-'));
  cache = path.join(work, 'cache');
  env = privateEnv(work, { ...process.env, XDG_CONFIG_HOME: path.join(work, 'config') }).env;
  keyFile = path.join(work, 'id_ed25519');
  assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]).status, 0);
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('qemu step cache interrupted (bin/kiln build, TCG)', () => {
  it('after Ctrl-C in each phase (boot, step, snapshot, shutdown, convert), leaves nothing private and the next -cache build is right', async (t) => {
    const seed = Number(process.env['KILN_CACHE_QEMU_SEED'] ?? 2026);
    const points = Number(process.env['KILN_CACHE_QEMU_POINTS'] ?? 2);
    const random = seeded(seed);
    const names = ['one', 'two', 'three'];
    let contents: [string, string, string] = ['one', 'two', 'three'];
    for (let point = 0; point < points; point++) {
      const phase = PHASES[(seed + point) % PHASES.length] as Phase;
      const changed = Math.floor(random() * 3);
      contents = contents.map((c, i) => (i === changed ? `${names[i]}-${seed}-${point}` : c)) as [string, string, string];
      const step = names[changed + Math.floor(random() * (3 - changed))] ?? 'three';
      const file = template(contents);
      // A snapshot takes ~0.1 s; with the RAM state (temporary key kept with it) about a second, which a Ctrl-C can hit.
      const ram = phase === 'snapshot' ? ['-cache-ram'] : [];
      const run = startKiln(['build', '-cache', ...ram, `-cache-dir=${cache}`, '-force', file], work, env);
      const { reached, delay } = await reachPhase(run, phase, step, random);
      const what = `seed ${seed}, point ${point}: step ${changed + 1} changed, SIGINT ${delay} ms into ${phase}${phase === 'step' || phase === 'snapshot' ? ` of step ${step}` : ''}`;
      if (reached) signalGroup(run.pid, 'SIGINT');
      const stopped = await run.done;
      assert.ok(reached, `${what}: the run ended before the phase:\n${stopped.out}`);
      t.diagnostic(`${what}: ${landed(stopped.out)}`);
      await assertNothingLeft(what, stopped.out);
      const next = build(file);
      assert.equal(next.code, 0, `${what}: the next -cache build failed:\n${stopped.out}\n----\n${next.out}`);
      assertImage(what, output(false), contents, `${stopped.out}\n----\n${next.out}`);
      await assertNothingLeft(`${what}, after the next build`, next.out);
    }
  });

  it('after kill -9 of kiln during a snapshot with the RAM state, QEMU is gone, kiln gc removes the leftovers and the next -cache build is right', async (t) => {
    const seed = Number(process.env['KILN_CACHE_QEMU_SEED'] ?? 2026);
    const kills = Number(process.env['KILN_CACHE_QEMU_KILLS'] ?? 1);
    const random = seeded(seed + 1);
    for (let point = 0; point < kills; point++) {
      const contents: Contents = [`one-k${seed}-${point}`, 'two', 'three'];
      const file = template(contents, true);
      const run = startKiln(['build', '-cache', '-cache-ram', `-cache-dir=${cache}`, '-force', file], work, env);
      const delay = 100 + Math.round(random() * 600);
      const what = `seed ${seed}, kill ${point}: SIGKILL ${delay} ms after step 1's last line`;
      assert.ok(await waitForOutput(run, /done-step-one/, BUILD_TIMEOUT_MS), `${what}: step 1 never ran:\n${run.output()}`);
      await pause(delay);
      process.kill(run.pid, 'SIGKILL');
      const killed = await run.done;
      for (let t = 0; t < 100 && processesMentioning(work).length > 0; t++) await pause(100);
      assert.deepEqual(processesMentioning(work), [], `${what}: QEMU outlived kiln:\n${killed.out}`);
      const left = readdirSync(layersDir());
      t.diagnostic(`${what}: ${landed(killed.out)}; left: ${left.filter((n) => n.startsWith('tmp-') || n.endsWith('.tmp')).join(' ') || 'no private file'}`);
      const gc = spawnSync(KILN_BIN, ['gc'], { cwd: work, env, encoding: 'utf8' });
      assert.equal(gc.status, 0, `${what}: kiln gc failed:\n${gc.stdout}${gc.stderr}`);
      assert.deepEqual(privateFiles(), [], `${what}: kiln gc left private files (before it: ${left.join(' ')}):\n${gc.stdout}`);
      assert.deepEqual(entries(path.join(work, 'tmp')).filter((n) => n.startsWith('kiln-qemu-')), [], `${what}: QEMU's temp folder is left:\n${gc.stdout}`);
      await assertChainsWhole(what);
      const next = build(file, ['-cache-ram']);
      assert.equal(next.code, 0, `${what}: the next -cache build failed:\n${killed.out}\n----\n${next.out}`);
      assertImage(what, output(true), contents, next.out);
      await assertNothingLeft(`${what}, after the next build`, next.out);
    }
  });
});
