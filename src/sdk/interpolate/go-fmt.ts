/**
 * The parts of Go's `fmt` that templates reach: `Sprint`, `Sprintln`, `Sprintf` with the
 * verbs `%v %s %d %q %x %X %t %f %e %g %o %b %c %U %%`, flags `+ - # space 0`, width and
 * precision (also `*`), and Go's error forms (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA …)`).
 */
import { goQuote } from './lexer.js';
import { fromData, goTypeName, isMap, type GoValue } from './value.js';

/** `%v` of a value. */
export function formatValue(v: GoValue): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string': return v;
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    case 'number': return formatFloat(v, 'g', -1);
    default:
      if (Array.isArray(v)) return `[${v.map((e) => formatValue(fromData(e))).join(' ')}]`;
      return `map[${sortedKeys(v as Record<string, unknown>).map((k) => `${k}:${formatValue(fromData((v as Record<string, unknown>)[k]))}`).join(' ')}]`;
  }
}

function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Go's `fmt.Sprint`: spaces between operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** Go's `fmt.Sprintln`. */
export function sprintln(args: readonly GoValue[]): string {
  return `${args.map(formatValue).join(' ')}\n`;
}

/** strconv.FormatFloat(v, fmt, prec, 64) for fmt in e, f, g. */
export function formatFloat(v: number, verb: 'e' | 'f' | 'g', prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (verb === 'f') return v.toFixed(prec < 0 ? 6 : prec);
  if (verb === 'e') return goExp(v.toExponential(prec < 0 ? undefined : prec));
  // %g: shortest (prec -1) or prec significant digits, trailing zeros dropped.
  const exp = prec < 0 ? v.toExponential() : v.toExponential(Math.max(prec, 1) - 1);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exp);
  if (m === null) return String(v);
  const digits = ((m[2] ?? '') + (m[3] ?? '')).replace(/0+$/, '') || '0';
  const e = Number(m[4]);
  let eprec = prec < 0 ? 6 : prec;
  if (prec >= 0 && eprec > digits.length && digits.length >= e + 1) eprec = digits.length;
  if (prec < 0) eprec = 6;
  if (e < -4 || e >= eprec) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return goExp(`${m[1]}${mant}e${e >= 0 ? '+' : ''}${e}`);
  }
  let fixed: string;
  if (e < 0) fixed = `0.${'0'.repeat(-e - 1)}${digits}`;
  else if (digits.length <= e + 1) fixed = digits + '0'.repeat(e + 1 - digits.length);
  else fixed = `${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
  return `${m[1]}${fixed}`;
}

/** JS exponent `e+0` → Go's two-digit `e+00`. */
function goExp(s: string): string {
  return s.replace(/e([+-])(\d+)$/, (_m, sign: string, d: string) => `e${sign}${d.padStart(2, '0')}`);
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const len = [...s].length;
  if (len >= width) return s;
  const fill = width - len;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero) {
    const sign = numeric && /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(fill) + s.slice(sign?.length ?? 0);
  }
  return ' '.repeat(fill) + s;
}

function badVerb(verb: string, v: GoValue): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatValue(v)})`;
}

function signed(s: string, spec: Spec): string {
  if (s.startsWith('-')) return s;
  if (spec.plus) return `+${s}`;
  if (spec.space) return ` ${s}`;
  return s;
}

function formatInt(v: bigint, verb: string, spec: Spec): string | undefined {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let body: string;
  switch (verb) {
    case 'v': case 'd': body = abs.toString(); break;
    case 'x': body = (spec.sharp ? '0x' : '') + abs.toString(16); break;
    case 'X': body = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase(); break;
    case 'o': body = (spec.sharp ? '0' : '') + abs.toString(8); break;
    case 'O': body = `0o${abs.toString(8)}`; break;
    case 'b': body = abs.toString(2); break;
    case 'c': return String.fromCodePoint(Number(v));
    case 'q': return `'${goQuote(String.fromCodePoint(Number(v))).slice(1, -1).replace(/'/g, "\\'").replace(/\\"/g, '"')}'`;
    case 'U': return `U+${abs.toString(16).toUpperCase().padStart(4, '0')}`;
    default: return undefined;
  }
  if (spec.prec !== undefined) body = body.padStart(spec.prec, '0');
  return signed((neg ? '-' : '') + body, spec);
}

function formatOne(verb: string, v: GoValue, spec: Spec): string {
  if (v === undefined || v === null) {
    return verb === 'v' || verb === 's' ? pad(verb === 'v' ? '<nil>' : '%!s(<nil>)', spec, false) : badVerb(verb, v);
  }
  switch (typeof v) {
    case 'string': {
      const s = spec.prec !== undefined ? [...v].slice(0, spec.prec).join('') : v;
      if (verb === 'v' || verb === 's') return pad(s, spec, false);
      if (verb === 'q') return pad(goQuote(s), spec, false);
      if (verb === 'x' || verb === 'X') {
        const hex = Buffer.from(s, 'utf8').toString('hex');
        return pad(verb === 'X' ? hex.toUpperCase() : hex, spec, false);
      }
      return badVerb(verb, v);
    }
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(String(v), spec, false) : badVerb(verb, v);
    case 'bigint': {
      const s = formatInt(v, verb, spec);
      return s === undefined ? badVerb(verb, v) : pad(s, spec, true);
    }
    case 'number': {
      const fverb = verb === 'v' ? 'g' : verb;
      if (fverb !== 'e' && fverb !== 'f' && fverb !== 'g' && fverb !== 'F' && fverb !== 'E' && fverb !== 'G') {
        return badVerb(verb, v);
      }
      const lower = fverb.toLowerCase() as 'e' | 'f' | 'g';
      let s = formatFloat(v, lower, spec.prec ?? (lower === 'g' ? -1 : 6));
      if (fverb === 'E' || fverb === 'G') s = s.toUpperCase();
      return pad(signed(s, spec), spec, true);
    }
    default: {
      if (verb === 'v' || verb === 's' || verb === 'd' || verb === 'q' || verb === 'x' || verb === 'X') {
        if (Array.isArray(v)) return `[${v.map((e) => formatOne(verb, fromData(e), spec)).join(' ')}]`;
        if (isMap(v)) {
          const m = v as Record<string, unknown>;
          return `map[${sortedKeys(m).map((k) => `${formatOne(verb, k, spec)}:${formatOne(verb, fromData(m[k]), spec)}`).join(' ')}]`;
        }
      }
      return badVerb(verb, v);
    }
  }
}

/** Go's `fmt.Sprintf`. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'bigint' ? Number(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (m === null) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = num();
    if (format[i] === '.') {
      i++;
      spec.prec = num() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, args[argi++], spec);
  }
  if (argi < args.length) {
    const extra = args.slice(argi).map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
