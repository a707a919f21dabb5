import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../../hcl/cty/index.js';
import type { Spec } from '../../hcl/dec/spec.js';
import { EvalContext } from '../../hcl/eval-context.js';
import { parseNativeFile } from '../../hcl/syntax/body-file.js';
import type { Infer } from './index.js';
import { block, blocks, bool, cacheMarks, decodeComponentConfig, duration, int, list, map, oneOf, RuntimeSpec, schemaSpec, str } from './index.js';

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

function hcl<S extends Parameters<typeof decodeComponentConfig>[0]>(s: S, text: string, variables: Record<string, cty.Value> = {}) {
  const f = parseNativeFile(text, 't.pkr.hcl');
  assert.deepEqual(f.diagnostics, []);
  const range = { filename: 't.pkr.hcl', start: { line: 1, column: 1, byte: 0 }, end: { line: 1, column: 1, byte: 0 } };
  return decodeComponentConfig(s, { kind: 'hcl', body: f.body, ctx: new EvalContext({ variables }), range, label: 'x' }, {});
}

const lines = (diags: readonly { subject?: { start: { line: number } }; summary: string; detail: string }[]) => diags.map((d) => `${d.subject?.start.line}: ${d.summary} | ${d.detail}`);

describe('decodeComponentConfig (one path: spec → cty value → typed config)', () => {
  it('decodes values, applies defaults, converts durations and blocks', () => {
    const res = hcl(
      schema,
      'inline = ["echo", 2]\nuser = "root"\ntimeout = "1m30s"\ncount = "3"\nenv = { A = "1" }\ntunnel {\n  port = 22\n}\ntunnel {\n  port = 23\n  host = "h"\n}\nsettings {}\n',
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

  it('reports missing, unknown, mistyped and out-of-set values at their attributes', () => {
    const res = hcl(schema, '\n\n\nbogus = "x"\ncount = "many"\nmode = "ftp"\ntimeout = "soon"\n');
    assert.deepEqual(lines(res.diagnostics), [
      '4: Unsupported argument | An argument named "bogus" is not expected here.',
      '5: Incorrect attribute value type | Inappropriate value for attribute "count": a number is required.',
      '1: Missing required argument | The argument "user" is required, but no definition was found.',
      '7: Invalid value for timeout | Failed parsing timeout: time: invalid duration "soon"',
      '6: Invalid value for mode | "mode" must be one of "scp", "sftp"; got "ftp".',
    ]);
    assert.equal(res.rangeOf('mode')?.start.line, 6);
  });

  it("uses legacy JSON's wording for unknown keys", () => {
    const res = decodeComponentConfig(schema, { kind: 'json', raw: { user: 'u', nope: 1 } }, {});
    assert.equal(res.diagnostics[0]?.summary, `unknown configuration key: '"nope"'`);
  });

  it('turns unknown values into Packer placeholders and collects sensitive strings', () => {
    const res = hcl(schema, 'user = var.pw\ninline = var.list\ncount = var.n\n', {
      var: cty.objectVal({ pw: cty.mark(cty.stringVal('s3cret'), 'sensitive'), list: cty.unknownVal(cty.listOf(cty.stringType)), n: cty.unknownVal(cty.numberType) }),
    });
    assert.deepEqual(res.diagnostics, []);
    assert.equal(res.config.user, 's3cret');
    assert.deepEqual(res.config.inline, []);
    assert.equal(res.config.count, 0);
    assert.deepEqual(res.secrets, ['s3cret']);
  });

  it('reads legacy JSON blocks given as an object or an array of objects', () => {
    const res = decodeComponentConfig(schema, { kind: 'json', raw: { user: 'u', debug: 'true', tunnel: [{ port: 1 }], settings: { level: '2' } } }, {});
    assert.deepEqual(res.diagnostics, []);
    assert.equal(res.config.debug, true);
    assert.deepEqual(res.config.tunnel, [{ port: 1 }]);
    assert.deepEqual(res.config.settings, { level: 2 });
  });

  it('lowers a schema to an hcldec object spec', () => {
    const spec = schemaSpec(schema);
    const attrs = spec.attributes as Record<string, Spec>;
    assert.deepEqual(Object.keys(attrs), Object.keys(schema));
    assert.equal(attrs['tunnel']?.kind, 'block-tuple');
    assert.equal(attrs['settings']?.kind, 'block');
    assert.equal(attrs['timeout']?.kind === 'attr' && attrs['timeout'].type, cty.stringType);
  });
});

describe('a spec that arrives at run time (a Go plugin ConfigSpec)', () => {
  // Built as the RPC client builds it from the plugin's ConfigSpec: attribute specs with
  // cty types and required flags, a block list with a nested object spec.
  const pluginSpec = new RuntimeSpec({
    kind: 'object',
    attributes: {
      message: { kind: 'attr', name: 'message', type: cty.stringType, required: true },
      retries: { kind: 'attr', name: 'retries', type: cty.numberType },
      step: { kind: 'block-list', typeName: 'step', nested: { kind: 'object', attributes: { run: { kind: 'attr', name: 'run', type: cty.listOf(cty.stringType) } } } },
    },
  });

  it('decodes an HCL block into the cty value the plugin is sent, unrendered', () => {
    const res = hcl(pluginSpec, 'message = "{{ build_name }}"\nretries = "2"\nstep {\n  run = ["a"]\n}\n');
    assert.deepEqual(res.diagnostics, []);
    assert.ok(res.config instanceof cty.Value);
    const attr = (v: cty.Value | undefined, name: string) => v?.asMap().get(name);
    assert.equal(attr(res.config, 'message')?.asString(), '{{ build_name }}');
    assert.equal(cty.toFloat64(attr(res.config, 'retries')!.asNumber()), 2);
    assert.equal(attr(attr(res.config, 'step')?.asArray()[0], 'run')?.asArray()[0]?.asString(), 'a');
  });

  it('reports unknown attributes and missing required ones with file and line', () => {
    const res = hcl(pluginSpec, 'retries = 1\n\nmesage = "hi"\nstep {\n  rn = ["a"]\n}\n');
    const where = res.diagnostics.map((d) => `${d.subject?.filename}:${d.subject?.start.line}: ${d.summary} | ${d.detail}`);
    assert.deepEqual(where, [
      't.pkr.hcl:1: Missing required argument | The argument "message" is required, but no definition was found.',
      't.pkr.hcl:3: Unsupported argument | An argument named "mesage" is not expected here. Did you mean "message"?',
      't.pkr.hcl:5: Unsupported argument | An argument named "rn" is not expected here. Did you mean "run"?',
    ]);
  });
});

describe('cache marks', () => {
  it('are readable from a schema, nested blocks included', () => {
    const marked = {
      script: str().localPath(),
      timeout: duration().noEffect(),
      inline: list(str()),
      upload: blocks({ source: str().localPath(), retries: int().noEffect() }),
    };
    assert.deepEqual(cacheMarks(marked), { localPaths: ['script', 'upload.source'], noEffect: ['timeout', 'upload.retries'] });
  });
});
