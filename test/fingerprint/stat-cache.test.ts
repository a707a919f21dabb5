import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { digestPath } from '../../src/core/fingerprint/files.js';
import { statCache } from '../../src/core/fingerprint/stat-cache.js';
import { templateDir } from './helpers.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('fingerprint: the stat cache', () => {
  it('remembers digests across processes by exact stats, and forgets a changed file', async () => {
    const t = await templateDir({ 'tree/a.txt': 'alpha', 'tree/b.txt': 'beta' });
    try {
      const file = path.join(t.dir, 'stat-cache.json');
      const a = path.join(t.dir, 'tree', 'a.txt');
      const first = statCache(file, { racyMs: 0 });
      const d0 = await digestPath(path.join(t.dir, 'tree'), first);
      assert.equal(await digestPath(path.join(t.dir, 'tree')), d0);
      first.save();
      // A later process: the file's stats are the same, so the digest comes from the cache.
      const later = statCache(file, { racyMs: 0 });
      assert.equal(later.get(a, statSync(a)), sha('alpha'));
      writeFileSync(a, 'alpha, changed');
      assert.equal(later.get(a, statSync(a)), undefined);
      const d1 = await digestPath(path.join(t.dir, 'tree'), later);
      assert.notEqual(d1, d0);
      assert.equal(d1, await digestPath(path.join(t.dir, 'tree')));
    } finally {
      await t.dispose();
    }
  });

  it('does not remember a file changed just before it was read, and writes nothing read-only', async () => {
    const t = await templateDir({ 'f.txt': 'fresh' });
    try {
      const file = path.join(t.dir, 'stat-cache.json');
      const f = path.join(t.dir, 'f.txt');
      const c = statCache(file);
      await digestPath(f, c);
      assert.equal(c.get(f, statSync(f)), undefined);
      const ro = statCache(file, { readOnly: true, racyMs: 0 });
      await digestPath(f, ro);
      ro.save();
      assert.throws(() => readFileSync(file));
    } finally {
      await t.dispose();
    }
  });

  it('ignores a corrupt file', async () => {
    const t = await templateDir({ 'stat-cache.json': '{"v":1,"entries":{"/x":{"stat":"1","sha256":"nothex","used":1}}', 'g.txt': 'g' });
    try {
      const c = statCache(path.join(t.dir, 'stat-cache.json'), { racyMs: 0 });
      assert.equal(await digestPath(path.join(t.dir, 'g.txt'), c), `sha256:${sha('g')}`);
    } finally {
      await t.dispose();
    }
  });
});
