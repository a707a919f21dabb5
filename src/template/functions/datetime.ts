/**
 * Packer's own date functions (hcl2template/function/datetime.go,
 * rfc3339_parse.go, unix_timestamp_parse.go): `timestamp()`, `legacy_isotime([layout])`,
 * `legacy_strftime([format])`, `rfc3339_parse(ts)` and `unix_timestamp_parse(n)`.
 */
import { numberType, objectOf, stringType } from '../../hcl/cty/type.js';
import type { Value } from '../../hcl/cty/value.js';
import { numberIntVal, objectVal, stringVal } from '../../hcl/cty/value.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import { ArgError, CallError, defineFunction, staticReturnType } from '../../hcl/functions/function.js';
import { NOT_AN_INT64, toInt64 } from '../../hcl/functions/go-int.js';
import type { GoTime } from '../../hcl/functions/go-time.js';
import { DAY_NAMES, MONTH_NAMES, civil, formatRFC3339, goParseRFC3339, isParseError, isoWeek } from '../../hcl/functions/go-time.js';
import { goQuote } from '../../hcl/diagnostic-vars.js';
import { INIT_TIME } from '../../sdk/interpolate/context.js';
import { RFC3339, goTimeFormat, strftime } from '../../sdk/interpolate/go-time.js';

/** `timestamp()`: the current UTC time in RFC 3339, read at each call. */
export const timestampFunc = defineFunction({
  description: 'Returns a string representation of the current date and time.',
  params: [],
  type: staticReturnType(stringType),
  impl: () => stringVal(goTimeFormat({ date: new Date(), offsetSeconds: 0, zoneName: 'UTC' }, RFC3339)),
});

/**
 * A legacy formatter over the process start time in UTC: no argument gives RFC 3339,
 * one argument is formatted by `format`, more is Packer's error.
 */
function legacyTimeFunc(description: string, start: Date, format: (layout: string, t: { date: Date; offsetSeconds: number; zoneName: string }) => string): CtyFunction {
  const t = { date: start, offsetSeconds: 0, zoneName: 'UTC' };
  return defineFunction({
    description,
    params: [],
    varParam: { name: 'format', type: stringType },
    type: staticReturnType(stringType),
    impl: (args) => {
      // Packer prints the Go slice of cty values here; its own rendering is not reproducible.
      if (args.length > 1) return new CallError(`too many values, 1 needed: [${args.map((a) => a.toString()).join(' ')}]`);
      if (args.length === 0) return stringVal(goTimeFormat(t, RFC3339));
      return stringVal(format(args[0]!.asString(), t));
    },
  });
}

/** `legacy_isotime([layout])`: the start time (default: process start) in a Go time layout. */
export function makeLegacyIsotimeFunc(start: Date = INIT_TIME): CtyFunction {
  return legacyTimeFunc('Returns the build start time formatted with a Go time layout.', start, (layout, t) => goTimeFormat(t, layout));
}

/** `legacy_strftime([format])`: the start time in strftime syntax (jehiah/go-strftime's verbs). */
export function makeLegacyStrftimeFunc(start: Date = INIT_TIME): CtyFunction {
  return legacyTimeFunc('Returns the build start time formatted with strftime syntax.', start, (f, t) => strftime(f, t));
}

const FIELD_TYPES = {
  year: numberType,
  year_day: numberType,
  day: numberType,
  month: numberType,
  month_name: stringType,
  weekday: numberType,
  weekday_name: stringType,
  hour: numberType,
  minute: numberType,
  second: numberType,
  iso_year: numberType,
  iso_week: numberType,
};

function fields(t: GoTime): Record<string, Value> {
  const c = civil(t);
  const [isoYear, week] = isoWeek(c);
  return {
    year: numberIntVal(c.year),
    year_day: numberIntVal(c.yearDay),
    day: numberIntVal(c.day),
    month: numberIntVal(c.month),
    month_name: stringVal(MONTH_NAMES[c.month - 1]!),
    weekday: numberIntVal(c.weekday),
    weekday_name: stringVal(DAY_NAMES[c.weekday]!),
    hour: numberIntVal(c.hour),
    minute: numberIntVal(c.minute),
    second: numberIntVal(c.second),
    iso_year: numberIntVal(isoYear),
    iso_week: numberIntVal(week),
  };
}

/**
 * `rfc3339_parse(ts)`: the timestamp's calendar fields in its own offset, plus `unix`.
 * Accepts `T` or a space between date and time, and any fraction (Go's time.Parse).
 */
export const rfc3339ParseFunc = defineFunction({
  description: 'Parses an RFC 3339 timestamp and returns an object representation of it.',
  params: [{ name: 'timestamp', type: stringType }],
  type: staticReturnType(objectOf({ ...FIELD_TYPES, unix: numberType })),
  impl: (args) => {
    const ts = args[0]!.asString();
    let parsed = goParseRFC3339(ts, 'T');
    if (isParseError(parsed)) parsed = goParseRFC3339(ts, ' ');
    if (isParseError(parsed)) return new ArgError(0, `${goQuote(ts)} is not a valid RFC3339 timestamp`);
    return objectVal({ ...fields(parsed), unix: numberIntVal(parsed.unix) });
  },
});

/** `unix_timestamp_parse(n)`: the UTC calendar fields of whole seconds since the epoch, plus `rfc3339`. */
export const unixTimestampParseFunc = defineFunction({
  description: 'Parses a Unix timestamp and returns an object representation of it.',
  params: [{ name: 'unix_timestamp', type: numberType }],
  type: staticReturnType(objectOf({ ...FIELD_TYPES, rfc3339: stringType })),
  impl: (args) => {
    const ts = toInt64(args[0]!);
    if (ts === undefined) return new ArgError(0, `unix_timestamp must be a whole number of seconds representable as a 64-bit integer: ${NOT_AN_INT64}`);
    const t: GoTime = { unix: ts, nanos: 0, offset: 0 };
    return objectVal({ ...fields(t), rfc3339: stringVal(formatRFC3339(t)) });
  },
});
