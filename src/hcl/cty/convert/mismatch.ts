/**
 * cty's `convert.MismatchMessage`: the user-facing reason a value of type `got` cannot
 * become `want` (HCL puts it in "Invalid value for ..." diagnostics).
 */
import type { Type } from '../type.js';
import { friendlyName, friendlyNameForConstraint, hasDynamicTypes, isPrimitiveType, typeEquals } from '../type.js';
import { getConversion } from './conversion.js';

export function mismatchMessage(got: Type, want: Type): string {
  if (got.kind === 'object' && want.kind === 'object') return objectsMessage(got, want);
  if (got.kind === 'tuple' && want.kind === 'list' && want.element.kind === 'dynamic') return 'all list elements must have the same type';
  if (got.kind === 'tuple' && want.kind === 'set' && want.element.kind === 'dynamic') return 'all set elements must have the same type';
  if (got.kind === 'object' && want.kind === 'map' && want.element.kind === 'dynamic') return 'all map elements must have the same type';
  const wantColl = want.kind === 'list' || want.kind === 'set' || want.kind === 'map';
  if ((got.kind === 'tuple' || got.kind === 'object') && wantColl) return fromStructural(got, want);
  if ((got.kind === 'list' || got.kind === 'set' || got.kind === 'map') && wantColl) return fromCollection(got, want);
  if (!likelyConfusing(got, want)) return `${friendlyName(want)} required, but have ${friendlyName(got)}`;
  return `${friendlyNameForConstraint(want)} required`;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function objectsMessage(got: Type & { kind: 'object' }, want: Type & { kind: 'object' }): string {
  const missing: string[] = [];
  let unsafeMismatch = '';
  let safeMismatch = '';
  for (const [name, wantAt] of want.attributes) {
    const gotAt = got.attributes.get(name);
    if (gotAt === undefined) {
      if (!want.optional.has(name)) missing.push(name);
      continue;
    }
    if (typeEquals(gotAt, wantAt)) continue;
    if (unsafeMismatch !== '') continue;
    if (getConversion(gotAt, wantAt, true) === undefined) {
      unsafeMismatch = `attribute ${quote(name)}: ${mismatchMessage(gotAt, wantAt)}`;
    }
    if (safeMismatch !== '') continue;
    if (getConversion(gotAt, wantAt, false) === undefined) {
      safeMismatch = `attribute ${quote(name)}: ${mismatchMessage(gotAt, wantAt)}`;
    }
  }
  if (missing.length === 1) return `attribute ${quote(missing[0]!)} is required`;
  if (missing.length === 2) return `attributes ${quote(missing[0]!)} and ${quote(missing[1]!)} are required`;
  if (missing.length > 2) {
    const head = missing.slice(0, -1).map((n) => `${quote(n)}, `).join('');
    return `attributes ${head}and ${quote(missing[missing.length - 1]!)} are required`;
  }
  if (unsafeMismatch !== '') return unsafeMismatch;
  if (safeMismatch !== '') return safeMismatch;
  return 'incorrect object attributes';
}

function fromStructural(got: Type & { kind: 'tuple' | 'object' }, want: Type & { kind: 'list' | 'set' | 'map' }): string {
  if ((want.kind === 'list' || want.kind === 'set') && got.kind !== 'tuple') return `${friendlyNameForConstraint(want)} required`;
  if (want.kind === 'map' && got.kind !== 'object') return `${friendlyNameForConstraint(want)} required`;
  const wantEt = want.element;
  if (got.kind === 'tuple') {
    for (let i = 0; i < got.elements.length; i++) {
      const et = got.elements[i]!;
      if (typeEquals(et, wantEt) || getConversion(et, wantEt, true) !== undefined) continue;
      return `element ${i}: ${mismatchMessage(et, wantEt)}`;
    }
  } else {
    for (const [name, at] of got.attributes) {
      if (typeEquals(at, wantEt) || getConversion(at, wantEt, true) !== undefined) continue;
      return `element ${quote(name)}: ${mismatchMessage(at, wantEt)}`;
    }
  }
  return `all elements must be ${friendlyNameForConstraint(wantEt)}`;
}

function fromCollection(got: Type & { kind: 'list' | 'set' | 'map' }, want: Type & { kind: 'list' | 'set' | 'map' }): string {
  if (want.kind === 'map' ? got.kind !== 'map' : got.kind === 'map') return `${friendlyNameForConstraint(want)} required`;
  return `incorrect ${want.kind} element type: ${mismatchMessage(got.element, want.element)}`;
}

function likelyConfusing(got: Type, want: Type): boolean {
  if (isPrimitiveType(got) !== isPrimitiveType(want)) return false;
  if (want.kind === 'string') return false;
  if ((want.kind === 'bool' && got.kind === 'number') || (got.kind === 'bool' && want.kind === 'number')) return false;
  const coll = (t: Type): t is Type & { kind: 'list' | 'set' | 'map' } => t.kind === 'list' || t.kind === 'set' || t.kind === 'map';
  if (coll(got) && coll(want) && !hasDynamicTypes(got.element) && hasDynamicTypes(want.element)) return false;
  if (got.kind === 'tuple' && want.kind === 'object') return false;
  return true;
}
