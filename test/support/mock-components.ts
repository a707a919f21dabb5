/**
 * Test-only components with the configuration schema of Packer's hcl2template mocks
 * (`hcl2template/internal/mock.go`), registered under the names Packer's template
 * tests use: builders `amazon-ebs`, `virtualbox-iso`, `null`; provisioners `shell`,
 * `file`; post-processors `amazon-import`, `manifest`; data sources `amazon-ami`,
 * `null`. They do nothing when run. This is a mock because the real plugins need
 * clouds and hypervisors; it stands for them only in template tests.
 *
 * `null` (builder) and `null` (data source) follow Packer's real ones: the builder
 * takes the communicator options (a subset: the ones templates in the fixtures use
 * plus the common SSH/WinRM ones) and requires host, user and a credential unless
 * `communicator = "none"`; the data source echoes `input` as `output`.
 */
import * as cty from '../../src/hcl/cty/index.js';
import type { ComponentDefinition, ComponentKind, ComponentRegistry } from '../../src/sdk/component.js';
import { defineBuilder, defineDatasource, definePostProcessor, defineProvisioner, prepared, preparedFromMessages } from '../../src/sdk/component.js';
import { ok } from '../../src/sdk/result.js';
import type { ObjectSchema } from '../../src/sdk/schema/index.js';
import { block, blocks, bool, ctyTypeOf, duration, int, jsonToCty, list, map, str } from '../../src/sdk/schema/index.js';

/** NestedMockConfig. */
const nested = {
  string: str(),
  int: int(),
  int64: int(),
  bool: bool(),
  trilean: bool(),
  duration: duration(),
  map_string_string: map(str()),
  slice_string: list(str()),
  slice_slice_string: list(list(str())),
  named_map_string_string: map(str()),
  named_string: str(),
  tag: blocks({ key: str(), value: str() }),
  data_source: str(),
};

/** MockConfig: `not_squashed`, NestedMockConfig squashed, and two nested forms of it. */
export const MOCK_SCHEMA = {
  not_squashed: str(),
  ...nested,
  nested: block(nested),
  nested_slice: blocks(nested),
};

/** The type a block-schema decodes to, as hcldec's ImpliedType gives it (blocks become objects/lists). */
export function impliedType(schema: ObjectSchema): cty.Type {
  const attrs: Record<string, cty.Type> = {};
  for (const [name, field] of Object.entries(schema)) {
    const t = field.type;
    if (t.kind === 'block') attrs[name] = t.repeated ? cty.listOf(impliedType(t.fields)) : impliedType(t.fields);
    else attrs[name] = ctyTypeOf(field) ?? cty.dynamicType;
  }
  return cty.objectOf(attrs);
}

const COMMUNICATOR_SCHEMA = {
  communicator: str(),
  pause_before_connecting: duration(),
  ssh_host: str(),
  ssh_port: int(),
  ssh_username: str(),
  ssh_password: str(),
  ssh_private_key_file: str(),
  ssh_agent_auth: bool(),
  ssh_timeout: duration(),
  ssh_handshake_attempts: int(),
  ssh_pty: bool(),
  winrm_host: str(),
  winrm_port: int(),
  winrm_username: str(),
  winrm_password: str(),
  winrm_timeout: duration(),
  winrm_use_ssl: bool(),
  winrm_insecure: bool(),
};

const mockBuilder = (name: string) =>
  defineBuilder({ name, schema: MOCK_SCHEMA, prepare: async (c) => prepared(c, [], ['ID']), run: () => Promise.resolve(ok(undefined)) });

const nullBuilder = defineBuilder({
  name: 'null',
  schema: COMMUNICATOR_SCHEMA,
  async prepare(c) {
    const errors: string[] = [];
    if (c.communicator !== 'none') {
      if (!c.ssh_host && !c.winrm_host) errors.push('a Host must be specified, please reference your communicator documentation');
      if (!c.ssh_username && !c.winrm_username) errors.push('a Username must be specified, please reference your communicator documentation');
      if (!c.ssh_agent_auth && !c.ssh_password && !c.winrm_password && !c.ssh_private_key_file) {
        errors.push('one authentication method must be specified, please reference your communicator documentation');
      }
    }
    return preparedFromMessages(c, errors);
  },
  run: () => Promise.resolve(ok(undefined)),
});

const mockProvisioner = (name: string) => defineProvisioner({ name, schema: MOCK_SCHEMA, provision: () => Promise.resolve(ok(undefined)) });

const mockPostProcessor = (name: string) =>
  definePostProcessor({
    name,
    schema: MOCK_SCHEMA,
    postProcess: (_c, ctx) => Promise.resolve(ok({ artifact: ctx.artifact, keep: false, forceOverride: false })),
  });

const MOCK_OUTPUT = impliedType(MOCK_SCHEMA);

/** A decoded config as a value of `t`, absent attributes null (hcl2helper.HCL2ValueFromConfig). */
function plainToType(plain: unknown, t: cty.Type): cty.Value {
  if (plain === undefined || plain === null) return cty.nullVal(t);
  if (t.kind === 'object' && typeof plain === 'object' && !Array.isArray(plain)) {
    const rec = plain as Record<string, unknown>;
    return cty.objectVal(Object.fromEntries([...t.attributes].map(([k, at]) => [k, plainToType(rec[k], at)])));
  }
  if (t.kind === 'list' && Array.isArray(plain)) {
    return plain.length === 0 ? cty.listValEmpty(t.element) : cty.listVal(plain.map((e) => plainToType(e, t.element)));
  }
  const v = cty.convertValue(jsonToCty(plain), t);
  return v instanceof cty.Value ? v : cty.nullVal(t);
}

const amazonAmi = defineDatasource({
  name: 'amazon-ami',
  schema: MOCK_SCHEMA,
  outputType: MOCK_OUTPUT,
  execute: (config) => Promise.resolve(ok(plainToType(config, MOCK_OUTPUT))),
});

const nullDatasource = defineDatasource({
  name: 'null',
  schema: { input: str().required() },
  outputType: cty.objectOf({ output: cty.stringType }),
  prepare: async (c) => preparedFromMessages(c, c.input === '' ? ['The `input` must be specified'] : []),
  execute: (c) => Promise.resolve(ok(cty.objectVal({ output: cty.stringVal(c.input) }))),
});

const COMPONENTS: readonly ComponentDefinition[] = [
  mockBuilder('amazon-ebs'),
  mockBuilder('virtualbox-iso'),
  nullBuilder,
  mockProvisioner('shell'),
  mockProvisioner('file'),
  mockPostProcessor('amazon-import'),
  mockPostProcessor('manifest'),
  amazonAmi,
  nullDatasource,
] as readonly ComponentDefinition[];

/** A registry of the mock components, optionally with more (tests add their own). */
export function mockRegistry(extra: readonly ComponentDefinition[] = []): ComponentRegistry {
  const all = [...COMPONENTS, ...extra];
  const find = (kind: ComponentKind, name: string) => all.find((c) => c.kind === kind && c.name === name);
  return {
    has: (kind, name) => find(kind, name) !== undefined,
    load: (kind, name) => Promise.resolve(find(kind, name)),
    names: (kind) => all.filter((c) => c.kind === kind).map((c) => c.name),
  };
}
