import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComponentKind } from '../sdk/component.js';
import { builtinRegistry } from './registry.js';

const KINDS: readonly ComponentKind[] = ['builder', 'provisioner', 'post-processor', 'datasource', 'communicator'];

describe('builtinRegistry', () => {
  it('loads every listed component, of the kind and name it is listed under', async () => {
    const reg = builtinRegistry();
    for (const kind of KINDS) {
      for (const name of reg.names(kind)) {
        assert.ok(reg.has(kind, name));
        const def = await reg.load(kind, name);
        assert.equal(def?.kind, kind);
        assert.equal(def?.name, name);
      }
    }
  });
  it('knows the built-ins and nothing else', async () => {
    const reg = builtinRegistry();
    assert.ok(reg.names('provisioner').includes('sleep'));
    assert.equal(reg.has('provisioner', 'nope'), false);
    assert.equal(reg.has('builder', 'sleep'), false);
    assert.equal(await reg.load('provisioner', 'nope'), undefined);
  });
});
