/**
 * The step cache engine through core's build runner, with real keys (the fingerprint
 * module), the real store, locks and provision hook. The builder is a STAND-IN, defined
 * here, for the engine's logic only: its "machine" is a list of lines that provisioners
 * append to through a communicator, and its snapshots are files in the cache's layers
 * folder. The real builders' acceptance tests (docker, qemu) are their own suites.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { testPackerConfig } from '../support/packer-config.js';
import type { RunCache } from '../../src/core/build.js';
import { fingerprintKeyer } from '../../src/core/cache/keyer-fingerprint.js';
import { StepStore } from '../../src/core/cache/store.js';
import { tryLockStep } from '../../src/core/cache/locks.js';
import type { CacheEntry } from '../../src/core/cache/entry.js';
import { fixedCacheSecret } from '../../src/core/fingerprint/secret.js';
import type { PreparedBuild } from '../../src/core/prepare.js';
import { runBuilds } from '../../src/core/run-builds.js';
import { UiEmitter } from '../../src/core/ui/emitter.js';
import type { StepCacheEvent, UiEvent } from '../../src/core/ui/events.js';
import { SecretFilter } from '../../src/core/ui/secret-filter.js';
import type { Artifact } from '../../src/sdk/artifact.js';
import type { Communicator } from '../../src/sdk/communicator.js';
import { defineBuilder, defineProvisioner, type SnapshotRef } from '../../src/sdk/component.js';
import { fail, ok } from '../../src/sdk/result.js';
import { decodeComponentConfig } from '../../src/sdk/schema/decode-config.js';
import { bool, str } from '../../src/sdk/schema/field.js';
import type { ComponentSpec, ProvisionerSpec } from '../../src/template/model.js';
import { manifestPostProcessor } from '../../src/plugins/post-processors/manifest/index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-cache-engine-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dir = '';
let ran: string[] = [];
/** Set by a test: the stand-in's snapshots fail, after aborting `cancel` when given (a Ctrl-C during the snapshot). */
let snapshotFailure: { cancel?: AbortController } | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(root, 'steps-'));
  ran = [];
  snapshotFailure = undefined;
});

/** The stand-in machine: lines; provisioners append through `run`. */
function machineComm(lines: string[]): Communicator {
  return {
    type: 'test',
    run: async (cmd) => {
      lines.push(cmd.command);
      return { kind: 'exited', exitStatus: 0 };
    },
    upload: async () => {},
    uploadDir: async () => {},
    download: async () => {},
    downloadDir: async () => {},
    close: async () => {},
  };
}

const standIn = defineBuilder({
  name: 'standin',
  schema: { base: str().default('base-1') },
  async run(config, ctx) {
    let lines: string[] = [`from ${config.base}`];
    const snapFile = (id: string) => path.join(ctx.cache?.layers ?? '', `${id}.json`);
    if (ctx.cache) {
      const start = await ctx.cache.start({ identity: `sha256:${config.base}`, lookup: async (_key, local) => (local && existsSync(snapFile(local.id)) ? local : undefined) }, ctx.signal);
      if (start.resume) lines = JSON.parse(readFileSync(snapFile(start.resume.snapshot.id), 'utf8')) as string[];
    }
    const machine = {
      snapshot: async (key: string) => {
        if (snapshotFailure) {
          snapshotFailure.cancel?.abort();
          return fail('the disk is busy');
        }
        mkdirSync(ctx.cache?.layers ?? '', { recursive: true });
        writeFileSync(snapFile(key), JSON.stringify(lines));
        return ok<SnapshotRef>({ builderType: 'standin', id: key });
      },
    };
    const res = await ctx.hook.run('packer_provision', ctx.ui, machineComm(lines), {}, ctx.signal, machine);
    if (res.kind === 'error') return res;
    const artifact: Artifact = { builderId: 'standin', files: [], id: lines.join('|'), describe: () => lines.join('|'), state: () => undefined, destroy: async () => {} };
    return ok(artifact);
  },
});

const step = defineProvisioner({
  name: 'step',
  schema: { text: str().required(), fail: bool().default(false) },
  async provision(config, ctx) {
    ran.push(config.text);
    if (config.fail) return fail(`step failed: ${config.text}`);
    await ctx.communicator.run({ command: config.text }, ctx.signal);
    return ok(undefined);
  },
});

function spec(type: string, raw: Record<string, unknown>): ComponentSpec {
  return { type, decode: (schema, build) => decodeComponentConfig(schema, { kind: 'json', raw }, build?.data ? { data: build.data } : {}) };
}

function prov(text: string, extra: { fail?: boolean; type?: string; continueOnError?: boolean } = {}): ProvisionerSpec {
  return { ...spec(extra.type ?? 'step', { text, ...(extra.fail ? { fail: true } : {}) }), maxRetries: 0, continueOnError: extra.continueOnError ?? false };
}

