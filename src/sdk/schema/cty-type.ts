/** The cty types an HCL template's values are converted to before decoding a schema. */
import * as cty from '../../hcl/cty/index.js';
import type { Field } from './field.js';

/** The type of an attribute field; undefined for blocks (they are not attributes). */
export function ctyTypeOf(field: Field<unknown, boolean>): cty.Type | undefined {
  const t = field.type;
  switch (t.kind) {
    case 'string':
    case 'duration':
      return cty.stringType;
    case 'number':
    case 'int':
      return cty.numberType;
    case 'bool':
      return cty.boolType;
    case 'any':
      return cty.dynamicType;
    case 'list': {
      const e = ctyTypeOf(t.element);
      return e ? cty.listOf(e) : undefined;
    }
    case 'map': {
      const e = ctyTypeOf(t.element);
      return e ? cty.mapOf(e) : undefined;
    }
    case 'object': {
      const attrs = new Map<string, cty.Type>();
      const optional: string[] = [];
      for (const [name, f] of Object.entries(t.fields)) {
        const at = ctyTypeOf(f);
        if (!at) continue;
        attrs.set(name, at);
        if (!f.options.required) optional.push(name);
      }
      return cty.objectOf(attrs, optional);
    }
    case 'block':
      return undefined;
  }
}
