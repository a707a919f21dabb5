import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testPackerConfig } from '../../../test/support/packer-config.js';
import type { BuildContext } from '../component.js';
import { ok } from '../result.js';
import type { Ui } from '../ui.js';
import { BUILD_CANCELLED, runBuildSteps } from './build-steps.js';
import type { Step } from './step.js';
import { CONTINUE, halt } from './step.js';

interface Log {
  events: string[];
}

function ui(answers: string[] = []): Ui & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    say: () => undefined,
    message: () => undefined,
    error: () => undefined,
    ask: async (q) => {
      asked.push(q);
      const a = answers.shift();
      if (a === undefined) throw new Error('no terminal');
      return a;
    },
  };
}

function ctx(over: { debug?: boolean; signal?: AbortSignal; ui?: Ui } = {}): BuildContext {
  return {
    ui: over.ui ?? ui(),
    signal: over.signal ?? new AbortController().signal,
    hook: { run: async () => ok(undefined) },
    packer: testPackerConfig({ debug: over.debug ?? false }),
    communicators: async () => undefined,
  };
}

const step = (name: string, run: Step<Log>['run'] = async (s) => (s.events.push(name), CONTINUE), cleanup?: Step<Log>['cleanup']): Step<Log> => ({
  name,
  run,
  ...(cleanup ? { cleanup } : {}),
});

describe('runBuildSteps', () => {
  it("makes the artifact from the final state when every step ran", async () => {
    const res = await runBuildSteps(ctx(), [step('a'), step('b')], { events: [] }, (s) => s.events.join(','));
    assert.deepEqual(res, { kind: 'ok', value: 'a,b' });
  });
  it("fails with the halting step's error, as a cleanup may have replaced it", async () => {
    const first = await runBuildSteps(ctx(), [step('a'), step('b', async () => halt('b broke'))], { events: [] }, () => 'never');
    assert.equal(first.kind === 'error' && first.error.message, 'b broke');
    const replaced = await runBuildSteps(
      ctx(),
      [step('a', undefined, async (_s, outcome) => (outcome.failed ? { error: new Error(`cleanup of a after ${outcome.failed.step}: ${outcome.failed.error.message}`) } : undefined)), step('b', async () => halt('b broke'))],
      { events: [] },
      () => 'never',
    );
    assert.equal(replaced.kind === 'error' && replaced.error.message, 'cleanup of a after b: b broke');
  });
  it('fails with "Build was cancelled." when the build is cancelled', async () => {
    const ctl = new AbortController();
    const res = await runBuildSteps(ctx({ signal: ctl.signal }), [step('a', async () => (ctl.abort(), CONTINUE)), step('b')], { events: [] }, () => 'never');
    assert.equal(res.kind === 'error' && res.error.message, BUILD_CANCELLED);
  });
  it('pauses after each step and before each cleanup only with -debug', async () => {
    const quiet = ui();
    await runBuildSteps(ctx({ ui: quiet }), [step('a', undefined, async () => undefined)], { events: [] }, () => 0);
    assert.deepEqual(quiet.asked, []);
    const asking = ui(['', '', '']);
    await runBuildSteps(ctx({ debug: true, ui: asking }), [step('a', undefined, async () => undefined), step('b')], { events: [] }, () => 0);
    assert.deepEqual(asking.asked, [
      "Pausing after run of step 'a'. Press enter to continue.",
      "Pausing after run of step 'b'. Press enter to continue.",
      "Pausing before cleanup of step 'b'. Press enter to continue.",
      "Pausing before cleanup of step 'a'. Press enter to continue.",
    ]);
  });
});