function build(steps: ProvisionerSpec[], name = 'standin.a', base = 'base-1', manifest?: string): PreparedBuild {
  const chains = manifest ? [[{ ...spec('manifest', { output: manifest }), name: 'manifest' }]] : [];
  return {
    spec: { name, sourceName: name, builder: spec('standin', { base }), provisioners: steps, postProcessors: chains },
    builder: standIn,
    builderPrepared: { base },
    generatedKeys: [],
    provisioners: steps.map((s) => ({ spec: s, definition: step })),
    postProcessors: chains.map((c) => c.map((pp) => ({ spec: pp, definition: manifestPostProcessor }))),
    packer: testPackerConfig({ buildName: name, builderType: 'standin' }),
    communicators: async () => undefined,
  };
}

/** The real fingerprint keys, except that the stand-in builder is not a barrier (the module lets only docker and qemu snapshot). */
function cache(write = true, extra: Partial<RunCache['settings']> = {}): RunCache {
  const ctx = { templateDir: root, cwd: root, secret: fixedCacheSecret(new Uint8Array(32)), sensitive: [] };
  return {
    settings: { dir, write, resume: false, pollMs: 20, ...extra },
    keyer(b) {
      const real = fingerprintKeyer(b, ctx);
      return { base: async (id) => ({ ...(await real.base(id)), barrier: undefined }), step: real.step };
    },
  };
}

async function run(builds: PreparedBuild[], c: RunCache | null = cache(), signal = new AbortController().signal) {
  const events: StepCacheEvent[] = [];
  const lines: string[] = [];
  const emitter = new UiEmitter({
    secrets: new SecretFilter(),
    sinks: [
      (e: UiEvent) => {
        if (e.kind === 'step-cache') events.push(e);
        if ('text' in e) lines.push(e.text);
      },
    ],
  });
  const result = await runBuilds(builds, { emitter, signal, parallel: 0, debug: false, announceColors: false, ...(c ? { cache: c } : {}) });
  const artifacts = [...result.outcomes.values()].map((o) => o.artifacts[0]?.id);
  return { result, events, lines, artifacts, statuses: events.map((e) => `${e.index}:${e.status}`) };
}

const five = () => [prov('one'), prov('two'), prov('three'), prov('four'), prov('five')];
const full = 'from base-1|one|two|three|four|five';

