import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openRunLedger } from './ledger.js';
import { processStartTime } from './process-identity.js';
import { parseLedger } from './record.js';
import { listRuns, takeOverRecords } from './runs.js';

const root = mkdtempSync(path.join(tmpdir(), 'kiln-ledger-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('run ledger', () => {
  it('writes nothing until the first intent, then a header and every record, read back as states', () => {
    const dir = path.join(root, 'a');
    const ledger = openRunLedger(dir, ['kiln', 'build', '.']);
    assert.equal(existsSync(dir), false);
    const c = ledger.intent({ kind: 'container', name: `kiln-${ledger.runId}-1` });
    const p = ledger.intent({ kind: 'path', path: '/tmp/kiln-x' });
    const scope = ledger.scope();
    const k = scope.intent({ kind: 'path', path: '/tmp/kiln-kept' });
    c.identify('abc123');
    assert.deepEqual(ledger.pending(), [`container kiln-${ledger.runId}-1 (abc123)`, 'path /tmp/kiln-x', 'path /tmp/kiln-kept']);
    scope.keepPending();
    p.done();
    c.done();
    k.done(); // already kept: stays kept
    const [file] = readdirSync(dir);
    assert.equal(file, `${ledger.runId}.jsonl`);
    const read = parseLedger(readFileSync(path.join(dir, file ?? ''), 'utf8'));
    assert.deepEqual(read.problems, []);
    assert.equal(read.header?.pid, process.pid);
    assert.equal(read.header?.start, processStartTime(process.pid));
    assert.deepEqual(read.header?.argv, ['kiln', 'build', '.']);
    assert.deepEqual(
      read.entries.map((e) => [e.n, e.state, e.id]),
      [
        [1, 'done', 'abc123'],
        [2, 'done', undefined],
        [3, 'kept', undefined],
      ],
    );
    // This process is alive: its ledger is not gc's.
    assert.deepEqual(listRuns(dir).map((r) => r.alive), [true]);
    assert.deepEqual(ledger.close(), { pending: 0, kept: 1, skipped: 1 });
    assert.equal(readdirSync(dir).length, 1, 'a ledger with kept resources stays');
    ledger.intent({ kind: 'path', path: '/tmp/kiln-after-close' });
    assert.equal(readFileSync(path.join(dir, file ?? ''), 'utf8').includes('kiln-after-close'), false, 'nothing is written after close');
  });

  it('removes its file at close when everything was done', () => {
    const dir = path.join(root, 'b');
    const ledger = openRunLedger(dir);
    ledger.intent({ kind: 'path', path: '/tmp/kiln-y' }).done();
    assert.deepEqual(ledger.close(), { pending: 0, kept: 0, skipped: 0 });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('counts what its component kept apart from what a skipped cleanup kept', () => {
    const dir = path.join(root, 'b2');
    const ledger = openRunLedger(dir);
    ledger.intent({ kind: 'image', ref: 'kiln-cache:abc' }).kept();
    const scope = ledger.scope();
    scope.intent({ kind: 'path', path: '/tmp/kiln-y2' }).done();
    assert.deepEqual(scope.close(), { pending: 0, kept: 0, skipped: 0 }, 'a scope counts its own records');
    assert.deepEqual(ledger.close(), { pending: 0, kept: 1, skipped: 0 }, 'kept by its component (a cache image), not by a skipped cleanup');
    assert.equal(readdirSync(dir).length, 1, 'the ledger stays for what is kept');
  });

  it('a pid that is alive but started at another time is a dead run (pid reuse)', () => {
    const header = { t: 'header', v: 1, pid: process.pid, start: '1', argv: [], time: '' };
    const dir = path.join(root, 'c');
    const ledger = openRunLedger(dir);
    ledger.intent({ kind: 'path', path: '/tmp/kiln-z' });
    ledger.close();
    const [file] = readdirSync(dir);
    const full = path.join(dir, file ?? '');
    const text = readFileSync(full, 'utf8').split('\n');
    text[0] = JSON.stringify(header);
    rmSync(full);
    const other = path.join(dir, 'reused.jsonl');
    writeFileSync(other, text.join('\n'));
    assert.deepEqual(listRuns(dir).map((r) => [r.alive, r.entries.length]), [[false, 1]]);
  });
});

describe('machine marks and taking records over', () => {
  it('reads back the last mark of a record; another run takes records over and the ledger goes when nothing is left', () => {
    const dir = path.join(root, 'marks');
    const ledger = openRunLedger(dir);
    const c = ledger.intent({ kind: 'container', name: `kiln-${ledger.runId}-m` });
    const t = ledger.intent({ kind: 'path', path: '/tmp/kiln-docker-mark' });
    const base = { build: 'docker.app', builder: 'docker', base: 'b'.repeat(64), mounts: ['/tmp/kiln-docker-mark'] };
    c.mark({ ...base, steps: ['1'.repeat(64)], next: { step: 2, type: 'shell' } });
    c.mark({ ...base, steps: ['1'.repeat(64), '2'.repeat(64)], next: { step: 3, type: 'file' } });
    ledger.keepPending();
    c.mark({ ...base, steps: [] }); // settled: no more marks
    ledger.close();
    // Written by this (live) process: read it back as a dead run's would be.
    const [run] = listRuns(dir);
    assert.ok(run);
    const entry = run.entries.find((e) => e.resource.kind === 'container');
    assert.equal(entry?.state, 'kept');
    assert.deepEqual(entry?.mark?.steps.length, 2);
    assert.deepEqual(entry?.mark?.next, { step: 3, type: 'file' });
    assert.equal(takeOverRecords(run, [entry?.n ?? 0]), true);
    const [back] = listRuns(dir);
    assert.deepEqual(back?.entries.map((e) => e.state), ['done', 'kept'], 'the folder record is left, so the ledger stays');
    assert.ok(back);
    assert.equal(takeOverRecords(back, [2]), true);
    assert.deepEqual(readdirSync(dir), [], 'nothing pending or kept: the ledger is removed');
    t.done();
  });
  it('refuses a mark whose mounts are not absolute paths', () => {
    const r = parseLedger('{"t":"intent","n":1,"r":{"kind":"container","name":"kiln-x"}}\n{"t":"mark","n":1,"m":{"build":"b","builder":"docker","base":"k","steps":[],"mounts":["/"]}}\n');
    assert.equal(r.entries[0]?.mark, undefined);
    assert.match(r.problems.join('\n'), /line 2: not a ledger record/);
  });
});

describe('parseLedger', () => {
  it('reports a cut-off tail and unreadable lines, keeps the rest, never throws', () => {
    const r = parseLedger('{"t":"intent","n":1,"r":{"kind":"path","path":"/tmp/q"}}\n\u0000\u0000garbage\n{"t":"done","n":9}\n{"t":"in');
    assert.deepEqual(r.problems, [
      'no header: the writing process cannot be identified',
      'line 2: not a ledger record: \u0000\u0000garbage',
      'line 3: done for unknown record 9',
      'line 4: truncated record ignored (the run stopped while writing it)',
    ]);
    assert.deepEqual(r.entries.map((e) => [e.n, e.state]), [[1, 'pending']]);
  });

  it('refuses records that would point gc at the wrong thing', () => {
    const r = parseLedger('{"t":"intent","n":1,"r":{"kind":"path","path":"/"}}\n{"t":"intent","n":2,"r":{"kind":"path","path":"relative"}}\n{"t":"intent","n":3,"r":{"kind":"process","pid":1,"match":"x","name":"init"}}\n');
    assert.equal(r.entries.length, 0);
    assert.equal(r.problems.length, 4);
  });
});
