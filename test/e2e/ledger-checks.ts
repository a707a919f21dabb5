/** What every interrupted run is checked for (ledger.test.ts and scripts/stress-ledger.ts). */
import assert from 'node:assert/strict';
import { entries, finished, groupLeft, kilnContainers, type KilnRun } from './ledger-harness.js';

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

export interface InterruptedRun {
  readonly kind: 'docker' | 'null';
  readonly sig: NodeJS.Signals;
  readonly delay: number;
  readonly run: KilnRun;
  readonly pgid: number;
  readonly env: NodeJS.ProcessEnv;
  readonly ledgers: string;
  readonly tmp: string;
}

/** No container, no process of the group, nothing in TMPDIR, no ledger; exit 0 only for a finished build. */
export async function checkInterruptedRun(r: InterruptedRun): Promise<void> {
  const what = `${r.kind} build, ${r.sig} after ${r.delay} ms:\n${r.run.out}`;
  // A signal before kiln listens for it ends the process by that signal (status null): nothing was made yet.
  // A signal after the run ended (listeners gone, nothing left to clean) ends the exiting process by it.
  if (finished(r.run.out)) assert.ok(r.run.status === 0 || (r.run.status === null && r.run.signal === r.sig), `exit code: ${what}`);
  else assert.notEqual(r.run.status, 0, `exit code: ${what}`);
  assert.equal(await groupLeft(r.pgid), false, `a process of the run is left: ${what}`);
  if (r.kind === 'docker') assert.deepEqual(await kilnContainers(r.env), [], `containers left: ${what}`);
  assert.deepEqual(entries(r.tmp), [], `TMPDIR not empty: ${what}`);
  assert.deepEqual(entries(r.ledgers), [], `ledger left: ${what}`);
}
