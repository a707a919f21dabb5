import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CiRenderer, GITHUB, GITLAB, ciDialectFromEnv, escapeProperty } from './ci-renderer.js';
import type { CiDialect } from './ci-renderer.js';
import { diagnosticInfo } from './diagnostic-codes.js';
import { UiEmitter } from './emitter.js';
import type { StepComponent } from './events.js';
import { HumanRenderer } from './human-renderer.js';
import { SecretFilter } from './secret-filter.js';

function setup(dialect: CiDialect, secret?: string) {
  let out = '';
  const write = (t: string) => void (out += t);
  const human = new HumanRenderer({ write, color: false });
  const ci = new CiRenderer({ dialect, human: (e) => human.render(e), write, now: () => new Date(1700000000000) });
  const secrets = new SecretFilter();
  if (secret) secrets.register(secret);
  const emitter = new UiEmitter({ secrets, sinks: [(e) => ci.render(e)] });
  const step = (build: string, name: string, component: StepComponent = 'provisioner') => ({
    start: () => emitter.emit({ kind: 'step-started', build, component, componentType: 'shell', name }),
    end: () => emitter.emit({ kind: 'step-finished', build, component, componentType: 'shell', name, status: 'ok', durationMs: 1 }),
  });
  return { emitter, step, out: () => out };
}

describe('CI output', () => {
  it('picks the dialect from GITHUB_ACTIONS or GITLAB_CI, and none otherwise', () => {
    assert.equal(ciDialectFromEnv({ GITHUB_ACTIONS: 'true' }), GITHUB);
    assert.equal(ciDialectFromEnv({ GITLAB_CI: 'true' }), GITLAB);
    assert.equal(ciDialectFromEnv({ GITHUB_ACTIONS: 'false', CI: 'true' }), undefined);
  });

  it("GitHub: wraps each step's lines in ::group::, and lines of a parallel build wait for the open group", () => {
    const s = setup(GITHUB);
    const a = s.step('null.a', 'shell');
    const b = s.step('null.b', 'shell');
    a.start();
    s.emitter.uiFor('null.a').say('a1');
    b.start();
    s.emitter.uiFor('null.b').say('b1');
    s.emitter.uiFor('null.a').say('a2');
    a.end();
    s.emitter.uiFor('null.a').say('a3');
    b.end();
    s.emitter.emit({ kind: 'run-finished', status: 'succeeded', exitCode: 0, durationMs: 1 });
    assert.equal(
      s.out(),
      ['::group::null.a: provisioner shell', '==> null.a: a1', '==> null.a: a2', '::endgroup::', '::group::null.b: provisioner shell', '==> null.b: b1', '::endgroup::', '==> null.a: a3', ''].join('\n'),
    );
  });

  it('a step inside another of its build (a provisioner in the provision step) closes the outer group first', () => {
    const s = setup(GITHUB);
    const outer = s.step('q', 'StepProvision', 'builder');
    const inner = s.step('q', 'shell');
    outer.start();
    s.emitter.uiFor('q').say('before');
    inner.start();
    s.emitter.uiFor('q').say('inside');
    inner.end();
    s.emitter.uiFor('q').say('after');
    outer.end();
    assert.equal(s.out(), '::group::q: builder StepProvision\n==> q: before\n::endgroup::\n::group::q: provisioner shell\n==> q: inside\n::endgroup::\n==> q: after\n');
  });

  it('a run that ends with a group open and lines queued writes them all, groups closed', () => {
    const s = setup(GITHUB);
    s.step('a', 'shell').start();
    s.emitter.uiFor('a').say('a1');
    s.step('b', 'shell').start();
    s.emitter.uiFor('b').say('b1');
    s.emitter.emit({ kind: 'run-finished', status: 'cancelled', exitCode: 1, durationMs: 1 });
    assert.equal(s.out(), '::group::a: provisioner shell\n==> a: a1\n::endgroup::\n::group::b: provisioner shell\n==> b: b1\n::endgroup::\n');
  });

  it('a step that prints nothing leaves no group, and blocks no other build', () => {
    const s = setup(GITHUB);
    const quiet = s.step('a', 'StepConnect', 'builder');
    quiet.start();
    s.emitter.uiFor('b').say('b1');
    quiet.end();
    assert.equal(s.out(), '==> b: b1\n');
  });

  it('GitHub: a diagnostic becomes an annotation naming file, line and column, escaped, with the secret masked', () => {
    const s = setup(GITHUB, 'pa55word');
    const subject = { filename: 'dir,1/build.pkr.hcl', start: { line: 3, column: 3, byte: 0 }, end: { line: 3, column: 8, byte: 5 } };
    s.emitter.emit({ kind: 'diagnostic', diagnostic: diagnosticInfo({ severity: 'error', summary: 'Unsupported argument', detail: 'An argument named "pa55word" is not expected here.\n100%', subject }) });
    s.emitter.emit({ kind: 'diagnostic', diagnostic: diagnosticInfo({ severity: 'warning', summary: 'Undefined variable', detail: 'x' }) });
    s.emitter.emit({ kind: 'build-finished', build: 'null.a', status: 'failed', durationMs: 1, error: { severity: 'error', code: 'BUILD_FAILED', summary: 'boom: pa55word', detail: '' } });
    s.emitter.emit({ kind: 'build-finished', build: 'null.b', status: 'cancelled', durationMs: 1, error: { severity: 'error', code: 'BUILD_CANCELLED', summary: 'Build was cancelled.', detail: '' } });
    assert.equal(
      s.out(),
      '::error file=dir%2C1/build.pkr.hcl,line=3,endLine=3,col=3,endColumn=8,title=Unsupported argument [HCL_UNSUPPORTED_ARGUMENT]::An argument named "<sensitive>" is not expected here.%0A100%25\n' +
        '::warning title=Undefined variable [TEMPLATE_UNDEFINED_VARIABLE]::x\n' +
        "::error title=Build 'null.a' errored::boom: <sensitive>\n",
    );
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  });

  it('GitLab: collapsed sections with unique names and a timestamp, and no annotations', () => {
    const s = setup(GITLAB);
    const a = s.step('null.a', 'shell');
    a.start();
    s.emitter.uiFor('null.a').say('hi');
    a.end();
    s.emitter.emit({ kind: 'diagnostic', diagnostic: diagnosticInfo({ severity: 'error', summary: 'Unsupported argument', detail: 'x' }) });
    assert.equal(
      s.out(),
      '\x1b[0Ksection_start:1700000000:kiln_step_1[collapsed=true]\r\x1b[0Knull.a: provisioner shell\n==> null.a: hi\n\x1b[0Ksection_end:1700000000:kiln_step_1\r\x1b[0K\n',
    );
  });
});
