/**
 * The `with var.x as "value"` statements of a rendered diagnostic (HCL's
 * diagnostic_text.go): for a diagnostic that carries the expression being evaluated
 * and its context, each variable the expression reads is shown with a short summary
 * of its value. Plug `variableStatements` into `renderDiagnostic`'s options.
 */
import * as cty from './cty/index.js';
import type { Diagnostic } from './diagnostic.js';
import { EvalContext } from './eval-context.js';
import type { Expression } from './expression.js';
import type { Traversal } from './traversal.js';
import { traverseAbs } from './traversal.js';

function isExpression(x: unknown): x is Expression {
  return typeof x === 'object' && x !== null && typeof (x as { variables?: unknown }).variables === 'function';
}

/**
 * The statements for `diag`, without duplicates, in the expression's order (the
 * renderer sorts them). Variables that fail to resolve, are unknown or are marked
 * (e.g. sensitive) are left out; a null one reads `var.x set to null`.
 */
export function variableStatements(diag: Diagnostic): string[] {
  const expr = diag.expression;
  const ctx = diag.evalContext;
  if (!isExpression(expr) || !(ctx instanceof EvalContext)) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of expr.variables()) {
    const r = traverseAbs(t, ctx);
    if (r.diagnostics.some((d) => d.severity === 'error')) continue;
    const name = traversalStr(t);
    if (seen.has(name)) continue;
    const v = r.value;
    if (!v.isKnown()) continue;
    if (v.isNull()) out.push(`${name} set to null`);
    else if (v.isMarked()) continue;
    else out.push(`${name} as ${valueStr(v)}`);
    seen.add(name);
  }
  return out;
}

/** A traversal as diagnostics show it: `var.a[0]["k"]`, non-primitive keys as `[...]`. */
export function traversalStr(t: Traversal): string {
  let s = '';
  for (const step of t) {
    switch (step.kind) {
      case 'root':
        s += step.name;
        break;
      case 'attr':
        s += `.${step.name}`;
        break;
      case 'index':
        s += `[${cty.isPrimitiveType(step.key.type) ? valueStr(step.key) : '...'}]`;
        break;
      case 'splat':
        break;
    }
  }
  return s;
}

/** A short summary of a value (`"text"`, `42`, `list of string with 3 elements`, ...). */
export function valueStr(v: cty.Value): string {
  const ty = v.type;
  if (v.isNull()) return 'null';
  if (!v.isKnown()) return '(not yet known)';
  const [raw] = cty.unmark(v);
  switch (ty.kind) {
    case 'bool':
      return raw.asBool() ? 'true' : 'false';
    case 'number':
      return cty.formatNumG10(raw.asNumber());
    case 'string':
      return goQuote(raw.asString());
    case 'list':
    case 'set':
    case 'map':
    case 'tuple': {
      const n = ty.kind === 'map' ? raw.asMap().size : raw.asArray().length;
      if (n === 0) return `empty ${cty.friendlyName(ty)}`;
      return n === 1 ? `${cty.friendlyName(ty)} with 1 element` : `${cty.friendlyName(ty)} with ${n} elements`;
    }
    case 'object': {
      const names = [...ty.attributes.keys()];
      if (names.length === 0) return 'object with no attributes';
      return names.length === 1 ? `object with 1 attribute ${goQuote(names[0]!)}` : `object with ${names.length} attributes`;
    }
    default:
      return cty.friendlyName(ty);
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"',
};

/** Go's `%q` (strconv.Quote): printable characters kept, others escaped Go's way. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) {
      out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}
