// Go plugin processes in the ledger, through bin/kiln with the current-SDK test plugin
// (test/support/go-plugins.ts, `kilntest` builder): each plugin process is recorded before
// it is spawned (its command, a unique KILN_LEDGER_MARK environment entry), then its pid
// and its `packer-plugin*` socket; a finished run leaves no record, socket or process;
// after `kill -9` of kiln the plugin dies with it (parent-death signal) and `kiln gc`
// removes the socket it left and the run's TMPDIR.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseLedger } from '../../src/sdk/ledger/record.js';
import { installGoPlugins } from '../support/go-plugins.js';
import { KILN_BIN, entries, groupLeft, pause, privateEnv, processesMentioning, startKiln, waitForOutput } from './ledger-harness.js';

const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-ledger-plugins-'));
const plugins = path.join(work, 'plugins');

before(() => installGoPlugins(plugins, ['kilntest']));
after(() => rmSync(work, { recursive: true, force: true }));

function setup(name: string, sleepSeconds: number): { dir: string; env: NodeJS.ProcessEnv; ledgers: string; tmp: string } {
  const root = path.join(work, name);
  const dir = path.join(root, 'template');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'build.pkr.hcl'),
    `source "kilntest" "k" { message = "hi" }
build {
  sources = ["source.kilntest.k"]
  provisioner "shell-local" { inline = ["echo provisioning", "sleep ${sleepSeconds}"] }
}
`,
  );
  const p = privateEnv(root, { ...process.env, PACKER_PLUGIN_PATH: plugins });
  return { dir, env: p.env, ledgers: p.ledgers, tmp: p.tmp };
}

describe('ledger: Go plugin processes', () => {
  it('records each plugin process (command, environment mark, pid, socket); a finished run leaves nothing', async () => {
    const s = setup('finished', 0);
    const r = spawnSync(KILN_BIN, ['build', '.'], { cwd: s.dir, env: s.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /echo: hi/);
    assert.deepEqual(entries(s.ledgers), [], 'the ledger goes when everything was undone');
    assert.deepEqual(entries(s.tmp), []);
    assert.deepEqual(processesMentioning(plugins), []);
  });

  it('after kill -9 the plugin dies with kiln; gc removes its socket and the run folder; a second gc finds nothing', async () => {
    const s = setup('killed', 60);
    const run = startKiln(['build', '.'], s.dir, s.env);
    assert.ok(await waitForOutput(run, /provisioning/), run.output());
    const [file] = entries(s.ledgers);
    assert.ok(file !== undefined, 'the run has a ledger');
    const ledger = parseLedger(readFileSync(path.join(s.ledgers, file), 'utf8'));
    // The plugins' records (the shell-local script the provisioner runs has one of its own, a `tree`).
    const procs = ledger.entries.filter((e) => e.resource.kind === 'process' && e.resource.tree !== true && e.state === 'pending');
    assert.ok(procs.length >= 1, JSON.stringify(ledger.entries));
    const live: number[] = [];
    for (const e of procs) {
      const r = e.resource;
      assert.ok(r.kind === 'process');
      assert.match(r.name, /^plugin kilntest$/);
      assert.match(r.match, /packer-plugin-kilntest_v0\.0\.1/);
      assert.match(r.env ?? '', /^KILN_LEDGER_MARK=[0-9a-f]{16}$/);
      assert.match(e.socket ?? '', /\/kiln-run-\w+\/packer-plugin\w*/, 'the socket, in the private TMPDIR');
      const pid = Number(e.id);
      assert.ok(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(r.env ?? ''), 'the mark is in the live process environment');
      live.push(pid);
    }
    process.kill(run.pid, 'SIGKILL');
    await run.done;
    assert.equal(await groupLeft(run.pid), false, 'the plugins and the provisioner got the parent-death signal or finished');
    await pause(200);
    for (const pid of live) assert.equal(existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kilntest'), false, `plugin ${pid} is gone`);

    const gc = spawnSync(KILN_BIN, ['gc'], { env: s.env, encoding: 'utf8' });
    assert.equal(gc.status, 0, gc.stdout + gc.stderr);
    assert.match(gc.stdout, /process \d+ \(plugin kilntest, command line with \S+packer-plugin-kilntest\S*, socket \S+packer-plugin\w*\): (already gone|removed)/);
    assert.match(gc.stdout, /ledger removed/);
    for (const e of procs) assert.equal(existsSync(e.socket ?? ''), false);
    assert.deepEqual(entries(s.tmp), []);
    assert.deepEqual(entries(s.ledgers), []);
    const again = spawnSync(KILN_BIN, ['gc'], { env: s.env, encoding: 'utf8' });
    assert.match(again.stdout, /^Nothing to remove\.$/m);
  });
});
