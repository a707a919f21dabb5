/**
 * A component's schema as an hcldec spec (`src/hcl/dec`), and the schema of a component
 * whose spec arrives at run time (a Go plugin's ConfigSpec). Every component's block is
 * decoded through the spec: native schemas are lowered to one here, runtime specs are
 * used as they come.
 */
import type * as cty from '../../hcl/cty/index.js';
import type { ObjectSpec, Spec } from '../../hcl/dec/spec.js';
import { ctyTypeOf } from './cty-type.js';
import type { Infer, ObjectSchema } from './field.js';

/**
 * The config of a component that declares it with an hcldec spec at run time (a Go
 * plugin's `ConfigSpec`: attribute specs with cty types and required flags, block and
 * block-list specs with nested specs). Its config is the decoded cty value, sent to the
 * component raw: no `{{ }}` rendering, no defaults, no typing (the plugin does those).
 */
export class RuntimeSpec {
  /** Tells a runtime spec from a native schema at the type level. */
  readonly runtime = true as const;
  constructor(readonly spec: Spec) {}
}

/** What a component declares its config with: the schema DSL, or a spec given at run time. */
export type ComponentSchema = ObjectSchema | RuntimeSpec;

/** The config a component receives: `Infer<S>` for a native schema, the cty value for a runtime spec. */
export type ConfigOf<S extends ComponentSchema> = S extends RuntimeSpec ? cty.Value : S extends ObjectSchema ? Infer<S> : never;

export function isRuntimeSpec(schema: ComponentSchema): schema is RuntimeSpec {
  return schema instanceof RuntimeSpec;
}

const lowered = new WeakMap<ObjectSchema, ObjectSpec>();

/**
 * The hcldec spec of a native schema: an object spec with one attribute spec per value
 * field (typed by `ctyTypeOf`), a `block` spec per single block and a `block-tuple` spec
 * per repeated block (a tuple, so blocks holding `any()` fields need not agree on types),
 * nested specs for their bodies. Required fields are not marked required in the spec:
 * the typed step reports them after `{{ }}` rendering and overrides, as the SDK does.
 */
export function schemaSpec(schema: ObjectSchema): ObjectSpec {
  const known = lowered.get(schema);
  if (known) return known;
  const attributes: Record<string, Spec> = {};
  for (const [name, field] of Object.entries(schema)) {
    const t = field.type;
    if (t.kind === 'block') {
      attributes[name] = { kind: t.repeated ? 'block-tuple' : 'block', typeName: name, nested: schemaSpec(t.fields) };
    } else {
      const type = ctyTypeOf(field);
      if (type) attributes[name] = { kind: 'attr', name, type };
    }
  }
  const spec: ObjectSpec = { kind: 'object', attributes };
  lowered.set(schema, spec);
  return spec;
}

/** The spec a component's blocks are decoded with. */
export function specOf(schema: ComponentSchema): Spec {
  return isRuntimeSpec(schema) ? schema.spec : schemaSpec(schema);
}
