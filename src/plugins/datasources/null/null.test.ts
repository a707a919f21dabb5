import assert from 'node:assert/strict';
import { prepareErrors } from '../../provisioners/test-helpers.js';
import { describe, it } from 'node:test';
import * as cty from '../../../hcl/cty/index.js';
import { nullDatasource } from './index.js';

describe('null data source', () => {
  it('returns its input as output, of the declared type', async () => {
    const res = await nullDatasource.execute({ input: 'hello' }, new AbortController().signal);
    assert.ok(res.kind === 'ok');
    assert.equal(res.value.asMap().get('output')?.asString(), 'hello');
    assert.ok(cty.typeEquals(res.value.type, nullDatasource.outputType));
  });
  it("requires input with Packer's message", async () => {
    assert.deepEqual(await prepareErrors(nullDatasource, {}), ['The `input` must be specified']);
    assert.deepEqual(await prepareErrors(nullDatasource, { input: '' }), ['The `input` must be specified']);
    assert.deepEqual(await prepareErrors(nullDatasource, { input: 'x' }), []);
  });
});