describe('step cache engine (stand-in builder)', () => {
  it('a snapshot that fails is a warning and ends recording; one a Ctrl-C cut short is not reported', async () => {
    snapshotFailure = {};
    const failed = await run([build(five())]);
    assert.equal(failed.result.exitCode, 0);
    assert.ok(failed.lines.some((l) => l.includes('could not save the machine after step 1: the disk is busy; later steps are not recorded')), failed.lines.join('\n'));
    assert.deepEqual(ran, ['one', 'two', 'three', 'four', 'five']);
    assert.equal(new StepStore(dir).list().entries.length, 0);

    ran = [];
    const cancel = new AbortController();
    snapshotFailure = { cancel };
    const cancelled = await run([build(five())], cache(), cancel.signal);
    assert.notEqual(cancelled.result.exitCode, 0);
    assert.deepEqual(ran, ['one']);
    assert.ok(!cancelled.lines.some((l) => l.includes('could not save the machine')), cancelled.lines.join('\n'));
    assert.equal(new StepStore(dir).list().entries.length, 0);
  });

  it('records every step on a cold run, then a rerun runs no step and yields the same machine', async () => {
    const cold = await run([build(five())]);
    assert.equal(cold.result.exitCode, 0);
    assert.deepEqual(cold.artifacts, [full]);
    assert.deepEqual(ran, ['one', 'two', 'three', 'four', 'five']);
    assert.deepEqual(cold.statuses, ['1:miss', '1:recorded', '2:miss', '2:recorded', '3:miss', '3:recorded', '4:miss', '4:recorded', '5:miss', '5:recorded']);
    assert.equal(new StepStore(dir).list().entries.length, 5);
    ran = [];
    const warm = await run([build(five())]);
    assert.deepEqual(ran, []);
    assert.deepEqual(warm.artifacts, [full]);
    assert.deepEqual(warm.statuses, ['1:hit', '2:hit', '3:hit', '4:hit', '5:hit']);
    assert.match(warm.lines.join('\n'), /\[3\/5\] step: CACHED [0-9a-f]{12}/);
  });

  it('reruns only the changed step and those after it', async () => {
    await run([build(five())]);
    ran = [];
    const changed = five();
    changed[2] = prov('THREE');
    const r = await run([build(changed)]);
    assert.deepEqual(ran, ['THREE', 'four', 'five']);
    assert.deepEqual(r.artifacts, ['from base-1|one|two|THREE|four|five']);
    assert.deepEqual(r.statuses.slice(0, 3), ['1:hit', '2:hit', '3:miss']);
    assert.match(r.lines.join('\n'), /\[4\/5\] step: miss: an earlier step ran/);
  });

  it('a different base identity misses every step', async () => {
    await run([build(five())]);
    ran = [];
    const r = await run([build(five(), 'standin.a', 'base-2')]);
    assert.deepEqual(ran, ['one', 'two', 'three', 'four', 'five']);
    assert.deepEqual(r.artifacts, ['from base-2|one|two|three|four|five']);
  });

  it('after a failed step, the next run resumes after the last step that succeeded', async () => {
    const failing = five();
    failing[3] = prov('four', { fail: true });
    const bad = await run([build(failing)]);
    assert.equal(bad.result.exitCode, 1);
    assert.match(bad.lines.join('\n'), /Steps 1–3 are in the step cache: fix the failing step and run kiln build -resume \(or -cache\) to go on from step 4\./);
    ran = [];
    const r = await run([build(five())]);
    assert.deepEqual(ran, ['four', 'five']);
    assert.deepEqual(r.artifacts, [full]);
  });

  it('-cache-ttl (a FAKE clock, settings.now, two hours on): expired entries miss, they and every entry chained below them (another branch too) are dropped, and the steps are recorded afresh', async () => {
    await run([build(five())]);
    const branch = five();
    branch[3] = prov('FOUR');
    await run([build(branch)]);
    assert.equal(new StepStore(dir).list().entries.length, 7);
    ran = [];
    const later = Date.now() + 2 * 3_600_000;
    const ttl = { ttl: { ms: 3_600_000, text: '1h' }, now: () => later };
    const r = await run([build(five())], cache(true, ttl));
    assert.deepEqual(ran, ['one', 'two', 'three', 'four', 'five']);
    assert.deepEqual(r.artifacts, [full]);
    assert.match(r.lines.join('\n'), /\[1\/5\] step: miss: expired: recorded (119m|2h) ago, -cache-ttl 1h/);
    const left = new StepStore(dir).list().entries;
    assert.equal(left.length, 5, 'the FOUR branch chained below the expired step 1 is gone');
    assert.ok(left.every((e) => Date.parse(e.entry.created) === later));
    ran = [];
    const again = await run([build(five())], cache(true, ttl));
    assert.deepEqual(ran, []);
    assert.deepEqual(again.statuses, ['1:hit', '2:hit', '3:hit', '4:hit', '5:hit']);
    // -cache=read: an expired entry is a miss, and nothing is dropped.
    ran = [];
    await run([build(five())], cache(false, { ttl: { ms: 60_000, text: '1m' }, now: () => later + 3_600_000 }));
    assert.deepEqual(ran, ['one', 'two', 'three', 'four', 'five']);
    assert.equal(new StepStore(dir).list().entries.length, 5);
  });

  it('a corrupt or truncated entry is a miss with a warning, and is recorded again', async () => {
    await run([build(five())]);
    const store = new StepStore(dir);
    const entries = store.list().entries.sort((a, b) => a.entry.index - b.entry.index);
    const second = entries[1] as { file: string; entry: CacheEntry };
    writeFileSync(second.file, readFileSync(second.file, 'utf8').slice(0, 40));
    ran = [];
    const r = await run([build(five())]);
    assert.equal(r.result.exitCode, 0);
    assert.deepEqual(ran, ['two', 'three', 'four', 'five']);
    assert.deepEqual(r.artifacts, [full]);
    assert.match(r.lines.join('\n'), /Warning: the cache entry [0-9a-f]{12} is unreadable \(not JSON/);
    assert.match(r.lines.join('\n'), /\[2\/5\] step: miss: its cache entry was corrupt/);
    assert.equal(store.read(second.entry.key).kind, 'hit');
  });

  it('an entry whose snapshot is gone is a miss: the build resumes from the deepest snapshot that exists', async () => {
    await run([build(five())]);
    const entries = new StepStore(dir).list().entries.sort((a, b) => a.entry.index - b.entry.index);
    rmSync(path.join(dir, 'layers', `${(entries[3] as { entry: CacheEntry }).entry.snapshot.id}.json`));
    rmSync(path.join(dir, 'layers', `${(entries[4] as { entry: CacheEntry }).entry.snapshot.id}.json`));
    ran = [];
    const r = await run([build(five())]);
    assert.deepEqual(ran, ['four', 'five']);
    assert.deepEqual(r.artifacts, [full]);
  });

  it('the manifest records each step\'s key and status only with a cache flag, and keeps earlier entries\' records', async () => {
    const file = path.join(dir, 'manifest.json');
    await run([build(five(), 'standin.a', 'base-1', file)]);
    await run([build(five(), 'standin.a', 'base-1', file)]);
    await run([build(five(), 'standin.a', 'base-1', file)], null);
    const m = JSON.parse(readFileSync(file, 'utf8')) as { builds: { kiln_cache?: { steps: { index: number; status: string; key: string }[] } }[] };
    assert.deepEqual(m.builds[0]?.kiln_cache?.steps.map((s) => s.status), ['recorded', 'recorded', 'recorded', 'recorded', 'recorded']);
    assert.deepEqual(m.builds[1]?.kiln_cache?.steps.map((s) => s.status), ['hit', 'hit', 'hit', 'hit', 'hit']);
    assert.match(m.builds[1]?.kiln_cache?.steps[4]?.key ?? '', /^[0-9a-f]{64}$/);
    assert.equal(m.builds[2]?.kiln_cache, undefined);
    assert.deepEqual(Object.keys(m.builds[2] ?? {}), ['name', 'builder_type', 'build_time', 'files', 'artifact_id', 'packer_run_uuid', 'custom_data']);
  });

  it('-cache=read reuses and records nothing', async () => {
    const r = await run([build(five())], cache(false));
    assert.deepEqual(r.statuses.filter((s) => s.endsWith('recorded')), []);
    assert.equal(new StepStore(dir).list().entries.length, 0);
  });

  it('without a cache nothing is emitted or stored', async () => {
    const r = await run([build(five())], null);
    assert.deepEqual(r.events, []);
    assert.deepEqual(r.artifacts, [full]);
    assert.equal(existsSync(path.join(dir, 'entries')), false);
  });

  it('a barrier ends caching for the rest of the build and says why once', async () => {
    const steps = [prov('one'), prov('two'), prov('stop', { type: 'shell-local' }), prov('four')];
    const cold = await run([build(steps)]);
    assert.deepEqual(cold.statuses, ['1:miss', '1:recorded', '2:miss', '2:recorded', '3:uncacheable']);
    assert.match(cold.lines.join('\n'), /\[3\/4\] shell-local: not cached: shell-local runs on this machine.*steps 3–4 run without the cache/);
    ran = [];
    const warm = await run([build(steps)]);
    assert.deepEqual(ran, ['stop', 'four']);
    assert.deepEqual(warm.statuses, ['1:hit', '2:hit', '3:uncacheable']);
  });

  it('a step that failed under continue_on_error ends recording', async () => {
    const steps = [prov('one'), prov('bad', { fail: true, continueOnError: true }), prov('three')];
    const r = await run([build(steps)]);
    assert.equal(r.result.exitCode, 0);
    assert.deepEqual(r.statuses, ['1:miss', '1:recorded', '2:miss', '3:miss']);
  });

  it('two builds of one template at once compute each step once and both get the machine', async () => {
    const r = await run([build(five(), 'standin.a'), build(five(), 'standin.b')]);
    assert.equal(r.result.exitCode, 0);
    assert.deepEqual(r.artifacts, [full, full]);
    assert.deepEqual(ran, ['one', 'two', 'three', 'four', 'five']);
    assert.equal(new StepStore(dir).list().entries.length, 5);
    assert.deepEqual(readdirSync(path.join(dir, 'locks')), []);
  });

  it('a lock left by a dead process is broken', () => {
    const key = 'a'.repeat(64);
    mkdirSync(path.join(dir, 'locks'), { recursive: true });
    writeFileSync(path.join(dir, 'locks', `${key}.lock`), JSON.stringify({ pid: 2 ** 22 + 7, start: '1' }));
    const lock = tryLockStep(dir, key);
    assert.ok(!('heldBy' in lock));
    assert.deepEqual(tryLockStep(dir, key), { heldBy: process.pid });
    lock.release();
  });

  it('publishing one key twice keeps the first entry whole, unless it names another snapshot', () => {
    const store = new StepStore(dir);
    const entry: CacheEntry = { v: 1, key: 'b'.repeat(64), parent: 'c'.repeat(64), build: 'x', index: 1, component: 'shell', inputs: [], snapshot: { builderType: 't', id: 'first' }, created: new Date(0).toISOString() };
    assert.equal(store.publish(entry), 'published');
    assert.equal(store.publish({ ...entry, created: new Date(1).toISOString() }), 'exists');
    const read = store.read(entry.key);
    assert.equal(read.kind === 'hit' && read.entry.created, new Date(0).toISOString());
    // An entry naming another snapshot (one its builder lost: the step ran again) is replaced whole.
    assert.equal(store.publish({ ...entry, snapshot: { builderType: 't', id: 'second' } }), 'replaced');
    const again = store.read(entry.key);
    assert.equal(again.kind === 'hit' && again.entry.snapshot.id, 'second');
    assert.deepEqual(readdirSync(path.dirname(store.entryFile(entry.key))), [`${entry.key}.json`]);
  });
});
