import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Ui } from '../ui.js';
import type { OnError } from './runner.js';
import { runSteps } from './runner.js';
import type { Step } from './step.js';
import { CONTINUE, halt } from './step.js';

interface Log {
  events: string[];
}

function recordingUi(answers: string[] = []): Ui & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    say: (m) => void lines.push(`say ${m}`),
    message: (m) => void lines.push(`msg ${m}`),
    error: (m) => void lines.push(`err ${m}`),
    ask: async (q) => {
      lines.push(`ask ${q}`);
      const a = answers.shift();
      if (a === undefined) throw new Error('no tty');
      return a;
    },
  };
}

function step(name: string, behaviour: 'ok' | 'fail' | 'throw' | 'cancel' = 'ok', extra: Partial<Step<Log>> = {}, ctl?: AbortController): Step<Log> {
  return {
    name,
    async run(state) {
      state.events.push(`run ${name}`);
      if (behaviour === 'fail') return halt(`${name} broke`);
      if (behaviour === 'throw') throw new Error(`${name} threw`);
      if (behaviour === 'cancel') ctl?.abort();
      return CONTINUE;
    },
    async cleanup(state, outcome) {
      state.events.push(`cleanup ${name}${outcome.halted ? ' (halted)' : ''}${outcome.cancelled ? ' (cancelled)' : ''}`);
    },
    ...extra,
  };
}

async function run(steps: Step<Log>[], onError: OnError = 'cleanup', ctl = new AbortController(), ui = recordingUi()) {
  const state: Log = { events: [] };
  const result = await runSteps(steps, state, { signal: ctl.signal, ui, onError });
  return { result, events: state.events, ui };
}

describe('runSteps', () => {
  it('runs every step and cleans up in reverse order on success', async () => {
    const r = await run([step('a'), step('b'), step('c')]);
    assert.deepEqual(r.result, { kind: 'completed' });
    assert.deepEqual(r.events, ['run a', 'run b', 'run c', 'cleanup c', 'cleanup b', 'cleanup a']);
  });
  it('stops at a halting step and cleans up every step that started, including it', async () => {
    const r = await run([step('a'), step('b', 'fail'), step('c')]);
    assert.equal(r.result.kind, 'halted');
    assert.equal(r.result.kind === 'halted' && r.result.error.message, 'b broke');
    assert.deepEqual(r.events, ['run a', 'run b', 'cleanup b (halted)', 'cleanup a (halted)']);
  });
  it('turns a throwing step into a halt', async () => {
    const r = await run([step('a', 'throw')]);
    assert.equal(r.result.kind === 'halted' && r.result.error.message, 'a threw');
    assert.deepEqual(r.events, ['run a', 'cleanup a (halted)']);
  });
  it('stops on cancellation and still cleans up', async () => {
    const ctl = new AbortController();
    const r = await run([step('a'), step('b', 'cancel', {}, ctl), step('c')], 'cleanup', ctl);
    assert.deepEqual(r.result, { kind: 'cancelled' });
    assert.deepEqual(r.events, ['run a', 'run b', 'cleanup b (cancelled)', 'cleanup a (cancelled)']);
  });
  it('keeps going through the other cleanups when one throws', async () => {
    const bad = step('b', 'ok', { cleanup: async () => { throw new Error('boom'); } });
    const r = await run([step('a'), bad]);
    assert.deepEqual(r.events, ['run a', 'run b', 'cleanup a']);
  });
  it('-on-error=abort skips every cleanup after a failure, and says so', async () => {
    const r = await run([step('a'), step('b', 'fail')], 'abort');
    assert.deepEqual(r.events, ['run a', 'run b']);
    assert.deepEqual(r.ui.lines, ['err Step "b" failed, aborting...', 'err aborted: skipping cleanup of step "a"']);
  });
  it('-on-error=abort still cleans up after success', async () => {
    const r = await run([step('a')], 'abort');
    assert.deepEqual(r.events, ['run a', 'cleanup a']);
  });
  it('-on-error=run-cleanup-provisioner runs only the provisioning step cleanup', async () => {
    const r = await run([step('a'), step('prov', 'ok', { provisions: true }), step('c', 'fail')], 'run-cleanup-provisioner');
    assert.deepEqual(r.events, ['run a', 'run prov', 'run c', 'cleanup prov (halted)']);
  });
  it('-on-error=ask retries on r, then cleans up on c', async () => {
    let tries = 0;
    const flaky: Step<Log> = { name: 'flaky', run: async (s) => (s.events.push('run flaky'), ++tries < 2 ? halt('nope') : halt('still no')) };
    const ui = recordingUi(['r', 'c']);
    const r = await run([step('a'), flaky], 'ask', new AbortController(), ui);
    assert.equal(r.result.kind, 'halted');
    assert.deepEqual(r.events, ['run a', 'run flaky', 'run flaky', 'cleanup a (halted)']);
    assert.equal(ui.lines.filter((l) => l.startsWith('ask ')).length, 2);
  });
  it('-on-error=ask with a = abort skips cleanups', async () => {
    const r = await run([step('a'), step('b', 'fail')], 'ask', new AbortController(), recordingUi(['a']));
    assert.deepEqual(r.events, ['run a', 'run b']);
  });
  it('pauses after each step and before its cleanup under -debug, as Packer\'s DebugRunner', async () => {
    const pauses: string[] = [];
    const state: Log = { events: [] };
    await runSteps([step('a'), step('b', 'fail')], state, {
      signal: new AbortController().signal,
      ui: recordingUi(),
      debugPause: async (location, name) => void pauses.push(`${location} ${name}`),
    });
    assert.deepEqual(pauses, ['after run of a', 'before cleanup of a']);
  });
});
