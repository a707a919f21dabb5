// bin/kiln's start: the V8 flags it runs with and the code cache scripts/build.mjs records
// for dist/ under them (bin/code-cache.cjs). V8 silently ignores a cache recorded under
// other flags, so these check that every dist/ file a command loads actually uses its
// cache, whether kiln starts through its sh preamble or as `node bin/kiln`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const { V8_FLAGS } = createRequire(import.meta.url)(path.join(REPO_ROOT, 'bin', 'code-cache.cjs')) as { V8_FLAGS: readonly string[] };
const hello = path.join(REPO_ROOT, 'examples', 'hello');

/** Each dist/ file the run loaded, with what V8 did with its code cache (NODE_DEBUG=module). */
function cacheUse(argv: readonly string[]): Map<string, string> {
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'module' } });
  assert.equal(r.status, 0, r.stderr);
  const files = new Map<string, string>();
  for (const m of r.stderr.matchAll(/^MODULE \d+: load "([^"]+)" \(kiln dist, ([^)]+)\)$/gm)) files.set(path.basename(m[1] ?? ''), m[2] ?? '');
  return files;
}

describe('bin/kiln start-up', () => {
  it("passes code-cache.cjs's V8_FLAGS in its sh preamble (no env -S, which busybox lacks)", () => {
    const lines = readFileSync(bin, 'utf8').split('\n');
    assert.ok(V8_FLAGS.length > 0);
    assert.equal(lines[0], '#!/bin/sh');
    assert.ok(lines.includes(`':' //; exec node ${V8_FLAGS.join(' ')} "$0" "$@"`), lines.slice(0, 4).join('\n'));
  });

  it('hands every argument to node unchanged, spaces and quotes included', () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kiln bin 'q' "));
    try {
      const file = path.join(dir, 'a "b" c.pkr.hcl');
      writeFileSync(file, 'variable "x" {\n  default = 1\n}\n');
      const r = spawnSync(bin, ['fmt', '-check', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const bad = spawnSync(bin, ['fmt', '-check', path.join(dir, 'missing file.pkr.hcl')], { encoding: 'utf8' });
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr + bad.stdout, /missing file\.pkr\.hcl/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [how, argv] of [
    ['through its sh preamble', [bin, 'validate', '-syntax-only', hello]],
    ['as node bin/kiln', [process.execPath, bin, 'validate', '-syntax-only', hello]],
    ['for kiln version', [bin, 'version']],
  ] as const) {
    it(`uses the code cache of every dist/ file it loads, ${how}`, () => {
      const files = cacheUse(argv);
      assert.ok(files.has('main.js') && files.size >= 5, `too few dist/ files logged: ${[...files.keys()].join(', ')}`);
      assert.deepEqual([...files].filter(([, use]) => use !== 'code cache used'), []);
    });
  }

  it('keeps a V8 flag given on the command line (the cache is then not used)', () => {
    const files = cacheUse([process.execPath, '--interrupt-budget=5000', bin, 'version']);
    assert.ok(files.size > 0);
    assert.deepEqual(new Set(files.values()), new Set(['code cache rejected']));
  });
});
