/**
 * `kiln build -debug` on a null build through bin/kiln, answered through a pipe: the
 * build pauses after each step and before each cleanup, and goes on only when
 * answered. The docker and qemu builds are driven the same way in docker.test.ts and
 * qemu.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { debugBuild, pausedAfter } from '../support/debug-build.js';

const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-debug-'));

after(() => rmSync(work, { recursive: true, force: true }));

describe('kiln build -debug, null builder', () => {
  it('pauses after each step and before each cleanup until a line is read from stdin', async () => {
    writeFileSync(
      path.join(work, 'build.pkr.hcl'),
      `source "null" "box" {
  communicator = "none"
}
build {
  sources = ["source.null.box"]
  provisioner "shell-local" {
    inline = ["echo provisioned-after-connect"]
  }
}
`,
    );
    const run = await debugBuild(['.'], { cwd: work, timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.out);
    assert.deepEqual(pausedAfter(run), ['StepConnect', 'StepProvision']);
    assert.deepEqual(
      run.pauses.filter((p) => p.location === 'before cleanup of').map((p) => p.step),
      ['StepProvision', 'StepConnect'],
    );
    for (const p of run.pauses) assert.equal(p.printedWhilePaused, '', `the build went on past the ${p.location} ${p.step} pause:\n${run.out}`);
    // The provisioner ran between the two pauses, not before the first was answered.
    const first = run.out.indexOf("Pausing after run of step 'StepConnect'");
    const provisioned = run.out.indexOf('provisioned-after-connect');
    const second = run.out.indexOf("Pausing after run of step 'StepProvision'");
    assert.ok(first >= 0 && first < provisioned && provisioned < second, run.out);
  });

  it('goes on without pausing when standard input ends', async () => {
    const run = await debugBuild(['.'], { cwd: work, timeoutMs: 60_000, closeStdin: true });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /Pausing after run of step 'StepConnect'/);
    assert.match(run.out, /provisioned-after-connect/);
  });
});
