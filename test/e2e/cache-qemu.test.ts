/**
 * The step cache on the qemu builder, end to end: `bin/kiln build` (the compiled dist/)
 * on kiln's base image under TCG. A build of three shell steps whose third fails, run
 * with `-cache`, leaves a layer per successful step; once the third is fixed,
 * `-resume` boots from the layer after step 2 and runs only step 3; the output image,
 * read back offline, holds all three steps' results and does not refer to the cache.
 * Once cold (temporary key, flattened output), once with the RAM state kept
 * (`-cache-ram`, a key file, `use_backing_file`: an overlay on the source).
 * Interrupted (SIGINT to the process group, as Ctrl-C) at seeded random moments of a
 * `-cache` build's provisioning and snapshots, no private layer is left and the next
 * `-cache` build yields the right image (KILN_CACHE_QEMU_POINTS moments, default 2;
 * KILN_CACHE_QEMU_SEED).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pause, seeded, signalGroup, startKiln, waitForOutput } from './ledger-harness.js';
import { ensureBaseImage } from '../support/qemu-base.js';
import type { BaseImage } from '../support/qemu-base.js';
import { qemuImgInfo, readGuestFile, writeDeriveTemplate } from '../support/qemu-disk.js';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const BUILD_TIMEOUT_MS = 6 * 60_000;

let base: BaseImage;
let work: string;

function kiln(args: readonly string[]): { code: number | null; out: string } {
  const r = spawnSync(bin, ['build', ...args], { cwd: work, env: { ...process.env, PACKER_NO_COLOR: '1' }, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Writes the three-step template `name`; `third` is step 3's command. */
function template(name: string, source: string, third: string): string {
  const step = (command: string) => `  provisioner "shell" {\n    inline = [${JSON.stringify(command)}]\n  }`;
  return writeDeriveTemplate(work, base.qcow2, name, source, [step('echo running-step-one; echo one > /root/one.txt'), step('echo running-step-two; echo two > /root/two.txt'), step(third)].join('\n'));
}

/** The files under `dir`, recursively, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/**
 * Fails at step 3 with -cache, then (`failAgain`) once more resumed from step 2, fixes
 * step 3, resumes; returns the output of the first run, the repeated failure and the
 * fixed run.
 */
function failFixResume(name: string, source: string, flags: readonly string[] = [], failAgain = false): { first: string; again: string; second: string; cache: string } {
  const cache = path.join(work, `cache-${name}`);
  const file = template(name, source, 'echo running-step-three; exit 7');
  const first = kiln(['-cache', ...flags, `-cache-dir=${cache}`, file]);
  assert.notEqual(first.code, 0, first.out);
  for (const marker of ['running-step-one', 'running-step-two', 'running-step-three']) assert.ok(first.out.includes(marker), `${marker} in the failing run:\n${first.out}`);
  const layers = filesUnder(cache).filter((f) => f.endsWith('.qcow2'));
  assert.ok(layers.length >= 3, `a base layer and one per successful step:\n${layers.join('\n')}`);
  assert.deepEqual(layers.filter((f) => path.basename(f).startsWith('tmp-')), [], 'no private top layer left behind');
  let again = '';
  if (failAgain) {
    const run = kiln(['-resume', ...flags, `-cache-dir=${cache}`, file]);
    assert.notEqual(run.code, 0, run.out);
    assert.match(run.out, /Resuming from the cached layer after provisioner 2/);
    assert.ok(!run.out.includes('running-step-one') && run.out.includes('running-step-three'), run.out);
    again = run.out;
  }
  template(name, source, 'echo running-step-three; echo three > /root/three.txt');
  const second = kiln(['-resume', ...flags, `-cache-dir=${cache}`, file]);
  assert.equal(second.code, 0, second.out);
  assert.match(second.out, /Resuming from the cached layer after provisioner 2/);
  assert.ok(!second.out.includes('running-step-one') && !second.out.includes('running-step-two'), `steps 1 and 2 ran again:\n${second.out}`);
  assert.ok(second.out.includes('running-step-three'), second.out);
  assert.deepEqual(
    filesUnder(cache).filter((f) => path.basename(f).startsWith('tmp-')),
    [],
    'no private top layer left behind',
  );
  return { first: first.out, again, second: second.out, cache };
}

