import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlagSpec } from './flags.js';
import { parseFlags, stripMachineReadable } from './flags.js';

const specs: FlagSpec[] = [
  { name: 'force', kind: 'bool', usage: '' },
  { name: 'color', kind: 'bool', default: true, usage: '' },
  { name: 'only', kind: 'list', usage: '' },
  { name: 'var', kind: 'repeat', usage: '' },
  { name: 'parallel-builds', kind: 'int', default: 0, usage: '' },
  { name: 'on-error', kind: 'string', choices: ['', 'cleanup', 'abort'], default: '', usage: '' },
  { name: 'json', kind: 'bool-or-string', usage: '' },
];

function ok(args: string[]) {
  const r = parseFlags(specs, args);
  assert.equal(r.kind, 'ok', JSON.stringify(r));
  if (r.kind !== 'ok') throw new Error('unreachable');
  return r.flags;
}

describe('parseFlags (Go flag rules)', () => {
  it('-json alone is true and leaves the next argument alone; -json=FILE is the file; -json=false is false', () => {
    const alone = ok(['-json', 'tpl']);
    assert.equal(alone.values.get('json'), true);
    assert.deepEqual(alone.positional, ['tpl']);
    assert.equal(ok(['-json=events.jsonl', 'tpl']).values.get('json'), 'events.jsonl');
    assert.equal(ok(['--json=false', 'tpl']).values.get('json'), false);
    assert.equal(ok(['tpl']).values.get('json'), undefined);
  });
  it('reads -only=x as one flag, not as -o -n -l -y', () => {
    const f = ok(['-only=docker.a,null.b', 'tpl']);
    assert.deepEqual(f.values.get('only'), ['docker.a', 'null.b']);
    assert.deepEqual(f.positional, ['tpl']);
  });
  it('takes the value from the next argument and accepts two dashes', () => {
    const f = ok(['--var', 'a=1', '-var=b=2', '-only', 'x', '-only', 'y', 't']);
    assert.deepEqual(f.values.get('var'), ['a=1', 'b=2']);
    assert.deepEqual(f.values.get('only'), ['x', 'y']);
  });
  it('treats bool flags as switches, with -flag=false to turn them off', () => {
    const f = ok(['-force', '-color=false', 'tpl']);
    assert.equal(f.values.get('force'), true);
    assert.equal(f.values.get('color'), false);
    const g = ok(['-force', 'false']);
    assert.deepEqual(g.positional, ['false']);
  });
  it('stops at the first positional argument and at --', () => {
    assert.deepEqual(ok(['tpl', '-force']).positional, ['tpl', '-force']);
    assert.deepEqual(ok(['--', '-force']).positional, ['-force']);
    assert.deepEqual(ok(['-', '-force']).positional, ['-', '-force']);
  });
  it('keeps defaults and parses ints', () => {
    const f = ok(['-parallel-builds', '3']);
    assert.equal(f.values.get('parallel-builds'), 3);
    assert.equal(f.values.get('color'), true);
    assert.equal(f.values.get('on-error'), '');
  });
  it('reports errors with Go messages', () => {
    assert.deepEqual(parseFlags(specs, ['-bogus']), { kind: 'error', message: 'flag provided but not defined: -bogus' });
    assert.deepEqual(parseFlags(specs, ['-var']), { kind: 'error', message: 'flag needs an argument: -var' });
    assert.deepEqual(parseFlags(specs, ['---x']), { kind: 'error', message: 'bad flag syntax: ---x' });
    assert.equal(parseFlags(specs, ['-parallel-builds=x']).kind, 'error');
    assert.equal(parseFlags(specs, ['-on-error=explode']).kind, 'error');
    assert.equal(parseFlags(specs, ['-force=maybe']).kind, 'error');
  });
  it('answers help for -h and -help when they are not defined', () => {
    assert.deepEqual(parseFlags(specs, ['-h']), { kind: 'help' });
    assert.deepEqual(parseFlags(specs, ['--help']), { kind: 'help' });
  });
  it('strips -machine-readable anywhere', () => {
    assert.deepEqual(stripMachineReadable(['-machine-readable', 'build', 'x', '-machine-readable']), {
      args: ['build', 'x'],
      machineReadable: true,
    });
  });
});
