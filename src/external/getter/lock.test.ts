import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { acquireLock, LOCK_NAME } from './lock.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-lock-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a second holder waits for the first to release', async () => {
  const dir = path.join(tmp, 'a');
  const release = await acquireLock(dir);
  assert.equal(readFileSync(path.join(dir, LOCK_NAME), 'utf8'), String(process.pid));
  const order: string[] = [];
  const second = acquireLock(dir).then((r) => (order.push('second'), r));
  await new Promise((r) => setTimeout(r, 300));
  order.push('first releases');
  await release();
  await (await second)();
  assert.deepEqual(order, ['first releases', 'second']);
  assert.ok(!existsSync(path.join(dir, LOCK_NAME)));
});

test("a dead owner's lock is taken over; an abort stops the wait", async () => {
  const dir = path.join(tmp, 'b');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const held = await acquireLock(dir);
  await held();
  writeFileSync(path.join(dir, LOCK_NAME), dead);
  const release = await acquireLock(dir);
  const controller = new AbortController();
  const waiting = acquireLock(dir, controller.signal);
  controller.abort();
  await assert.rejects(waiting);
  await release();
});
