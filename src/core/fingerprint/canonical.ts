/**
 * The canonical encoding fingerprints hash: JSON with object keys sorted by UTF-16 code
 * unit, no whitespace, and explicit types where JSON is ambiguous. A key record is
 * always built from `KeyValue`s, so two equal records encode to the same bytes on every
 * machine and Node version.
 */
import { createHash } from 'node:crypto';

/**
 * A value in a key record. Numbers never appear as JS numbers: cty numbers have
 * arbitrary precision and enter as `{ $number: "<decimal>" }`. Special leaves use keys
 * starting with `$`; a user's object key starting with `$` is written with one more `$`
 * (`$$x`), so no config can spell a special leaf.
 */
export type KeyValue = null | boolean | string | readonly KeyValue[] | { readonly [key: string]: KeyValue };

/** `v` as canonical JSON text. */
export function canonical(v: KeyValue): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${(v as readonly KeyValue[]).map(canonical).join(',')}]`;
  const obj = v as { readonly [key: string]: KeyValue };
  // Array.prototype.sort without a comparator orders by UTF-16 code units.
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k] ?? null)}`).join(',')}}`;
}

/** An object key as it is written in a record: `$`-prefixed user keys get one more `$`. */
export function escapeKey(key: string): string {
  return key.startsWith('$') ? `$${key}` : key;
}

/** The encoding's version tag: changes only when the encoding itself changes. */
export const KEY_VERSION = 'kiln-cache-v1';

/** hex(sha256("kiln-cache-v1\n" + canonical(record))): the key of a record. */
export function hashRecord(record: KeyValue): string {
  return createHash('sha256').update(`${KEY_VERSION}\n`).update(canonical(record)).digest('hex');
}
