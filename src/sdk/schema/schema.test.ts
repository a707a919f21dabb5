import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../../hcl/cty/index.js';
import type { Range } from '../../hcl/pos.js';
import type { ConfigNode, ConfigObject, Infer } from './index.js';
import { block, blocks, bool, decodeConfig, duration, int, jsonConfigObject, list, map, oneOf, str } from './index.js';

const schema = {
  inline: list(str()),
  execute_command: str().default('sh {{.Path}}'),
  user: str().required(),
  timeout: duration(),
  count: int(),
  debug: bool().default(false),
  env: map(str()),
  mode: oneOf('scp', 'sftp').default('scp'),
  tunnel: blocks({ port: int().required(), host: str() }),
  settings: block({ level: int().default(1) }),
};
type Config = Infer<typeof schema>;

// Type-level checks: required/defaulted keys are present, the others optional.
const typed: Config = { execute_command: 'x', user: 'u', debug: true, mode: 'sftp' };
void typed;

const r = (line: number): Range => ({ filename: 't.pkr.hcl', start: { line, column: 3, byte: 0 }, end: { line, column: 9, byte: 6 } });
const val = (value: cty.Value, line = 1): ConfigNode => ({ kind: 'value', value, range: r(line) });
const obj = (entries: Record<string, ConfigNode>, range?: Range): ConfigObject => ({ entries: new Map(Object.entries(entries)), ...(range ? { range } : {}) });

describe('decodeConfig', () => {
  it('decodes values, applies defaults, converts durations and blocks', () => {
    const res = decodeConfig(
      schema,
      obj({
        inline: val(cty.tupleVal([cty.stringVal('echo'), cty.numberIntVal(2)])),
        user: val(cty.stringVal('root')),
        timeout: val(cty.stringVal('1m30s')),
        count: val(cty.stringVal('3')),
        env: val(cty.objectVal({ A: cty.stringVal('1') })),
        tunnel: { kind: 'blocks', items: [obj({ port: val(cty.numberIntVal(22)) }), obj({ port: val(cty.numberIntVal(23)), host: val(cty.stringVal('h')) })] },
        settings: { kind: 'blocks', items: [obj({})] },
      }),
    );
    assert.deepEqual(res.diagnostics, []);
    assert.deepEqual(res.config, {
      inline: ['echo', '2'],
      execute_command: 'sh {{.Path}}',
      user: 'root',
      timeout: 90_000,
      count: 3,
      debug: false,
      env: { A: '1' },
      mode: 'scp',
      tunnel: [{ port: 22 }, { port: 23, host: 'h' }],
      settings: { level: 1 },
    });
  });
  it('reports missing, unknown, mistyped and out-of-set values at their ranges', () => {
    const res = decodeConfig(
      schema,
      obj(
        {
          bogus: val(cty.stringVal('x'), 4),
          count: val(cty.stringVal('many'), 5),
          mode: val(cty.stringVal('ftp'), 6),
          timeout: val(cty.stringVal('soon'), 7),
        },
        r(1),
      ),
    );
    const got = res.diagnostics.map((d) => `${d.subject?.start.line}: ${d.summary} | ${d.detail}`);
    assert.deepEqual(got, [
      '4: Unsupported argument | An argument named "bogus" is not expected here.',
      '1: Missing required argument | The argument "user" is required, but no definition was found.',
      '7: Invalid value for timeout | Failed parsing timeout: time: invalid duration "soon"',
      '5: Invalid value for count | Inappropriate value for attribute "count": a number is required.',
      '6: Invalid value for mode | "mode" must be one of "scp", "sftp"; got "ftp".',
    ]);
  });
  it("uses legacy JSON's wording for unknown keys", () => {
    const res = decodeConfig(schema, jsonConfigObject(schema, { user: 'u', nope: 1 }), 'json');
    assert.equal(res.diagnostics[0]?.summary, `unknown configuration key: '"nope"'`);
  });
  it('turns unknown values into Packer placeholders and collects sensitive strings', () => {
    const res = decodeConfig(
      schema,
      obj({ user: val(cty.mark(cty.stringVal('s3cret'), 'sensitive')), inline: val(cty.unknownVal(cty.listOf(cty.stringType))), count: val(cty.unknownVal(cty.numberType)) }),
    );
    assert.deepEqual(res.diagnostics, []);
    assert.equal(res.config.user, 's3cret');
    assert.deepEqual(res.config.inline, []);
    assert.equal(res.config.count, 0);
    assert.deepEqual(res.secrets, ['s3cret']);
  });
  it('reads legacy JSON blocks given as an object or an array of objects', () => {
    const res = decodeConfig(schema, jsonConfigObject(schema, { user: 'u', debug: 'true', tunnel: [{ port: 1 }], settings: { level: '2' } }), 'json');
    assert.deepEqual(res.diagnostics, []);
    assert.equal(res.config.debug, true);
    assert.deepEqual(res.config.tunnel, [{ port: 1 }]);
    assert.deepEqual(res.config.settings, { level: 2 });
  });
});
