// Zips made by Info-ZIP's `zip` (a real producer), read back by kiln's reader.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { extractZipFile, zipEntries } from './zip-reader.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-zip-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function makeZip(name: string, files: Record<string, string | Buffer>, flags: string[] = []): Buffer {
  const dir = mkdtempSync(path.join(tmp, 'z-'));
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content);
  execFileSync('zip', ['-q', '-X', ...flags, name, ...Object.keys(files)], { cwd: dir });
  return readFileSync(path.join(dir, name));
}

describe('zip reader', () => {
  const big = Buffer.from('#!/bin/sh\n' + 'echo plugin\n'.repeat(5000));
  test('reads deflated and stored entries', () => {
    const deflated = makeZip('a.zip', { 'packer-plugin-x_v1.0.0_x5.0_linux_amd64': big, 'README.md': 'hi' });
    const names = zipEntries(deflated);
    assert.ok(Array.isArray(names));
    assert.deepEqual(names.map((e) => [e.name, e.method]), [['packer-plugin-x_v1.0.0_x5.0_linux_amd64', 8], ['README.md', 0]]);
    assert.deepEqual(extractZipFile(deflated, 'packer-plugin-x_v1.0.0_x5.0_linux_amd64'), { data: big });
    const stored = makeZip('b.zip', { bin: big }, ['-0']);
    assert.deepEqual(extractZipFile(stored, 'bin'), { data: big });
    assert.deepEqual(extractZipFile(stored, 'other'), { missing: true });
  });

  test('corruption and truncation are errors, not throws', () => {
    const zip = makeZip('c.zip', { bin: big }, ['-0']);
    const flipped = Buffer.from(zip);
    flipped[60] = flipped[60]! ^ 0xff; // inside the stored data
    assert.match((extractZipFile(flipped, 'bin') as { error: string }).error, /CRC-32/);
    assert.match((extractZipFile(zip.subarray(0, zip.length >> 1), 'bin') as { error: string }).error, /not a zip file/);
    assert.match((extractZipFile(Buffer.from('hello'), 'bin') as { error: string }).error, /not a zip file/);
  });
});
