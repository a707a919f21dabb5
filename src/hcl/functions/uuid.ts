/** go-cty-funcs' `uuid` package: `uuidv4()` and `uuidv5(namespace, name)`. */
import { createHash, randomUUID } from 'node:crypto';
import { stringType } from '../cty/type.js';
import { stringVal } from '../cty/value.js';
import { CallError, defineFunction, staticReturnType } from './function.js';

/** `uuidv4()`: a random UUID; a different one on each call. */
export const uuidv4Func = defineFunction({
  description: 'Generates and returns a Type-4 UUID in the standard hexadecimal string format.',
  params: [],
  type: staticReturnType(stringType),
  impl: () => stringVal(randomUUID()),
});

// RFC 4122 appendix C.
const NAMESPACES: Readonly<Record<string, string>> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

/**
 * `uuidv5(namespace, name)`: the name-based SHA-1 UUID. `namespace` is `dns`, `url`,
 * `oid`, `x500` or a UUID in any form google/uuid parses.
 */
export const uuidv5Func = defineFunction({
  description: 'Generates and returns a Type-5 UUID in the standard hexadecimal string format.',
  params: [
    { name: 'namespace', type: stringType },
    { name: 'name', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const ns = args[0]!.asString();
    const parsed = parseUuid(NAMESPACES[ns] ?? ns);
    if (typeof parsed === 'string') return new CallError(`uuidv5() doesn't support namespace ${ns} (${parsed})`);
    const sum = createHash('sha1').update(parsed).update(args[1]!.asString(), 'utf8').digest();
    const u = sum.subarray(0, 16);
    u[6] = (u[6]! & 0x0f) | 0x50;
    u[8] = (u[8]! & 0x3f) | 0x80;
    return stringVal(formatUuid(u));
  },
});

function formatUuid(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** google/uuid's Parse: the 16 bytes, or its error text. */
export function parseUuid(s: string): Buffer | string {
  let t = s;
  switch (t.length) {
    case 36:
      break;
    case 36 + 9:
      if (t.slice(0, 9).toLowerCase() !== 'urn:uuid:') return `invalid urn prefix: ${JSON.stringify(t.slice(0, 9))}`;
      t = t.slice(9);
      break;
    case 36 + 2:
      t = t.slice(1, -1);
      break;
    case 32:
      return /^[0-9a-fA-F]{32}$/.test(t) ? Buffer.from(t, 'hex') : 'invalid UUID format';
    default:
      return `invalid UUID length: ${Buffer.byteLength(s, 'utf8')}`;
  }
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(t)) return 'invalid UUID format';
  return Buffer.from(t.replace(/-/g, ''), 'hex');
}
