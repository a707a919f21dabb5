import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinCommunicator, provisionContext, recordingUi } from '../test-helpers.js';
import breakpoint from './index.js';

describe('breakpoint provisioner', () => {
  it('pauses until enter, with the note', async () => {
    const ui = recordingUi(['']);
    const res = await breakpoint.provision({ note: 'look now', disable: false }, provisionContext(await builtinCommunicator('none'), { ui }));
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.lines, ['say Pausing at breakpoint provisioner with note "look now".', 'ask Press enter to continue.']);
  });
  it('fails without a terminal, and only says so when disabled', async () => {
    const ui = recordingUi();
    const res = await breakpoint.provision({ disable: false }, provisionContext(await builtinCommunicator('none'), { ui }));
    assert.equal(res.kind === 'error' && res.error.message, 'Error asking for input: no terminal to ask on');
    const off = recordingUi();
    await breakpoint.provision({ disable: true }, provisionContext(await builtinCommunicator('none'), { ui: off }));
    assert.deepEqual(off.lines, ['say Breakpoint provisioner disabled; continuing...']);
  });
});
