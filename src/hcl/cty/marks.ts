/**
 * Value marks (cty's `Mark`, `WithMarks`, `Unmark`, `UnmarkDeep`). Marks travel with a
 * value through operations: an operation on marked operands returns a result carrying
 * the union of their marks. Packer uses the `sensitive` mark.
 */
import type { Mark, Marks } from './value.js';
import { Value, rawValue } from './value.js';

/** The union of mark sets; undefined when empty. */
export function unionMarks(...sets: ReadonlyArray<Marks | undefined>): Marks | undefined {
  let out: Set<Mark> | undefined;
  let single: Marks | undefined;
  for (const s of sets) {
    if (s === undefined || s.size === 0) continue;
    if (single === undefined && out === undefined) {
      single = s;
      continue;
    }
    if (out === undefined) out = new Set(single);
    for (const m of s) out.add(m);
  }
  return out ?? single;
}

export function marksEqual(a: Marks | undefined, b: Marks | undefined): boolean {
  const sa = a?.size ?? 0;
  if (sa !== (b?.size ?? 0)) return false;
  if (sa === 0) return true;
  for (const m of a!) if (!b!.has(m)) return false;
  return true;
}

/** `v` with `mark` added. */
export function mark(v: Value, m: Mark): Value {
  if (v.marks?.has(m)) return v;
  return new Value(v.type, v.raw, unionMarks(v.marks, new Set([m])));
}

/** `v` with all marks of `sets` added to its own (top-level) marks. */
export function withMarks(v: Value, ...sets: ReadonlyArray<Marks | undefined>): Value {
  const all = unionMarks(v.marks, ...sets);
  if (all === v.marks) return v;
  return new Value(v.type, v.raw, all);
}

/** `v` with the top-level marks of every value in `sources` added. */
export function withSameMarks(v: Value, ...sources: readonly Value[]): Value {
  return withMarks(v, ...sources.map((s) => s.marks));
}

/** `[v without its top-level marks, those marks]` (an empty set when unmarked). */
export function unmark(v: Value): [Value, Marks] {
  if (v.marks === undefined) return [v, EMPTY];
  return [new Value(v.type, v.raw), v.marks];
}

const EMPTY: Marks = new Set();

export function hasMark(v: Value, m: Mark): boolean {
  return v.marks?.has(m) ?? false;
}

/** True when `v` or any value nested in it is marked. */
export function containsMarked(v: Value): boolean {
  if (v.marks !== undefined) return true;
  const r = v.raw;
  if (Array.isArray(r)) return (r as readonly Value[]).some(containsMarked);
  if (r instanceof Map) {
    for (const e of (r as ReadonlyMap<string, Value>).values()) if (containsMarked(e)) return true;
  }
  return false;
}

export function hasMarkDeep(v: Value, m: Mark): boolean {
  if (v.marks?.has(m)) return true;
  const r = v.raw;
  if (Array.isArray(r)) return (r as readonly Value[]).some((e) => hasMarkDeep(e, m));
  if (r instanceof Map) {
    for (const e of (r as ReadonlyMap<string, Value>).values()) if (hasMarkDeep(e, m)) return true;
  }
  return false;
}

/** `[v with no marks anywhere, the union of every mark removed]`. */
export function unmarkDeep(v: Value): [Value, Marks] {
  if (!containsMarked(v)) return [v, EMPTY];
  const acc = new Set<Mark>();
  return [strip(v, acc), acc];
}

function strip(v: Value, acc: Set<Mark>): Value {
  if (v.marks !== undefined) for (const m of v.marks) acc.add(m);
  const r = v.raw;
  const t = v.type;
  if (Array.isArray(r) && (t.kind === 'list' || t.kind === 'set' || t.kind === 'tuple')) {
    return rawValue(t, (r as readonly Value[]).map((e) => strip(e, acc)));
  }
  if (r instanceof Map && (t.kind === 'map' || t.kind === 'object')) {
    const out = new Map<string, Value>();
    for (const [k, e] of r as ReadonlyMap<string, Value>) out.set(k, strip(e, acc));
    return rawValue(t, out);
  }
  return v.marks === undefined ? v : new Value(t, r);
}