function assertHoldsAllSteps(disk: string): void {
  assert.equal(readGuestFile(disk, '/root/one.txt', work), 'one\n');
  assert.equal(readGuestFile(disk, '/root/two.txt', work), 'two\n');
  assert.equal(readGuestFile(disk, '/root/three.txt', work), 'three\n');
}

before(async () => {
  base = await ensureBaseImage();
  work = mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-cache-qemu-'));
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('qemu step cache (bin/kiln build, TCG)', () => {
  it('resumes a failed build from the layer after step 2, cold, and flattens the output', () => {
    const { cache } = failFixResume('cold', '');
    const disk = path.join(work, 'out-cold', 'cold.qcow2');
    assert.equal(qemuImgInfo(disk)['backing-filename'], undefined, 'the output is self-contained');
    rmSync(cache, { recursive: true, force: true });
    assertHoldsAllSteps(disk);
  });

  it('with the RAM state kept, resumes without a boot (also after a resumed run failed again); with use_backing_file the output is an overlay on the source', () => {
    const key = path.join(work, 'id_ed25519');
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status, 0);
    const source = `  use_backing_file     = true
  ssh_private_key_file = "${key}"
  qemuargs             = [["-fw_cfg", "name=opt/ssh_authorized_keys,file=${key}.pub"]]`;
    const { cache, again, second } = failFixResume('ram', source, ['-cache-ram'], true);
    assert.ok(filesUnder(cache).some((f) => f.endsWith('.vmstate.zst')), 'RAM states beside the layers');
    // The repeated failure was itself restored from RAM: its VM's states load too.
    for (const out of [again, second]) {
      assert.match(out, /Loading the saved RAM state\.\.\./);
      assert.doesNotMatch(out, /Not loading the saved RAM state|Loading the saved RAM state failed/);
    }
    const disk = path.join(work, 'out-ram', 'ram.qcow2');
    assert.equal(qemuImgInfo(disk)['backing-filename'], base.qcow2);
    rmSync(cache, { recursive: true, force: true });
    assertHoldsAllSteps(disk);
  });

  it('after Ctrl-C at random moments of provisioning and snapshots, leaves no private layer and the next -cache build is right', async () => {
    const seed = Number(process.env['KILN_CACHE_QEMU_SEED'] ?? 2026);
    const points = Number(process.env['KILN_CACHE_QEMU_POINTS'] ?? 2);
    const random = seeded(seed);
    const file = template('intr', '', 'sleep 2; echo running-step-three; echo three > /root/three.txt');
    for (let point = 0; point < points; point++) {
      const cache = path.join(work, `cache-intr-${point}`);
      const delay = Math.round(random() * 5000);
      const what = `seed ${seed}, point ${point}: SIGINT ${delay} ms after SSH connected`;
      const run = startKiln(['build', '-cache', `-cache-dir=${cache}`, '-force', file], work, { ...process.env, PACKER_NO_COLOR: '1' });
      assert.ok(await waitForOutput(run, /Connected to SSH!/, BUILD_TIMEOUT_MS), `${what}: never connected:\n${run.output()}`);
      await pause(delay);
      signalGroup(run.pid, 'SIGINT');
      const interrupted = await run.done;
      assert.deepEqual(filesUnder(cache).filter((f) => path.basename(f).startsWith('tmp-')), [], `${what}: a private layer is left:\n${interrupted.out}`);
      const again = kiln(['-cache', `-cache-dir=${cache}`, '-force', file]);
      assert.equal(again.code, 0, `${what}: the next -cache build failed:\n${again.out}`);
      assertHoldsAllSteps(path.join(work, 'out-intr', 'intr.qcow2'));
      assert.deepEqual(filesUnder(cache).filter((f) => path.basename(f).startsWith('tmp-')), [], `${what}: a private layer is left after the next build`);
    }
  });
});
