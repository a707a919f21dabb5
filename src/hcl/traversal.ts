/**
 * Traversals (hcl.Traversal) and the two value operations they are made of: `index`
 * (`coll[key]`, hcl.Index) and `getAttr` (`obj.name`, hcl.GetAttr), with HCL's
 * semantics for null, unknown and marked values and HCL's diagnostics.
 *
 * A traversal is a list of steps. An absolute traversal starts with a `root` step
 * (`var.foo[0]`) and is resolved against an {@link EvalContext}; a relative one has no
 * root and is applied to a value. Steps keep their source ranges for diagnostics.
 */
import type { PathStep } from './cty/conform.js';
import { PathError } from './cty/conform.js';
import { convertValue } from './cty/convert/convert.js';
import { unmark, withSameMarks } from './cty/marks.js';
import type { Num } from './cty/number.js';
import { cmpNum, isIntegerNum, signNum } from './cty/number.js';
import * as ops from './cty/operations.js';
import type { Type } from './cty/type.js';
import { friendlyName, numberType, stringType } from './cty/type.js';
import type { Value } from './cty/value.js';
import { nameSuggestion } from './suggest.js';
import { dynamicVal, stringVal, unknownVal } from './cty/value.js';
import type { Diagnostic } from './diagnostic.js';
import type { EvalContext } from './eval-context.js';
import type { Range } from './pos.js';
import { rangeBetween } from './pos.js';

/** One traversal step (hcl.Traverser). */
export type Traverser =
  | { readonly kind: 'root'; readonly name: string; readonly srcRange: Range }
  | { readonly kind: 'attr'; readonly name: string; readonly srcRange: Range }
  | { readonly kind: 'index'; readonly key: Value; readonly srcRange: Range }
  /** `[*]` from a partial traversal; HCL does not apply these (see `traversalStep`). */
  | { readonly kind: 'splat'; readonly srcRange: Range };

export type Traversal = readonly Traverser[];

/** A value with the diagnostics produced while computing it. */
export interface ValueResult {
  readonly value: Value;
  readonly diagnostics: Diagnostic[];
}

function err(summary: string, detail: string, subject: Range | undefined): Diagnostic {
  return { severity: 'error', summary, detail, ...(subject ? { subject } : {}) };
}

function fail(summary: string, detail: string, subject: Range | undefined): ValueResult {
  return { value: dynamicVal, diagnostics: [err(summary, detail, subject)] };
}

const ok = (value: Value): ValueResult => ({ value, diagnostics: [] });

/** True when the traversal does not start with a root step. */
export function isRelative(t: Traversal): boolean {
  return t[0]?.kind !== 'root';
}

/** The name of the root step; throws on a relative traversal (a caller bug). */
export function rootName(t: Traversal): string {
  const first = t[0];
  if (first?.kind !== 'root') throw new Error('internal: rootName on a relative traversal');
  return first.name;
}

/** The range from the first to the last step; undefined for an empty traversal. */
export function traversalRange(t: Traversal): Range | undefined {
  const first = t[0];
  const last = t[t.length - 1];
  return first && last ? rangeBetween(first.srcRange, last.srcRange) : undefined;
}

/** Splits an absolute traversal into its root step and the relative rest (SimpleSplit). */
export function simpleSplit(t: Traversal): { abs: Traversal; rel: Traversal } {
  return isRelative(t) ? { abs: [], rel: t } : { abs: t.slice(0, 1), rel: t.slice(1) };
}

/** `abs` followed by `rel` (TraversalJoin); `rel` must be relative. */
export function traversalJoin(abs: Traversal, rel: Traversal): Traversal {
  if (!isRelative(rel)) throw new Error('internal: traversalJoin with an absolute second traversal');
  return [...abs, ...rel];
}

/** Applies one relative step to a value. */
export function traversalStep(step: Traverser, v: Value): ValueResult {
  switch (step.kind) {
    case 'attr':
      return getAttr(v, step.name, step.srcRange);
    case 'index':
      return index(v, step.key, step.srcRange);
    case 'root':
      return fail('Invalid traversal', 'A root traversal step cannot be applied to a value. This is a bug in the calling program.', step.srcRange);
    case 'splat':
      return fail('Unsupported traversal', 'A splat step cannot be applied as a static traversal.', step.srcRange);
  }
}

