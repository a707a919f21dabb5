import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charQcode, needsShift, parseBootCommand, typeBootCommand } from './index.js';
import type { Key } from './index.js';

describe('boot command', () => {
  it('parses text, special keys, holds and waits', () => {
    const r = parseBootCommand('aB<enter><wait><wait5><wait1m30s><leftShiftOn>x<LEFTSHIFTOFF><F12><foo>');
    assert.equal(r.kind, 'ok');
    const actions = r.kind === 'ok' ? r.actions : [];
    assert.deepEqual(actions.slice(0, 11), [
      { kind: 'char', char: 'a' },
      { kind: 'char', char: 'B' },
      { kind: 'key', key: 'enter', action: 'press' },
      { kind: 'wait', ms: 1000 },
      { kind: 'wait', ms: 5000 },
      { kind: 'wait', ms: 90_000 },
      { kind: 'key', key: 'leftshift', action: 'on' },
      { kind: 'char', char: 'x' },
      { kind: 'key', key: 'leftshift', action: 'off' },
      { kind: 'key', key: 'f12', action: 'press' },
      { kind: 'char', char: '<' },
    ]);
    assert.equal(actions.slice(10).map((a) => (a.kind === 'char' ? a.char : '?')).join(''), '<foo>');
  });

  it('rejects a malformed wait', () => {
    const r = parseBootCommand('<waitXYZ>');
    assert.equal(r.kind, 'error');
  });

  it('knows which characters need Shift and their QEMU key codes', () => {
    assert.ok(needsShift('A') && needsShift('>') && needsShift('"'));
    assert.ok(!needsShift('a') && !needsShift('.') && !needsShift(' '));
    assert.equal(charQcode('!'), '1');
    assert.equal(charQcode('>'), 'dot');
    assert.equal(charQcode('Q'), 'q');
    assert.equal(charQcode('é'), undefined);
  });

  it('types with Shift held for capitals and symbols', async () => {
    const sent: string[] = [];
    const driver = { send: async (k: Key, down: boolean) => void sent.push(`${down ? '+' : '-'}${k.qcode ?? k.keysym}`) };
    const r = parseBootCommand('a>\n<enter>');
    assert.equal(r.kind, 'ok');
    await typeBootCommand(r.kind === 'ok' ? r.actions : [], driver, { keyIntervalMs: 0, signal: new AbortController().signal });
    assert.deepEqual(sent, ['+a', '-a', '+shift', '+dot', '-dot', '-shift', '+ret', '-ret', '+ret', '-ret']);
  });
});
