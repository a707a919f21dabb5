import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UiEmitter } from './emitter.js';
import { HumanRenderer, prefixLines, rfc3339Local } from './human-renderer.js';
import { MachineRenderer } from './machine-renderer.js';
import { SecretFilter } from './secret-filter.js';

function setup(opts: { color?: boolean; timestamp?: () => Date; machine?: boolean } = {}) {
  let out = '';
  const write = (t: string) => void (out += t);
  const human = new HumanRenderer({ write, color: opts.color ?? false, ...(opts.timestamp ? { timestamp: opts.timestamp } : {}) });
  const machine = new MachineRenderer({ write, now: () => new Date(1700000000000) });
  const secrets = new SecretFilter();
  const emitter = new UiEmitter({ secrets, sinks: [(e) => (opts.machine ? machine.render(e) : human.render(e))] });
  return { emitter, human, secrets, out: () => out };
}

describe('human renderer', () => {
  it('prefixes every line with ==> target: and trims trailing whitespace', () => {
    assert.equal(prefixLines('null.a', 'one\ntwo\n'), '==> null.a: one\n==> null.a: two\n==> null.a:');
    const s = setup();
    s.emitter.uiFor('null.a').say('Running local shell script: /tmp/x\nhello  \n');
    // Packer trims only the end of the whole block, so inner lines keep their spaces.
    assert.equal(s.out(), '==> null.a: Running local shell script: /tmp/x\n==> null.a: hello  \n==> null.a:\n');
  });
  it('colours each build bold in turn and errors red', () => {
    const s = setup({ color: true });
    s.human.assignColors(['a', 'b']);
    s.emitter.uiFor('a').say('x');
    s.emitter.uiFor('b').say('y');
    s.emitter.uiFor('b').error('z');
    s.emitter.say('global');
    assert.equal(s.out(), '\x1b[1;32m==> a: x\x1b[0m\n\x1b[1;36m==> b: y\x1b[0m\n\x1b[1;31m==> b: z\x1b[0m\nglobal\n');
  });
  it('writes per-build lines without the arrow when the target is null', () => {
    const s = setup();
    s.emitter.uiFor('a', null).say("Build 'a' finished after 1 second.");
    assert.equal(s.out(), "Build 'a' finished after 1 second.\n");
  });
  it('prefixes build lines with an RFC3339 timestamp under -timestamp-ui', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5);
    const s = setup({ timestamp: () => at });
    s.emitter.uiFor('a').say('x');
    assert.equal(s.out(), `${rfc3339Local(at)}: ==> a: x\n`);
    assert.match(rfc3339Local(at), /^2024-01-02T03:04:05(Z|[+-]\d\d:\d\d)$/);
  });
});

describe('machine renderer', () => {
  it('writes ui lines and escapes commas and newlines', () => {
    const s = setup({ machine: true });
    s.emitter.uiFor('null.a').say('a,b\nc\r');
    s.emitter.machine('artifact-count', ['1'], 'null.a');
    assert.equal(s.out(), '1700000000,null.a,ui,say,a%!(PACKER_COMMA)b\\nc\\r\n1700000000,null.a,artifact-count,1\n');
  });
});

describe('secret masking', () => {
  it('masks secrets in every event, multi-line secrets whole and per line', () => {
    const s = setup({ machine: false });
    s.secrets.register('hunter2');
    s.secrets.register('line-one\r\nline-two');
    s.emitter.uiFor('a').say('password is hunter2');
    s.emitter.uiFor('a').error('key: line-one\nline-two');
    s.emitter.say('second line alone: line-two');
    assert.equal(
      s.out(),
      '==> a: password is <sensitive>\n==> a: key: <sensitive>\nsecond line alone: <sensitive>\n',
    );
  });
  it('masks machine-readable arguments too', () => {
    const s = setup({ machine: true });
    s.secrets.register('s3cr3t');
    s.emitter.machine('x', ['is s3cr3t']);
    assert.equal(s.out(), '1700000000,,x,is <sensitive>\n');
  });
  it('masks the longer of two overlapping secrets whole', () => {
    const f = new SecretFilter();
    f.register('abc');
    f.register('abcdef');
    assert.equal(f.filter('xabcdefx abc'), 'x<sensitive>x <sensitive>');
  });
});

describe('ask', () => {
  it("refuses to ask when there is no terminal, as Packer's machine-readable UI does", async () => {
    const s = setup();
    await assert.rejects(s.emitter.uiFor('a').ask('continue?'), /can't ask/);
  });
});
