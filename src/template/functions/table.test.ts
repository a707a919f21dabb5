import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringVal } from '../../hcl/cty/value.js';
import { Value } from '../../hcl/cty/value.js';
import { variableDefaultFunctions } from './env.js';
import { PACKER_FUNCTION_NAMES, packerFunctions } from './table.js';

describe('packerFunctions', () => {
  const table = packerFunctions({ baseDir: '/tmp' });

  it('offers only names Packer exposes', () => {
    const known = new Set(PACKER_FUNCTION_NAMES);
    for (const name of table.keys()) assert.ok(known.has(name), `${name} is not a Packer function`);
  });

  it('leaves out what Packer leaves out', () => {
    for (const name of ['tostring', 'tonumber', 'tolist', 'setsubtract', 'one', 'transpose', 'sensitive', 'env', 'strlen']) {
      assert.equal(table.has(name), false, name);
    }
  });

  it('lists 103 distinct names', () => {
    assert.equal(new Set(PACKER_FUNCTION_NAMES).size, 103);
  });
});

describe('variableDefaultFunctions', () => {
  it('has env only', () => {
    assert.deepEqual([...variableDefaultFunctions().keys()], ['env']);
  });

  it('env reads the given environment, empty when unset', () => {
    const env = variableDefaultFunctions({ env: { KILN_X: 'yes' } }).get('env')!;
    const got = env.call([stringVal('KILN_X')]);
    assert.ok(got instanceof Value);
    assert.equal(got.asString(), 'yes');
    const unset = env.call([stringVal('KILN_NOT_SET')]);
    assert.ok(unset instanceof Value);
    assert.equal(unset.asString(), '');
  });
});
