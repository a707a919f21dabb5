/**
 * Defaults for optional object attributes (typeexpr.Defaults): what
 * `optional(T, default)` in a type constraint fills in when a value leaves the
 * attribute out or sets it to null. `apply` is meant for a value *before* it is
 * converted to the constraint's type.
 */
import * as cty from '../cty/index.js';

export class Defaults {
  constructor(
    /** The type constraint these defaults belong to. */
    readonly type: cty.Type,
    /** Default values by attribute name (objects only). */
    readonly defaultValues: ReadonlyMap<string, cty.Value>,
    /**
     * Defaults for nested values: by attribute name (objects), by decimal index
     * (tuples), or under `""` for every element of a list, set or map.
     */
    readonly children: ReadonlyMap<string, Defaults>,
  ) {}

  /** `v` with defaults filled in, recursively; unknown and null values come back as they are. */
  apply(v: cty.Value): cty.Value {
    if (!v.isKnown() || v.isNull()) return v;
    if (this.defaultValues.size === 0 && this.children.size === 0) return v;
    const [plain, marks] = cty.unmark(v);
    return cty.withMarks(this.applyUnmarked(plain), marks);
  }

  private applyUnmarked(v: cty.Value): cty.Value {
    const t = v.type;
    switch (t.kind) {
      case 'set':
      case 'list':
      case 'tuple': {
        const values = v.asArray().map((el, i) => this.child(i)?.apply(el) ?? el);
        if (t.kind === 'set' || t.kind === 'list') {
          if (values.length === 0) return t.kind === 'set' ? cty.setValEmpty(t.element) : cty.listValEmpty(t.element);
          const unified = unifyAll(values);
          if (unified !== undefined) return t.kind === 'set' ? cty.setVal(unified) : cty.listVal(unified);
        }
        return cty.tupleVal(values);
      }
      case 'object':
      case 'map': {
        const values = new Map<string, cty.Value>();
        for (const [k, el] of v.asMap()) values.set(k, this.child(k)?.apply(el) ?? el);
        for (const [k, dv] of this.defaultValues) {
          const cur = values.get(k);
          if (cur === undefined || cur.isNull()) values.set(k, this.children.get(k)?.apply(dv) ?? dv);
        }
        if (t.kind === 'map') {
          if (values.size === 0) return cty.mapValEmpty(t.element);
          const keys = [...values.keys()].sort(cty.compareStrings);
          const unified = unifyAll(keys.map((k) => values.get(k)!));
          if (unified !== undefined) return cty.mapVal(new Map(keys.map((k, i) => [k, unified[i]!])));
        }
        return cty.objectVal(values);
      }
      default:
        return v;
    }
  }

  private child(key: number | string): Defaults | undefined {
    if (typeof key === 'number' && this.type.kind === 'tuple') return this.children.get(String(key));
    if (typeof key === 'string' && this.type.kind === 'object') return this.children.get(key);
    return this.children.get('');
  }
}

/** The values converted to their unified type; undefined when they have none. */
function unifyAll(values: readonly cty.Value[]): cty.Value[] | undefined {
  const u = cty.unifyUnsafe(values.map((x) => x.type));
  if (u.type === undefined) return undefined;
  const out: cty.Value[] = [];
  for (let i = 0; i < values.length; i++) {
    const conv = u.conversions[i];
    const c = conv === undefined ? values[i]! : conv(values[i]!);
    if (c instanceof cty.PathError) return undefined;
    out.push(c);
  }
  return out;
}
