import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventSchemaErrors, parseEventLines } from '../../../test/support/events-schema.js';
import { buildErrorInfo, diagnosticInfo } from './diagnostic-codes.js';
import { UiEmitter } from './emitter.js';
import type { UiEvent } from './events.js';
import { HumanRenderer } from './human-renderer.js';
import { JsonRenderer } from './json-renderer.js';
import { MachineRenderer } from './machine-renderer.js';
import { SecretFilter } from './secret-filter.js';

const SECRET = 'hunter2-s3cret';
const at = { filename: 'build.pkr.hcl', start: { line: 3, column: 3, byte: 30 }, end: { line: 3, column: 8, byte: 35 } };

/** One of every event kind, each carrying the secret somewhere a renderer could print it. */
function everyEvent(emitter: UiEmitter): void {
  emitter.emit({ kind: 'run-started', command: 'build', template: `dir-${SECRET}` });
  emitter.emit({ kind: 'diagnostic', diagnostic: diagnosticInfo({ severity: 'error', summary: 'Unsupported argument', detail: `value ${SECRET}`, subject: at }) });
  emitter.emit({ kind: 'build-started', build: 'docker.a', builderType: 'docker' });
  emitter.emit({ kind: 'step-started', build: 'docker.a', component: 'builder', componentType: 'docker', name: 'StepPull' });
  emitter.uiFor('docker.a').say(`pulling with ${SECRET}`);
  emitter.uiFor('docker.a').message('detail');
  emitter.uiFor('docker.a').progress?.({ label: 'ISO', current: 10, total: 100, unit: 'bytes' });
  emitter.emit({ kind: 'step-finished', build: 'docker.a', component: 'builder', componentType: 'docker', name: 'StepPull', status: 'failed', durationMs: 12, error: `bad ${SECRET}` });
  emitter.emit({ kind: 'step-cache', build: 'docker.a', target: 'docker.a', index: 1, type: 'shell', status: 'miss', key: 'a'.repeat(64), reason: 'not in the cache', text: '[1/1] shell  MISS' });
  emitter.emit({ kind: 'artifact', build: 'docker.a', artifact: { index: 0, builderId: 'packer.docker', id: 'sha256:1', description: 'Image', files: [], generatedData: { ImageSha256: 'sha256:1', Token: SECRET } } });
  emitter.uiFor('docker.a', null).error(`Build 'docker.a' errored: ${SECRET}`);
  emitter.emit({ kind: 'build-finished', build: 'docker.a', status: 'failed', durationMs: 20, error: buildErrorInfo(`Script exited with non-zero exit status: 3 ${SECRET}`) });
  emitter.machine('error-count', ['1']);
  emitter.emit({ kind: 'run-finished', status: 'failed', exitCode: 1, durationMs: 30 });
}

function render(kind: 'json' | 'human' | 'machine'): string {
  let out = '';
  const write = (t: string) => void (out += t);
  const now = () => new Date(1700000000000);
  const renderer = kind === 'json' ? new JsonRenderer({ write, now }) : kind === 'human' ? new HumanRenderer({ write, color: false }) : new MachineRenderer({ write, now });
  const secrets = new SecretFilter();
  secrets.register(SECRET);
  everyEvent(new UiEmitter({ secrets, sinks: [(e: UiEvent) => renderer.render(e)] }));
  return out;
}

describe('JSON event stream', () => {
  it('writes one JSON object per line, each valid against docs/schema/events.schema.json, with the secret masked everywhere', () => {
    const out = render('json');
    const events = parseEventLines(out);
    assert.equal(out.split('\n').length, events.length + 1);
    assert.deepEqual(eventSchemaErrors(events), []);
    assert.ok(!out.includes(SECRET), out);
    assert.deepEqual(
      events.map((e) => e['type']),
      ['run-started', 'diagnostic', 'build-started', 'step-started', 'ui', 'ui', 'progress', 'step-finished', 'step-cache', 'artifact', 'ui', 'build-finished', 'run-finished'],
    );
    const diag = events[1]?.['diagnostic'] as Record<string, unknown>;
    assert.deepEqual(diag, { severity: 'error', code: 'HCL_UNSUPPORTED_ARGUMENT', summary: 'Unsupported argument', detail: 'value <sensitive>', file: 'build.pkr.hcl', line: 3, column: 3, endLine: 3, endColumn: 8 });
    assert.equal((events[11]?.['error'] as Record<string, unknown>)['code'], 'BUILD_SCRIPT_EXIT_STATUS');
    assert.equal(events[8]?.['componentType'], 'shell', "the step cache's component type does not clobber the event type");
    assert.equal(events[0]?.['time'], '2023-11-14T22:13:20.000Z');
  });

  it('the schema rejects what it does not describe: unknown fields, types and versions', () => {
    const ok = { v: 1, time: '2023-11-14T22:13:20.000Z', type: 'build-started', build: 'a', builderType: 'null' };
    assert.deepEqual(eventSchemaErrors([ok]), []);
    assert.equal(eventSchemaErrors([{ ...ok, extra: 1 }]).length, 1);
    assert.equal(eventSchemaErrors([{ ...ok, type: 'build-paused' }]).length, 1);
    assert.equal(eventSchemaErrors([{ ...ok, v: 2 }]).length, 1);
    assert.equal(eventSchemaErrors([{ ...ok, builderType: undefined }]).length, 1);
  });

  it('leaves the human and machine-readable output as Packer prints it: lifecycle events add nothing', () => {
    assert.equal(render('human'), "==> docker.a: pulling with <sensitive>\n==> docker.a: detail\n==> docker.a: [1/1] shell  MISS\nBuild 'docker.a' errored: <sensitive>\n");
    assert.equal(
      render('machine'),
      '1700000000,docker.a,ui,say,pulling with <sensitive>\n1700000000,docker.a,ui,message,detail\n1700000000,docker.a,cache,1,MISS,' +
        `${'a'.repeat(64)},not in the cache\n1700000000,,ui,error,Build 'docker.a' errored: <sensitive>\n1700000000,,error-count,1\n`,
    );
  });
});
