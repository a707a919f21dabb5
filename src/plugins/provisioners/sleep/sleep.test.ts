import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinCommunicator, provisionContext } from '../test-helpers.js';
import sleep from './index.js';

describe('sleep provisioner', () => {
  it('sleeps, and stops sleeping when cancelled', async () => {
    assert.equal((await sleep.provision({ duration: 10 }, provisionContext(await builtinCommunicator('none')))).kind, 'ok');
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const res = await sleep.provision({ duration: 60_000 }, provisionContext(await builtinCommunicator('none'), { signal: ctl.signal }));
    assert.equal(res.kind === 'error' && res.error.message, 'context canceled');
  });
});
