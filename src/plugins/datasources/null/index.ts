/**
 * The `null` data source: returns its `input` as `output`. It exists to show how data
 * sources work and to test the data-source machinery.
 */
import * as cty from '../../../hcl/cty/index.js';
import { defineDatasource, prepareError, prepared } from '../../../sdk/component.js';
import { ok } from '../../../sdk/result.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { str } from '../../../sdk/schema/index.js';

const schema = {
  // Packer checks it itself (not as an HCL required attribute), with its own message.
  input: str().doc('The string returned as `output`. Required.'),
};

export type NullDatasourceConfig = Infer<typeof schema>;

export const nullDatasource = defineDatasource({
  name: 'null',
  schema,
  outputType: cty.objectOf({ output: cty.stringType }),
  prepare: async (config: NullDatasourceConfig) => prepared(config, config.input ? [] : [prepareError('The `input` must be specified')]),
  execute: async (config: NullDatasourceConfig) => ok(cty.objectVal({ output: cty.stringVal(config.input ?? '') })),
});

export default nullDatasource;
