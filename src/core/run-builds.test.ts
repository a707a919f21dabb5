import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testPackerConfig } from '../../test/support/packer-config.js';
import type { Artifact } from '../sdk/artifact.js';
import type { PackerConfig } from '../sdk/component.js';
import { defineBuilder, definePostProcessor, defineProvisioner } from '../sdk/component.js';
import type { Communicator } from '../sdk/communicator.js';
import { fail, ok } from '../sdk/result.js';
import { decodeComponentConfig } from '../sdk/schema/decode-config.js';
import { bool, str } from '../sdk/schema/field.js';
import type { ComponentSpec, PostProcessorSpec, ProvisionerSpec } from '../template/model.js';
import type { PreparedBuild } from './prepare.js';
import { runBuilds } from './run-builds.js';
import { UiEmitter } from './ui/emitter.js';
import { HumanRenderer } from './ui/human-renderer.js';
import { MachineRenderer } from './ui/machine-renderer.js';
import { SecretFilter } from './ui/secret-filter.js';

// Test components defined here, in memory: the engine's rules are what is under test.
const log: string[] = [];
const comm: Communicator = {
  type: 'test',
  run: async () => ({ kind: 'exited', exitStatus: 0 }),
  upload: async () => {},
  uploadDir: async () => {},
  download: async () => {},
  downloadDir: async () => {},
  close: async () => {},
};

function artifact(id: string): Artifact {
  return {
    builderId: 'test.builder',
    files: [`/out/${id}`],
    id,
    describe: () => `artifact ${id}`,
    state: () => undefined,
    destroy: async () => void log.push(`destroy ${id}`),
  };
}

const builder = defineBuilder({
  name: 'fake',
  schema: { fail: bool().default(false) },
  async run(config, ctx) {
    ctx.ui.say('building');
    const res = await ctx.hook.run('packer_provision', ctx.ui, comm, { ID: 'x1' }, ctx.signal);
    if (res.kind === 'error') return res;
    return config.fail ? fail('builder broke') : ok(artifact(ctx.packer.buildName));
  },
});

const provisioner = defineProvisioner({
  name: 'echo',
  schema: { text: str().required(), fail: bool().default(false) },
  async provision(config, ctx) {
    log.push(`provision ${config.text} ${String(ctx.generatedData['ID'])}`);
    ctx.ui.say(config.text);
    return config.fail ? fail(`echo failed: ${config.text}`) : ok(undefined);
  },
});

const pp = definePostProcessor({
  name: 'wrap',
  schema: { keep: bool().default(false), fail: bool().default(false) },
  async postProcess(config, ctx) {
    if (config.fail) return fail('pp broke');
    return ok({ artifact: artifact(`${ctx.artifact.id}+wrap`), keep: config.keep, forceOverride: false });
  },
});

function spec(type: string, raw: Record<string, unknown>): ComponentSpec {
  return { type, decode: (schema, build) => decodeComponentConfig(schema, { kind: 'json', raw }, build?.data ? { data: build.data } : {}) };
}

function prov(raw: Record<string, unknown>, extra: Partial<ProvisionerSpec> = {}): ProvisionerSpec {
  return { ...spec('echo', raw), maxRetries: 0, continueOnError: false, ...extra };
}

function ppSpec(raw: Record<string, unknown>, extra: Partial<PostProcessorSpec> = {}): PostProcessorSpec {
  return { ...spec('wrap', raw), name: '', ...extra };
}

const packer = (name: string): PackerConfig => testPackerConfig({ buildName: name, builderType: 'fake' });

function build(name: string, opts: { fail?: boolean; provisioners?: ProvisionerSpec[]; chains?: PostProcessorSpec[][] } = {}): PreparedBuild {
  const provisioners = opts.provisioners ?? [];
  const chains = opts.chains ?? [];
  return {
    spec: { name, sourceName: name, builder: spec('fake', {}), provisioners, postProcessors: chains },
    builder,
    builderPrepared: { fail: opts.fail ?? false },
    generatedKeys: [],
    provisioners: provisioners.map((s) => ({ spec: s, definition: provisioner })),
    postProcessors: chains.map((c) => c.map((s) => ({ spec: s, definition: pp }))),
    packer: packer(name),
    communicators: async () => undefined,
  };
}

async function run(builds: PreparedBuild[], opts: { machine?: boolean; signal?: AbortSignal; parallel?: number } = {}) {
  log.length = 0;
  let out = '';
  const write = (t: string) => void (out += t);
  const human = new HumanRenderer({ write, color: false });
  const machine = new MachineRenderer({ write, now: () => new Date(0) });
  const emitter = new UiEmitter({ secrets: new SecretFilter(), sinks: [(e) => (opts.machine ? machine.render(e) : human.render(e))] });
  let t = 0;
  const result = await runBuilds(builds, {
    emitter,
    signal: opts.signal ?? new AbortController().signal,
    parallel: opts.parallel ?? 0,
    debug: false,
    announceColors: false,
    now: () => (t += 14.284),
  });
  return { result, out };
}

