/**
 * `typeString` (typeexpr.TypeString): a type written back as a type expression, e.g.
 * `list(string)`, `object({a=number,"b c"=bool})`, `tuple([any])`. Optional-attribute
 * markers are not written.
 */
import type * as cty from '../cty/index.js';
import { compareStrings } from '../cty/strings.js';
import { isValidIdentifier } from '../syntax/parse.js';

export function typeString(t: cty.Type): string {
  switch (t.kind) {
    case 'string':
    case 'bool':
    case 'number':
      return t.kind;
    case 'dynamic':
      return 'any';
    case 'list':
    case 'set':
    case 'map':
      return `${t.kind}(${typeString(t.element)})`;
    case 'object': {
      const names = [...t.attributes.keys()].sort(compareStrings);
      const attrs = names.map((n) => `${isValidIdentifier(n) ? n : JSON.stringify(n)}=${typeString(t.attributes.get(n)!)}`);
      return `object({${attrs.join(',')}})`;
    }
    case 'tuple':
      return `tuple([${t.elements.map(typeString).join(',')}])`;
  }
}
