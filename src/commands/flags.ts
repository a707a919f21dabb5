/**
 * A command-line flag parser with the rules of Go's `flag` package, which Packer
 * uses: single- or double-dash flags, `-name=value` and `-name value`, boolean
 * flags that only take `-name` or `-name=bool`, parsing that stops at the first
 * positional argument or at `--`. GNU-style parsers read `-only=x` as `-o -n -l -y`;
 * this one does not.
 */

/**
 * How a flag takes its value. `list` flags repeat and split on commas (`-only`).
 * `bool-or-string` is kiln's (`-json`, `-json=FILE`): alone it is `true`, like a bool
 * flag, and it never takes the next argument; `-name=value` gives the string, except
 * Go's boolean words (`-json=false`), which give the boolean.
 */
export type FlagKind = 'bool' | 'string' | 'int' | 'repeat' | 'list' | 'bool-or-string';

export interface FlagSpec {
  readonly name: string;
  readonly kind: FlagKind;
  /** Placeholder for the value in help text (`-on-error=<value>`). */
  readonly value?: string;
  readonly usage: string;
  /** The default, as Go's flag package would show it; undefined when there is none. */
  readonly default?: string | boolean | number;
  /** For string flags limited to a set of values; for a bool flag, values it takes besides true/false (`-cache=read`). */
  readonly choices?: readonly string[];
}

export type FlagValue = string | boolean | number | string[];

export interface ParsedFlags {
  /** Values by flag name; a flag that was not given is absent unless it has a default. */
  readonly values: ReadonlyMap<string, FlagValue>;
  readonly positional: readonly string[];
}

export type ParseResult =
  | { readonly kind: 'ok'; readonly flags: ParsedFlags }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const BOOL_TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const BOOL_FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** Parses `args` against `specs`. Never throws; errors use Go's messages. */
export function parseFlags(specs: readonly FlagSpec[], args: readonly string[]): ParseResult {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, FlagValue>();
  for (const s of specs) {
    if (s.default !== undefined && s.kind !== 'repeat' && s.kind !== 'list') values.set(s.name, s.default);
  }
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg.length < 2 || arg[0] !== '-') break;
    i++;
    if (arg === '--') break;
    let body = arg.slice(arg[1] === '-' ? 2 : 1);
    if (body.length === 0 || body[0] === '-' || body[0] === '=') {
      return { kind: 'error', message: `bad flag syntax: ${arg}` };
    }
    let inline: string | undefined;
    const eq = body.indexOf('=');
    if (eq > 0) {
      inline = body.slice(eq + 1);
      body = body.slice(0, eq);
    }
    const spec = byName.get(body);
    if (!spec) {
      if (body === 'h' || body === 'help') return { kind: 'help' };
      return { kind: 'error', message: `flag provided but not defined: -${body}` };
    }
    if (spec.kind === 'bool-or-string') {
      values.set(spec.name, inline === undefined ? true : BOOL_TRUE.has(inline) || BOOL_FALSE.has(inline) ? BOOL_TRUE.has(inline) : inline);
      continue;
    }
    if (spec.kind === 'bool') {
      if (inline === undefined) {
        values.set(spec.name, true);
      } else if (BOOL_TRUE.has(inline) || BOOL_FALSE.has(inline)) {
        values.set(spec.name, BOOL_TRUE.has(inline));
      } else if (spec.choices?.includes(inline)) {
        values.set(spec.name, inline);
      } else {
        return { kind: 'error', message: `invalid boolean value "${inline}" for -${body}: parse error` };
      }
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      if (i >= args.length) return { kind: 'error', message: `flag needs an argument: -${body}` };
      raw = args[i++] as string;
    }
    const stored = store(spec, raw, values.get(spec.name));
    if (typeof stored === 'object' && !Array.isArray(stored)) return { kind: 'error', message: stored.error };
    values.set(spec.name, stored);
  }
  return { kind: 'ok', flags: { values, positional: args.slice(i) } };
}

function store(spec: FlagSpec, raw: string, previous: FlagValue | undefined): FlagValue | { error: string } {
  const prior = Array.isArray(previous) ? previous : [];
  switch (spec.kind) {
    case 'repeat':
      return [...prior, raw];
    case 'list':
      return [...prior, ...raw.split(',').filter((part) => part !== '')];
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) return { error: `invalid value "${raw}" for flag -${spec.name}: parse error` };
      return Number.parseInt(raw, 10);
    }
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) {
        return { error: `invalid value "${raw}" for flag -${spec.name}: must be one of ${spec.choices.join(', ')}` };
      }
      return raw;
    case 'bool':
    case 'bool-or-string':
      return BOOL_TRUE.has(raw);
  }
}

/** Removes every `-machine-readable` (any dash count, Packer strips it anywhere). */
export function stripMachineReadable(args: readonly string[]): { args: string[]; machineReadable: boolean } {
  const rest = args.filter((a) => a !== '-machine-readable' && a !== '--machine-readable');
  return { args: rest, machineReadable: rest.length !== args.length };
}

/** True for the arguments mitchellh/cli reads as a request for help. */
export function isHelpArg(arg: string): boolean {
  return arg === '-h' || arg === '-help' || arg === '--help';
}
