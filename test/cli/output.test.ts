// kiln's standard output and error through bin/kiln (src/commands/process-output.ts):
// written with write(2), so a large output must arrive whole through a pipe that fills,
// a descriptor left non-blocking must not lose bytes (EAGAIN), and a reader that goes
// away (EPIPE) must end kiln quietly, cancelling a build so that it cleans up.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-output-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** ~4 MB of canonically formatted HCL: `kiln fmt -` prints it back unchanged. */
const big = Array.from({ length: 20_000 }, (_, i) => `v${String(i).padStart(5, '0')} = "${'x'.repeat(180)}-${i}"\n`).join('');
const bigFile = path.join(work, 'big.hcl');
writeFileSync(bigFile, big);

interface Finished {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `argv` with stdin from `input`; the test reads nothing for `holdMs` (the pipe fills
 * and the writer must wait), then everything.
 */
function run(argv: readonly string[], input: string, holdMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { cwd: work, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PACKER_NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.on('data', (b: Buffer) => out.push(b)).resume(), holdMs);
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input);
  });
}

/** The state letter of /proc/<pid>/stat ('R', 'S', 'Z', ...), or 'gone'. */
function processState(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').slice(0, 1);
  } catch {
    return 'gone';
  }
}

describe('kiln output', () => {
  it('delivers a 4 MB output whole through a pipe the reader drains late', async () => {
    const r = await run([bin, 'fmt', '-'], big, 300);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.length, big.length);
    assert.ok(r.stdout === big, 'fmt - printed something other than its (already formatted) input');
  });

  it('loses nothing when its standard output is a non-blocking pipe (EAGAIN)', async () => {
    // python3 marks the pipe's open file non-blocking (shared with kiln after exec), as
    // another process holding the same pipe may; Node's spawn makes a child's pipe blocking.
    const setNonBlocking = 'import os, sys; os.set_blocking(1, False); assert not os.get_blocking(1); os.execv(sys.argv[1], sys.argv[1:])';
    const r = await run(['python3', '-c', setNonBlocking, bin, 'fmt', '-'], big, 300);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.length, big.length);
    assert.ok(r.stdout === big, 'the output through a non-blocking pipe differs from the input');
  });

  it('exits quietly with status 0 when the reader goes away (kiln fmt - | head -c1)', () => {
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" fmt - < "$1" 2>"$2" | head -c1; echo " status=$?"', bin, bigFile, path.join(work, 'fmt.err')], { encoding: 'utf8' });
    assert.equal(r.stdout, 'v status=0\n');
    assert.equal(readFileSync(path.join(work, 'fmt.err'), 'utf8'), '');
  });

  it('cancels a build whose reader went away, as SIGTERM would, and cleans up', () => {
    const dir = path.join(work, 'build');
    mkdirSync(dir);
    // Lines every 0.2 s (head has exited by the second), then 60 s more: only a
    // cancelled build ends before spawnSync's 40 s timeout.
    writeFileSync(
      path.join(dir, 'build.pkr.hcl'),
      `source "null" "a" {
  communicator = "none"
}
build {
  sources = ["source.null.a"]
  provisioner "shell-local" {
    inline = ["echo $$ > ${dir}/pid; for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i; sleep 0.2; done; sleep 60"]
  }
}
`,
    );
    // A ledger folder of its own: no note about other runs' leftovers comes before the build's output.
    const env = { ...process.env, PACKER_NO_COLOR: '1', XDG_STATE_HOME: path.join(work, 'state') };
    const r = spawnSync('bash', ['-c', 'cd "$1" && "$0" build . 2>"$1/err" | head -c1; echo " status=${PIPESTATUS[0]}"', bin, dir], { encoding: 'utf8', env, timeout: 40_000 });
    assert.equal(r.error, undefined, 'kiln build did not stop when its reader went away');
    // The first byte of '==> null.a: ...', then kiln's status: 1, cancelled.
    assert.equal(r.stdout, '= status=1\n');
    const err = readFileSync(path.join(dir, 'err'), 'utf8');
    assert.doesNotMatch(err, /internal error|at .*\.js:\d+/);
    // The step's shell did not outlive kiln: the cancelled build stopped it (gone, or a
    // zombie left to an init that does not reap).
    const pid = Number(readFileSync(path.join(dir, 'pid'), 'utf8'));
    assert.match(processState(pid), /^(gone|Z|X)$/);
  });
});