/** Applies a relative traversal to `v`, stopping at the first step that fails. */
export function traverseRel(t: Traversal, v: Value): ValueResult {
  let current = v;
  const diagnostics: Diagnostic[] = [];
  for (const step of t) {
    const r = traversalStep(step, current);
    diagnostics.push(...r.diagnostics);
    if (r.diagnostics.some((d) => d.severity === 'error')) return { value: dynamicVal, diagnostics };
    current = r.value;
  }
  return { value: current, diagnostics };
}

/**
 * Resolves an absolute traversal in `ctx`: "Variables not allowed" when there is no
 * variables table anywhere in the chain, "Unknown variable" (with a did-you-mean) when
 * the root name is not defined, then the steps as `traverseRel`.
 */
export function traverseAbs(t: Traversal, ctx: EvalContext | undefined): ValueResult {
  const root = t[0];
  if (root?.kind !== 'root') throw new Error('internal: traverseAbs on a relative traversal');
  if (ctx === undefined || !ctx.hasVariables()) {
    return fail('Variables not allowed', 'Variables may not be used here.', root.srcRange);
  }
  const val = ctx.lookupVariable(root.name);
  if (val !== undefined) return traverseRel(t.slice(1), val);
  const suggestion = nameSuggestion(root.name, ctx.variableNames());
  const extra = suggestion === undefined ? '' : ` Did you mean ${JSON.stringify(suggestion)}?`;
  return fail('Unknown variable', `There is no variable named ${JSON.stringify(root.name)}.${extra}`, root.srcRange);
}

const INVALID_INDEX = 'Invalid index';
const NO_ELEMENT = 'The given key does not identify an element in this collection value';

/**
 * `collection[key]` with HCL's rules (hcl.Index): keys are converted to the collection's
 * key type, unknowns give unknown results, marks on the collection and key travel to
 * the result, and every mistake is an "Invalid index" (or "Attempt to index null
 * value") diagnostic whose subject is `srcRange`.
 */
export function index(collection: Value, key: Value, srcRange?: Range): ValueResult {
  if (collection.isNull()) return fail('Attempt to index null value', 'This value is null, so it does not have any indices.', srcRange);
  if (key.isNull()) return fail(INVALID_INDEX, "Can't use a null value as an indexing key.", srcRange);
  const ty = collection.type;
  if (key.type.kind === 'dynamic' || ty.kind === 'dynamic') return ok(withSameMarks(dynamicVal, collection));
  switch (ty.kind) {
    case 'list':
    case 'tuple':
    case 'map':
      return indexSequenceOrMap(collection, key, ty.kind === 'map' ? stringType : numberType, srcRange);
    case 'object':
      return indexObject(collection, key, srcRange);
    case 'set':
      return fail(
        INVALID_INDEX,
        "Elements of a set are identified only by their value and don't have any separate index or key to select with, so it's only possible to perform operations across all elements of the set.",
        srcRange,
      );
    default:
      return fail(INVALID_INDEX, 'This value does not have any indices.', srcRange);
  }
}

function indexSequenceOrMap(collection: Value, keyIn: Value, want: Type, srcRange: Range | undefined): ValueResult {
  const ty = collection.type;
  const key = convertValue(keyIn, want);
  if (key instanceof PathError) return fail(INVALID_INDEX, `${NO_ELEMENT}: ${key.message}.`, srcRange);
  const [has] = unmark(ops.hasIndex(collection, key));
  if (!has.isKnown()) {
    if (ty.kind === 'tuple') return ok(withSameMarks(dynamicVal, collection));
    return ok(withSameMarks(unknownVal((ty as { element: Type }).element), collection));
  }
  if (has.asBool()) return ok(ops.index(collection, key));
  if (ty.kind !== 'map' && key.isKnown() && !key.isNull()) {
    const n: Num = unmark(key)[0].asNumber();
    if (!isIntegerNum(n)) {
      return fail(INVALID_INDEX, `${NO_ELEMENT}: indexing a sequence requires a whole number, but the given index has a fractional part.`, srcRange);
    }
    if (signNum(n) < 0) return fail(INVALID_INDEX, `${NO_ELEMENT}: a negative number is not a valid index for a sequence.`, srcRange);
    const len = ops.length(collection);
    // HCL reports "greater than or equal" only when the index equals the length exactly.
    if (len.isKnown() && !len.isMarked() && cmpNum(n, len.asNumber()) <= 0) {
      if (signNum(len.asNumber()) === 0) return fail(INVALID_INDEX, `${NO_ELEMENT}: the collection has no elements.`, srcRange);
      return fail(INVALID_INDEX, `${NO_ELEMENT}: the given index is greater than or equal to the length of the collection.`, srcRange);
    }
  }
  return fail(INVALID_INDEX, `${NO_ELEMENT}.`, srcRange);
}

