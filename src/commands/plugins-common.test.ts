import assert from 'node:assert/strict';
import { test } from 'node:test';
import { multiError, progressPrinter } from './plugins-common.js';

test('progress: one line at the start and one at the end without a terminal', () => {
  let out = '';
  const p = progressPrinter((t) => (out += t), false);
  p({ file: 'a.zip', received: 100, total: 2_500_000, done: false });
  p({ file: 'a.zip', received: 2_000_000, total: 2_500_000, done: false });
  p({ file: 'a.zip', received: 2_500_000, total: 2_500_000, done: true });
  assert.equal(out, 'Downloading a.zip (2.5 MB)\nDownloaded a.zip (2.5 MB)\n');
});

test('progress: a bar redrawn in place on a terminal, ending with a newline', () => {
  let out = '';
  const p = progressPrinter((t) => (out += t), true);
  p({ file: 'a.zip', received: 1_250_000, total: 2_500_000, done: false });
  p({ file: 'a.zip', received: 2_500_000, total: 2_500_000, done: true });
  const frames = out.split('\r').filter(Boolean);
  assert.equal(frames[0], `a.zip [${'='.repeat(15)}${' '.repeat(15)}] 50% 1.3 MB / 2.5 MB`);
  assert.equal(frames.at(-1), `a.zip [${'='.repeat(30)}] 100% 2.5 MB / 2.5 MB\n`);
});

test("install errors in Go's multierror format", () => {
  assert.equal(multiError(['one']), '1 error occurred:\n\t* one\n');
  assert.equal(multiError(['one', 'two']), '2 errors occurred:\n\t* one\n\t* two\n');
});
