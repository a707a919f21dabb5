import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { killedWithParent } from './parent-death.js';
import { pidRunning } from './process-identity.js';
import { formatLine } from './record.js';
import { claimRun, listRuns, releaseRun } from './runs.js';
import { removeResource } from './sweep.js';

const root = mkdtempSync(path.join(tmpdir(), 'kiln-sweep-unit-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** A node process that idles; `tag` is on its command line, `mark` (NAME=value) in its environment. */
function idle(tag: string, mark?: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (mark !== undefined) env[mark.split('=')[0] ?? ''] = mark.split('=')[1];
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', tag], { stdio: 'ignore', env });
  children.push(c);
  return c;
}

async function exited(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  await new Promise((r) => c.once('exit', r));
}

describe('removing a recorded process', () => {
  it('kills the process whose command line and environment entry match, and removes its socket', async () => {
    const tag = `kiln-sweep-${randomBytes(4).toString('hex')}`;
    const mark = `KILN_LEDGER_MARK=${randomBytes(8).toString('hex')}`;
    const other = idle(tag, 'KILN_LEDGER_MARK=someone-else'); // same command line, another run's
    const mine = idle(tag, mark);
    const socket = path.join(root, 'packer-plugin-123');
    writeFileSync(socket, '');
    await new Promise((r) => setTimeout(r, 300));
    // The pid was never recorded: found by scanning /proc for command line and mark.
    const out = await removeResource({ resource: { kind: 'process', match: tag, env: mark, name: 'plugin x' }, socket });
    assert.deepEqual(out, { kind: 'removed' });
    await exited(mine);
    assert.equal(mine.signalCode, 'SIGKILL');
    assert.ok(pidRunning(other.pid ?? 0), 'the process of another run is left alone');
    assert.equal(existsSync(socket), false);
  });

  it('never kills a recorded pid whose command line no longer matches (a reused pid)', async () => {
    const c = idle('some-other-program');
    await new Promise((r) => setTimeout(r, 300));
    const out = await removeResource({ resource: { kind: 'process', match: '/tmp/kiln-run-x/qmp-1.sock', name: 'qemu' }, id: String(c.pid) });
    assert.deepEqual(out, { kind: 'gone' });
    assert.ok(pidRunning(c.pid ?? 0));
  });
});

describe('a child that dies with its parent', () => {
  it('wraps a command found on PATH with setpriv --pdeathsig, and leaves one that cannot be found as it is', () => {
    const w = killedWithParent('sh', ['-c', 'true']);
    assert.deepEqual(w.args.slice(0, 3), ['--pdeathsig', 'KILL', '--'], 'setpriv (util-linux) is installed here');
    assert.deepEqual(w.args.slice(3), ['sh', '-c', 'true']);
    assert.deepEqual(killedWithParent('/nonexistent/qemu', ['-x']), { command: '/nonexistent/qemu', args: ['-x'] });
  });
});

describe('claiming a dead run for one gc', () => {
  it('lets only one of two claims win, hides the claim from others while its gc lives, and gives it back', () => {
    const dir = path.join(root, 'runs');
    rmSync(dir, { recursive: true, force: true });
    const header = { t: 'header' as const, v: 1 as const, pid: 999_999_999, argv: ['kiln'], time: new Date().toISOString() };
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'r1.jsonl');
    writeFileSync(file, formatLine(header) + formatLine({ t: 'intent', n: 1, r: { kind: 'path', path: '/tmp/kiln-nothing-here' } }));
    const [run] = listRuns(dir);
    assert.ok(run && !run.alive && run.claimedBy === undefined);
    const first = claimRun(run);
    const second = claimRun(run);
    assert.ok(first !== undefined);
    assert.equal(second, undefined);
    const [claimed] = listRuns(dir);
    assert.equal(claimed?.runId, 'r1');
    assert.equal(claimed?.claimedBy, process.pid, 'claimed by a live gc (this process)');
    releaseRun(first, run);
    assert.deepEqual(readdirSync(dir), ['r1.jsonl']);
  });
});