function objectAttrType(ty: Type, name: string): Type | undefined {
  if (ty.kind !== 'object') return undefined;
  return ty.attributes.get(name) ?? ty.attributes.get(name.normalize('NFC'));
}

function indexObject(collection: Value, keyIn: Value, srcRange: Range | undefined): ValueResult {
  const wasNumber = keyIn.type.kind === 'number';
  const key = convertValue(keyIn, stringType);
  if (key instanceof PathError) return fail(INVALID_INDEX, `${NO_ELEMENT}: ${key.message}.`, srcRange);
  if (!key.isKnown()) return ok(withSameMarks(dynamicVal, collection));
  const name = unmark(key)[0].asString();
  const at = objectAttrType(collection.type, name);
  if (at === undefined) {
    const hint = wasNumber ? ' An object only supports looking up attributes by name, not by numeric index.' : '';
    return fail(INVALID_INDEX, `${NO_ELEMENT}.${hint}`, srcRange);
  }
  if (!collection.isKnown()) return ok(withSameMarks(unknownVal(at), collection));
  return ok(ops.getAttr(collection, name));
}

const UNSUPPORTED_ATTR = 'Unsupported attribute';

/**
 * `obj.name` with HCL's rules (hcl.GetAttr): works on objects and maps (a missing map
 * key is "Missing map element"), is unknown on unknowns, and gives HCL's hints for
 * lists and sets of objects and for primitives.
 */
export function getAttr(obj: Value, name: string, srcRange?: Range): ValueResult {
  if (obj.isNull()) return fail('Attempt to get attribute from null value', 'This value is null, so it does not have any attributes.', srcRange);
  const ty = obj.type;
  switch (ty.kind) {
    case 'object': {
      const at = objectAttrType(ty, name);
      if (at === undefined) return fail(UNSUPPORTED_ATTR, `This object does not have an attribute named ${JSON.stringify(name)}.`, srcRange);
      if (!obj.isKnown()) return ok(withSameMarks(unknownVal(at), obj));
      return ok(ops.getAttr(obj, name));
    }
    case 'map': {
      if (!obj.isKnown()) return ok(withSameMarks(unknownVal(ty.element), obj));
      const idx = stringVal(name);
      const [has] = unmark(ops.hasIndex(obj, idx));
      if (has.isKnown() && !has.asBool()) {
        return fail('Missing map element', `This map does not have an element with the key ${JSON.stringify(name)}.`, srcRange);
      }
      return ok(ops.index(obj, idx));
    }
    case 'dynamic':
      return ok(withSameMarks(dynamicVal, obj));
    case 'list':
      if (ty.element.kind === 'object') {
        const detail = objectAttrType(ty.element, name) !== undefined
          ? `Can't access attributes on a list of objects. Did you mean to access attribute ${JSON.stringify(name)} for a specific element of the list, or across all elements of the list?`
          : "Can't access attributes on a list of objects. Did you mean to access an attribute for a specific element of the list, or across all elements of the list?";
        return fail(UNSUPPORTED_ATTR, detail, srcRange);
      }
      break;
    case 'set':
      if (ty.element.kind === 'object') {
        return fail(UNSUPPORTED_ATTR, "Can't access attributes on a set of objects. Did you mean to access an attribute across all elements of the set?", srcRange);
      }
      break;
    case 'string':
    case 'number':
    case 'bool':
      return fail(UNSUPPORTED_ATTR, `Can't access attributes on a primitive-typed value (${friendlyName(ty)}).`, srcRange);
    default:
      break;
  }
  return fail(UNSUPPORTED_ATTR, 'This value does not have any attributes.', srcRange);
}

/** Applies a cty path with `index`/`getAttr` (hcl.ApplyPath), stopping at the first error. */
export function applyPath(v: Value, path: readonly PathStep[], srcRange?: Range): ValueResult {
  let current = v;
  const diagnostics: Diagnostic[] = [];
  for (const step of path) {
    const r = step.kind === 'attr' ? getAttr(current, step.name, srcRange) : index(current, step.key, srcRange);
    diagnostics.push(...r.diagnostics);
    if (r.diagnostics.some((d) => d.severity === 'error')) return { value: dynamicVal, diagnostics };
    current = r.value;
  }
  return { value: current, diagnostics };
}
