/**
 * The step cache on the qemu builder, end to end: `bin/kiln build` (the compiled dist/)
 * on kiln's base image under TCG. A build of three shell steps whose third fails, run
 * with `-cache`, leaves a layer per successful step; once the third is fixed,
 * `-resume` boots from the layer after step 2 and runs only step 3; the output image,
 * read back offline, holds all three steps' results and does not refer to the cache.
 * Once cold (temporary key, flattened output), once with the RAM state kept
 * (`-cache-ram`, a key file, `use_backing_file`: an overlay on the source).
 * Interrupted builds: cache-qemu-interrupt.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
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

/**
 * A rebuild of `name` with nothing changed after a build that ran its last step: every
 * step hits and the capture is used, so no VM starts, and the output equals in content
 * the output before (qemu-img compare reads both through their backing files).
 */
function assertFullHitWithoutVm(name: string, cache: string): void {
  const disk = path.join(work, `out-${name}`, `${name}.qcow2`);
  const before = path.join(work, `${name}-before.qcow2`);
  copyFileSync(disk, before);
  assert.ok(filesUnder(cache).some((f) => f.endsWith('.capture.qcow2')), 'the capture after shutdown is kept');
  const run = kiln(['-cache', `-cache-dir=${cache}`, '-force', path.join(work, `${name}.pkr.hcl`)]);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /writing the output from the cached capture, without a VM/);
  assert.doesNotMatch(run.out, /Starting VM|running-step|Creating temporary/);
  assert.equal((run.out.match(/: \[\d\/3\] shell: CACHED [0-9a-f]{12}/g) ?? []).length, 3, run.out);
  const cmp = spawnSync('qemu-img', ['compare', before, disk], { encoding: 'utf8' });
  assert.equal(cmp.status, 0, `the full hit's output differs from the build's before it:\n${cmp.stdout}${cmp.stderr}`);
  rmSync(before);
}

describe('qemu step cache (bin/kiln build, TCG)', () => {
  it('resumes a failed build from the layer after step 2, cold, and flattens the output; a rebuild with nothing changed starts no VM', () => {
    const { cache } = failFixResume('cold', '');
    const disk = path.join(work, 'out-cold', 'cold.qcow2');
    assert.equal(qemuImgInfo(disk)['backing-filename'], undefined, 'the output is self-contained');
    assertFullHitWithoutVm('cold', cache);
    rmSync(cache, { recursive: true, force: true });
    assertHoldsAllSteps(disk);
  });

  it('with the RAM state kept (and the temporary SSH key with it), resumes without a boot (also after a resumed run failed again); with use_backing_file the output is an overlay on the source', () => {
    const { cache, again, second } = failFixResume('ram', '  use_backing_file = true', ['-cache-ram'], true);
    const files = filesUnder(cache);
    assert.ok(files.some((f) => f.endsWith('.vmstate.zst')), 'RAM states beside the layers');
    for (const f of files.filter((n) => /\.vmstate\.(zst|key)$/.test(n))) assert.equal(statSync(path.join(cache, f)).mode & 0o077, 0, `${f} is private`);
    // The repeated failure was itself restored from RAM: its VM's states load too.
    for (const out of [again, second]) {
      assert.match(out, /Loading the saved RAM state\.\.\./);
      assert.doesNotMatch(out, /Not loading the saved RAM state|Loading the saved RAM state failed|Creating temporary/);
    }
    const disk = path.join(work, 'out-ram', 'ram.qcow2');
    assert.equal(qemuImgInfo(disk)['backing-filename'], base.qcow2);
    assertFullHitWithoutVm('ram', cache);
    rmSync(cache, { recursive: true, force: true });
    assertHoldsAllSteps(disk);
  });
});
