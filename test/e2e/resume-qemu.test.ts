// A QEMU build that fails under -on-error=abort keeps its VM, as Packer does: the VM
// outlives kiln (it is not started with the parent-death signal, nor killed at kiln's
// exit), its ledger record is kept, `kiln gc` leaves it and `kiln gc -kept` removes it
// and everything the run kept. Through bin/kiln on kiln's base image (test/support/qemu-base.ts, TCG).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBaseImage, type BaseImage } from '../support/qemu-base.js';
import { qemuTemplate } from './ledger-checks.js';
import { KILN_BIN, entries, privateEnv, processesMentioning } from './ledger-harness.js';

const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-resume-qemu-'));
let base: BaseImage;

before(async () => {
  base = await ensureBaseImage();
});

after(() => {
  // A VM this test left by failing midway: its command line names the private TMPDIR.
  for (const p of processesMentioning(work)) {
    try {
      process.kill(Number(p.split(' ')[0]), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  rmSync(work, { recursive: true, force: true });
});

describe('-on-error=abort with the qemu builder', () => {
  it('keeps the VM running after kiln exits; gc leaves it, gc -kept removes it and the rest', () => {
    const dir = path.join(work, 'template');
    const output = path.join(work, 'output');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'build.pkr.hcl'), qemuTemplate(base.qcow2, output, 0, true).replace(/provisioner "shell" \{[^\n]*\n/, 'provisioner "shell" { inline = ["echo step one fails", "exit 7"] }\n'));
    const p = privateEnv(work, process.env);
    const r = spawnSync(KILN_BIN, ['build', '-on-error=abort', '.'], { cwd: dir, env: p.env, encoding: 'utf8', timeout: 600_000 });
    const out = r.stdout + r.stderr;
    assert.equal(r.status, 1, out);
    assert.match(out, /step one fails/);
    assert.match(out, /resources were left in place \(cleanup skipped on purpose\)/);
    assert.equal(processesMentioning(p.tmp).length, 1, `the VM outlives kiln:\n${out}`);
    assert.ok(existsSync(output), 'the output folder is kept');

    const gc = spawnSync(KILN_BIN, ['gc'], { env: p.env, encoding: 'utf8' });
    assert.equal(gc.status, 0, gc.stdout + gc.stderr);
    assert.match(gc.stdout, /process \d+ \(qemu-system-x86_64, .*\): kept on purpose; left \(kiln gc -kept removes it\)/);
    assert.equal(processesMentioning(p.tmp).length, 1, 'gc leaves the kept VM');

    const all = spawnSync(KILN_BIN, ['gc', '-kept'], { env: p.env, encoding: 'utf8' });
    assert.equal(all.status, 0, all.stdout + all.stderr);
    assert.match(all.stdout, /process \d+ \(qemu-system-x86_64, .*\): removed/);
    assert.deepEqual(processesMentioning(p.tmp), []);
    assert.equal(existsSync(output), false);
    assert.deepEqual(entries(p.tmp), []);
    assert.deepEqual(entries(p.ledgers), []);
  });
});
