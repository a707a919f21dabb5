/**
 * The step cache's command line through bin/kiln, with builds that need no engine (the
 * null builder, which cannot snapshot): the cache flags, what they add to the output,
 * and `kiln cache ls` / `kiln cache prune` on a real cache folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CacheEntry } from '../../src/core/cache/entry.js';
import { StepStore } from '../../src/core/cache/store.js';
import { REPO_ROOT } from '../support/shared.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-cache-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));
const cacheDir = path.join(work, 'steps');
const env: NodeJS.ProcessEnv = { ...process.env, PACKER_NO_COLOR: '1', XDG_STATE_HOME: path.join(work, 'state'), XDG_CACHE_HOME: path.join(work, 'xdg-cache'), XDG_CONFIG_HOME: path.join(work, 'config') };
delete env['KILN_CACHE_DIR'];

writeFileSync(
  path.join(work, 'null.pkr.hcl'),
  `source "null" "a" {
  communicator = "none"
}
build {
  sources = ["source.null.a"]
  provisioner "shell-local" { inline = ["echo hello"] }
}
`,
);

function kiln(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(path.join(REPO_ROOT, 'bin', 'kiln'), args, { cwd: work, env, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** -machine-readable output without the leading timestamps and the run's own temp paths. */
function machine(out: string): string {
  return out.replace(/^\d+,/gm, 'T,').replace(/kiln-run-[0-9a-z]+/g, 'RUN').replace(/packer-shell\d+/g, 'SHELL').replace(/after [^,\n]*/g, 'after D');
}

describe('step cache command line', () => {
  it('without a cache flag (or with -no-cache) the machine-readable output has no cache line; with -cache it adds only cache lines', () => {
    const plain = kiln('build', '-machine-readable', 'null.pkr.hcl');
    const none = kiln('build', '-machine-readable', '-no-cache', '-cache', 'null.pkr.hcl');
    const cached = kiln('build', '-machine-readable', '-cache', `-cache-dir=${cacheDir}`, 'null.pkr.hcl');
    for (const r of [plain, none, cached]) assert.equal(r.status, 0, r.out);
    assert.doesNotMatch(plain.out, /,cache,/);
    assert.equal(machine(none.out), machine(plain.out));
    const extra = machine(cached.out).split('\n').filter((l) => !machine(plain.out).split('\n').includes(l));
    assert.deepEqual(extra, ['T,null.a,cache,0,UNCACHEABLE,,the null builder cannot snapshot its machine: every step runs']);
  });

  it('-cache=read is taken, another value is refused with the flag named', () => {
    const read = kiln('build', '-cache=read', `-cache-dir=${cacheDir}`, 'null.pkr.hcl');
    assert.equal(read.status, 0, read.out);
    assert.match(read.out, /==> null\.a: \[base\] null: not cached: the null builder cannot snapshot its machine: every step runs/);
    const bad = kiln('build', '-cache=sometimes', 'null.pkr.hcl');
    assert.equal(bad.status, 1);
    assert.match(bad.out, /invalid boolean value "sometimes" for -cache/);
  });

  it('cache ls lists entries; cache prune removes them and refuses a bad size', () => {
    assert.match(kiln('cache', 'ls', `-cache-dir=${cacheDir}`).out, /is empty/);
    const store = new StepStore(cacheDir);
    const entry: CacheEntry = { v: 1, key: 'd'.repeat(64), parent: 'e'.repeat(64), build: 'docker.app', index: 2, component: 'shell', inputs: [], snapshot: { builderType: 'test', id: 'snap', size: 3 * 1024 * 1024 }, created: new Date().toISOString() };
    assert.equal(store.publish(entry), 'published');
    const ls = kiln('cache', 'ls', `-cache-dir=${cacheDir}`);
    assert.equal(ls.status, 0, ls.out);
    assert.match(ls.out, /^KEY\s+BUILD\s+STEP\s+TYPE\s+SNAPSHOT\s+SIZE/m);
    assert.match(ls.out, /^dddddddddddd\s+docker\.app\s+2\s+shell\s+test\s+3\.0 MiB/m);
    const bad = kiln('cache', 'prune', '-max-size=lots', `-cache-dir=${cacheDir}`);
    assert.equal(bad.status, 1);
    assert.match(bad.out, /invalid -max-size "lots"/);
    const dry = kiln('cache', 'prune', '-all', '-dry-run', `-cache-dir=${cacheDir}`);
    assert.match(dry.out, /Would remove 1 entries/);
    assert.equal(store.read(entry.key).kind, 'hit');
    const prune = kiln('cache', 'prune', '-all', `-cache-dir=${cacheDir}`);
    assert.equal(prune.status, 0, prune.out);
    assert.equal(store.read(entry.key).kind, 'missing');
  });
});