describe('runBuilds', () => {
  it("prints Packer's lines and lists the artifacts", async () => {
    const { result, out } = await run([build('fake.a', { provisioners: [prov({ text: 'hi' })] })]);
    assert.equal(result.exitCode, 0);
    assert.equal(
      out,
      [
        '==> fake.a: building',
        '==> fake.a: hi',
        "Build 'fake.a' finished after 14 milliseconds 284 microseconds.",
        '',
        '==> Wait completed after 42 milliseconds 852 microseconds',
        '',
        '==> Builds finished. The artifacts of successful builds are:',
        '--> fake.a: artifact fake.a',
        '',
      ].join('\n'),
    );
    assert.deepEqual(log, ['provision hi x1']);
  });
  it('reports a failed build with exit 1 and stops its provisioners', async () => {
    const { result, out } = await run([build('fake.b', { provisioners: [prov({ text: 'one', fail: true }), prov({ text: 'two' })] })]);
    assert.equal(result.exitCode, 1);
    assert.deepEqual(log, ['provision one x1']);
    assert.match(out, /Build 'fake.b' errored after .*: echo failed: one\n/);
    assert.match(out, /==> Some builds didn't complete successfully and had errors:\n--> fake.b: echo failed: one\n/);
    assert.match(out, /==> Builds finished but no artifacts were created\.\n$/);
  });
  it('retries with max_retries and continues past continue_on_error', async () => {
    const { result, out } = await run([
      build('fake.c', { provisioners: [prov({ text: 'flaky', fail: true }, { maxRetries: 2, continueOnError: true }), prov({ text: 'after' })] }),
    ]);
    assert.equal(result.exitCode, 0);
    assert.deepEqual(log, ['provision flaky x1', 'provision flaky x1', 'provision flaky x1', 'provision after x1']);
    assert.match(out, /Provisioner failed with "echo failed: flaky", retrying with 2 trie\(s\) left/);
    assert.match(out, /retry limit reached\./);
    assert.match(out, /Warning: Provisioner failed with "echo failed: flaky", but continue_on_error is set; continuing the build\./);
  });
  it('destroys the builder artifact unless a first post-processor keeps it', async () => {
    const dropped = await run([build('fake.d', { chains: [[ppSpec({})]] })]);
    assert.deepEqual(log, ['destroy fake.d']);
    assert.match(dropped.out, /==> fake.d: Running post-processor: {2}\(type wrap\)\n/);
    assert.match(dropped.out, /--> fake.d: artifact fake.d\+wrap\n$/);
    const kept = await run([build('fake.e', { chains: [[ppSpec({ keep: true }, { name: 'wrap' })]] })]);
    assert.deepEqual(log, []);
    assert.match(kept.out, /Running post-processor: wrap\n/);
    assert.match(kept.out, /--> fake.e: artifact fake.e\n--> fake.e: artifact fake.e\+wrap\n$/);
  });
  it("lets the user's keep_input_artifact override the post-processor", async () => {
    await run([build('fake.f', { chains: [[ppSpec({ keep: true }, { keepInputArtifact: false })]] })]);
    assert.deepEqual(log, ['destroy fake.f']);
  });
  it('destroys intermediate artifacts in a chain unless kept', async () => {
    const r = await run([build('fake.g', { chains: [[ppSpec({}), ppSpec({})]] })]);
    assert.deepEqual(log, ['destroy fake.g+wrap', 'destroy fake.g']);
    assert.match(r.out, /--> fake.g: artifact fake.g\+wrap\+wrap\n$/);
  });
  it('reports a failing post-processor as the build error', async () => {
    const r = await run([build('fake.h', { chains: [[ppSpec({ fail: true })]] })]);
    assert.equal(r.result.exitCode, 1);
    assert.match(r.out, /--> fake.h: 1 error\(s\) occurred:\n\n\* Post-processor failed: pp broke/);
  });
  it('writes machine-readable artifact lines', async () => {
    const r = await run([build('fake.i')], { machine: true });
    assert.match(r.out, /^0,,ui,say,Build 'fake.i' finished after/m);
    assert.match(r.out, /^0,fake.i,artifact-count,1$/m);
    assert.match(r.out, /^0,fake.i,artifact,0,builder-id,test.builder$/m);
    assert.match(r.out, /^0,fake.i,artifact,0,file,0,\/out\/fake.i$/m);
    assert.match(r.out, /^0,fake.i,artifact,0,end$/m);
  });
  it('starts no build after cancellation and exits 1', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const r = await run([build('fake.j')], { signal: ctl.signal });
    assert.equal(r.result.exitCode, 1);
    assert.equal(r.result.outcomes.size, 0);
    assert.match(r.out, /Cleanly cancelled builds after being interrupted\.\n$/);
  });
  it('runs builds with a parallel limit', async () => {
    const r = await run([build('fake.k'), build('fake.l'), build('fake.m')], { parallel: 1 });
    assert.equal(r.result.exitCode, 0);
    assert.equal(r.result.outcomes.size, 3);
  });
});
