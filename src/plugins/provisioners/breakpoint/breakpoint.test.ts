import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NoneCommunicator } from '../../communicators/none/none-communicator.js';
import sleep from '../sleep/index.js';
import { provisionContext, recordingUi } from '../test-helpers.js';
import breakpoint from './index.js';

describe('breakpoint and sleep provisioners', () => {
  it('pauses until enter, with the note', async () => {
    const ui = recordingUi(['']);
    const res = await breakpoint.provision({ note: 'look now', disable: false }, provisionContext(new NoneCommunicator(), { ui }));
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.lines, ['say Pausing at breakpoint provisioner with note "look now".', 'ask Press enter to continue.']);
  });
  it('fails without a terminal, and only says so when disabled', async () => {
    const ui = recordingUi();
    const res = await breakpoint.provision({ disable: false }, provisionContext(new NoneCommunicator(), { ui }));
    assert.equal(res.kind === 'error' && res.error.message, 'Error asking for input: no terminal to ask on');
    const off = recordingUi();
    await breakpoint.provision({ disable: true }, provisionContext(new NoneCommunicator(), { ui: off }));
    assert.deepEqual(off.lines, ['say Breakpoint provisioner disabled; continuing...']);
  });
  it('sleeps, and stops sleeping when cancelled', async () => {
    assert.equal((await sleep.provision({ duration: 10 }, provisionContext(new NoneCommunicator()))).kind, 'ok');
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const res = await sleep.provision({ duration: 60_000 }, provisionContext(new NoneCommunicator(), { signal: ctl.signal }));
    assert.equal(res.kind === 'error' && res.error.message, 'context canceled');
  });
});
