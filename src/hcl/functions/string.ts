/** cty stdlib string functions. */
import { stringType } from '../cty/type.js';
import { stringVal } from '../cty/value.js';
import { defineFunction, staticReturnType } from './function.js';

/**
 * `upper(str)`: Unicode upper case. Go's strings.ToUpper maps each code point on its
 * own (no expansions: "ß" and "ﬄ" stay), unlike String.prototype.toUpperCase.
 */
export const upperFunc = defineFunction({
  description: 'Returns the given string with all Unicode letters translated to their uppercase equivalents.',
  params: [{ name: 'str', type: stringType, allowDynamicType: true }],
  type: staticReturnType(stringType),
  impl: (args) => stringVal(goToUpper(args[0]!.asString())),
});

/** Go's strings.ToUpper: per-code-point simple case mapping. */
export function goToUpper(s: string): string {
  // ASCII-only strings are the common case and map identically.
  if (/^[\x20-\x7e]*$/.test(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    // A multi-code-point result means a special (full) mapping Go does not apply.
    out += [...up].length === 1 ? up : simpleUpper(ch);
  }
  return out;
}

function simpleUpper(ch: string): string {
  // Go's unicode.ToUpper uses the simple mapping; for the few characters whose full
  // mapping expands, the simple one is usually the title/upper single form or itself.
  const cp = ch.codePointAt(0)!;
  const special: Record<number, number> = { 0x0149: 0x0149, 0x01f0: 0x01f0, 0x00df: 0x00df, 0x0390: 0x0390, 0x03b0: 0x03b0, 0x0587: 0x0587 };
  const mapped = special[cp];
  if (mapped !== undefined) return String.fromCodePoint(mapped);
  const title = ch.toLocaleUpperCase('und');
  return [...title].length === 1 ? title : ch;
}
