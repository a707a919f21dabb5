/** What every interrupted run is checked for (ledger*.test.ts and scripts/stress-ledger.ts). */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { entries, finished, groupLeft, kilnContainers, processesMentioning, type KilnRun } from './ledger-harness.js';

/** A discard-only docker build of `image` whose provisioner sleeps `sleepSeconds`. */
export function dockerTemplate(image: string, sleepSeconds: number): string {
  return `source "docker" "d" {
  image   = "${image}"
  pull    = false
  discard = true
}
build {
  sources = ["source.docker.d"]
  provisioner "shell" { inline = ["sleep ${sleepSeconds}"] }
}
`;
}

/** A null build whose shell-local provisioner sleeps `sleepSeconds`. */
export function nullTemplate(sleepSeconds: number): string {
  return `source "null" "n" { communicator = "none" }
build {
  sources = ["source.null.n"]
  provisioner "shell-local" { inline = ["sleep ${sleepSeconds}"] }
}
`;
}

/**
 * A qemu build over kiln's base image (test/support/qemu-base.ts) into `outputDir`,
 * under TCG: with `ssh`, a temporary key, a boot, a shell provisioner sleeping
 * `sleepSeconds` and a graceful shutdown (~12 s here); without, communicator none and a
 * shell-local sleep (~3 s).
 */
export function qemuTemplate(baseQcow2: string, outputDir: string, sleepSeconds: number, ssh: boolean): string {
  const comm = ssh ? '  ssh_username     = "root"\n  ssh_timeout      = "5m"\n  shutdown_command = "poweroff"' : '  communicator     = "none"';
  return `source "qemu" "q" {
  disk_image       = true
  iso_url          = "${baseQcow2}"
  iso_checksum     = "none"
  use_backing_file = true
  skip_resize_disk = true
  accelerator      = "tcg"
  headless         = true
  boot_wait        = "-1s"
  temporary_key_pair_type = "ed25519"
${comm}
  output_directory = "${outputDir}"
  vm_name          = "q.qcow2"
}
build {
  sources = ["source.qemu.q"]
  provisioner "${ssh ? 'shell' : 'shell-local'}" { inline = ["sleep ${sleepSeconds}"] }
}
`;
}

export type BuildKind = 'docker' | 'null' | 'qemu';

export interface InterruptedRun {
  readonly kind: BuildKind;
  readonly sig: NodeJS.Signals;
  readonly delay: number;
  readonly run: KilnRun;
  readonly pgid: number;
  readonly env: NodeJS.ProcessEnv;
  readonly ledgers: string;
  readonly tmp: string;
  /** The build's output folder (qemu): absent unless the build finished (then removed here for the next run). */
  readonly output?: string;
}

/**
 * No container, no process of the group nor any naming the run's TMPDIR (a VM), nothing
 * in TMPDIR, no partial output folder, no ledger; exit 0 only for a finished build.
 */
export async function checkInterruptedRun(r: InterruptedRun): Promise<void> {
  const what = `${r.kind} build, ${r.sig} after ${r.delay} ms:\n${r.run.out}`;
  // The signal lands once the build started (signalDuringBuild): an interrupted build exits 1. A signal after
  // the run ended (listeners gone, nothing left to clean) ends the exiting process by it.
  if (finished(r.run.out)) assert.ok(r.run.status === 0 || (r.run.status === null && r.run.signal === r.sig), `exit code: ${what}`);
  else assert.equal(r.run.status, 1, `exit code: ${what}`);
  assert.equal(await groupLeft(r.pgid), false, `a process of the run is left: ${what}`);
  assert.deepEqual(processesMentioning(r.tmp), [], `a process naming the run's TMPDIR is left: ${what}`);
  if (r.output !== undefined) {
    if (finished(r.run.out)) rmSync(r.output, { recursive: true, force: true });
    else assert.equal(existsSync(r.output), false, `partial output folder ${r.output} left: ${what}`);
  }
  if (r.kind === 'docker') assert.deepEqual(await kilnContainers(r.env), [], `containers left: ${what}`);
  assert.deepEqual(entries(r.tmp), [], `TMPDIR not empty: ${what}`);
  assert.deepEqual(entries(r.ledgers), [], `ledger left: ${what}`);
}
