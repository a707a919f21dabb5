// A shell-local script runs in a process group of its own (so Ctrl-C can end its whole
// tree), which also means it outlives a `kill -9` of kiln. Through bin/kiln: the script
// and a child it started in the background are still running after kiln was killed;
// `kiln gc` ends both (it finds them by the environment entry kiln gave the script) and
// a second gc finds nothing. A finished build leaves no record of its scripts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { KILN_BIN, entries, pause, privateEnv, startKiln } from './ledger-harness.js';

const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-ledger-shell-'));
const started: number[] = [];

after(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone: what the test expects
    }
  }
  rmSync(work, { recursive: true, force: true });
});

/** A template whose shell-local script starts a background sleep, writes both pids, then sleeps `seconds`. */
function setup(name: string, seconds: number): { dir: string; env: NodeJS.ProcessEnv; ledgers: string; pidsFile: string } {
  const root = path.join(work, name);
  const dir = path.join(root, 'template');
  mkdirSync(dir, { recursive: true });
  const pids = path.join(root, 'pids');
  writeFileSync(
    path.join(dir, 'build.pkr.hcl'),
    `source "null" "n" { communicator = "none" }
build {
  sources = ["source.null.n"]
  provisioner "shell-local" {
    inline = ["sleep ${seconds} & echo $! > ${pids}.tmp; echo $$ >> ${pids}.tmp; mv ${pids}.tmp ${pids}; sleep ${seconds}"]
  }
}
`,
  );
  const p = privateEnv(root, process.env);
  return { dir, env: p.env, ledgers: p.ledgers, pidsFile: pids };
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

async function waitFor(file: string, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (existsSync(file)) return true;
    await pause(50);
  }
  return false;
}

function gc(env: NodeJS.ProcessEnv): { status: number | null; out: string } {
  const r = spawnSync(KILN_BIN, ['gc'], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('ledger: shell-local processes', () => {
  it('after kill -9 of kiln the script and its background child keep running; gc ends both; a second gc finds nothing', async () => {
    const s = setup('killed', 120);
    const run = startKiln(['build', '.'], s.dir, s.env);
    assert.ok(await waitFor(s.pidsFile, 60_000), run.output());
    const pids = readFileSync(s.pidsFile, 'utf8').trim().split('\n').map(Number);
    started.push(...pids);
    assert.equal(pids.length, 2);
    process.kill(run.pid, 'SIGKILL');
    await run.done;
    for (const pid of pids) assert.ok(running(pid), `process ${pid} should have outlived kiln (its own process group)`);

    const first = gc(s.env);
    assert.equal(first.status, 0, first.out);
    assert.match(first.out, /process .*: removed/);
    for (const pid of pids) assert.ok(!running(pid), `gc should have ended process ${pid}\n${first.out}`);
    assert.deepEqual(entries(s.ledgers), []);

    const again = gc(s.env);
    assert.equal(again.status, 0, again.out);
    assert.doesNotMatch(again.out, /removed/);
  });

  it('a build whose script finished leaves no ledger behind', async () => {
    const s = setup('finished', 0);
    const run = startKiln(['build', '.'], s.dir, s.env);
    const r = await run.done;
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(entries(s.ledgers), []);
  });
});
