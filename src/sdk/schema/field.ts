/**
 * The schema DSL plugins declare their configuration with. One schema gives the
 * config's TypeScript type (inferred, no code generation), the HCL types and blocks
 * to decode, the legacy-JSON decoding, defaults, and the option reference.
 *
 *     const schema = {
 *       inline: list(str()).doc('Commands to run.'),
 *       execute_command: str().default('chmod +x {{.Path}}; {{.Vars}} {{.Path}}'),
 *       pause_after: duration(),
 *     };
 *     type Config = Infer<typeof schema>;
 *
 * Keys keep the user's snake_case spelling.
 */

/** What a field holds, at run time. */
export type FieldKind =
  | { readonly kind: 'string'; readonly oneOf?: readonly string[] }
  | { readonly kind: 'number' }
  | { readonly kind: 'int' }
  | { readonly kind: 'bool' }
  /** A Go duration string (`5m`, `1h30s`), decoded to milliseconds. */
  | { readonly kind: 'duration' }
  | { readonly kind: 'list'; readonly element: Field<unknown, boolean> }
  | { readonly kind: 'map'; readonly element: Field<unknown, boolean> }
  /** An attribute whose value is an object with these attributes (`{ a = 1 }`). */
  | { readonly kind: 'object'; readonly fields: ObjectSchema }
  /** A nested block (`name { ... }`), once or repeated. */
  | { readonly kind: 'block'; readonly fields: ObjectSchema; readonly repeated: boolean }
  /** Any value, passed through as plain JSON-like data. */
  | { readonly kind: 'any' };

/**
 * A field of type `T`. `R` is true when the decoded config always has a value (the
 * field is required or has a default), which makes the inferred property non-optional.
 */
export class Field<T, R extends boolean = false> {
  /** Type-level only: the decoded value's type. */
  declare readonly _type: T;
  /** Type-level only: whether the decoded config always has the field. */
  declare readonly _always: R;

  constructor(
    readonly type: FieldKind,
    readonly options: {
      readonly required?: boolean;
      readonly defaultValue?: unknown;
      readonly doc?: string;
      readonly deprecated?: string;
      /** Strings in it are not Go-template rendered at decode time (rendered later with run data). */
      readonly lateInterpolation?: boolean;
      /** Names local files or folders whose content the result depends on (the step cache hashes it). */
      readonly localPath?: boolean;
      /** Does not change what the component produces (timeouts, retries, pauses, connection settings). */
      readonly noEffect?: boolean;
    } = {},
  ) {}

  /** Must be set; a missing value is an error naming the field. */
  required(): Field<T, true> {
    return new Field<T, true>(this.type, { ...this.options, required: true });
  }

  /** The value when the user gives none. */
  default(value: T): Field<T, true> {
    return new Field<T, true>(this.type, { ...this.options, defaultValue: value });
  }

  doc(text: string): Field<T, R> {
    return new Field<T, R>(this.type, { ...this.options, doc: text });
  }

  /** Still accepted, with a warning carrying `hint` (what to use instead). */
  deprecated(hint: string): Field<T, R> {
    return new Field<T, R>(this.type, { ...this.options, deprecated: hint });
  }

  /** Keep `{{ }}` in this field for the component to render with run-time data (`{{.Path}}`). */
  late(): Field<T, R> {
    return new Field<T, R>(this.type, { ...this.options, lateInterpolation: true });
  }

  /**
   * The value names local files or folders (a script, an ISO, a directory to upload):
   * a cache of the component's result must hash their content, not just the name.
   */
  localPath(): Field<T, R> {
    return new Field<T, R>(this.type, { ...this.options, localPath: true });
  }

  /**
   * The value does not change what the component produces (timeouts, retries, pauses,
   * connection settings): a cache of the result leaves it out of the fingerprint.
   */
  noEffect(): Field<T, R> {
    return new Field<T, R>(this.type, { ...this.options, noEffect: true });
  }
}

export type ObjectSchema = { readonly [key: string]: Field<unknown, boolean> };

type Always<S extends ObjectSchema> = { [K in keyof S]: S[K] extends Field<unknown, true> ? K : never }[keyof S];
type Maybe<S extends ObjectSchema> = Exclude<keyof S, Always<S>>;
type FieldValue<F> = F extends Field<infer T, boolean> ? T : never;

/** The decoded configuration type of a schema. */
export type Infer<S extends ObjectSchema> = { -readonly [K in Always<S>]: FieldValue<S[K]> } & {
  -readonly [K in Maybe<S>]?: FieldValue<S[K]>;
};

export const str = (): Field<string> => new Field({ kind: 'string' });
/** A string limited to `values`; others are an error listing them. */
export const oneOf = <V extends string>(...values: V[]): Field<V> => new Field({ kind: 'string', oneOf: values });
export const num = (): Field<number> => new Field({ kind: 'number' });
export const int = (): Field<number> => new Field({ kind: 'int' });
export const bool = (): Field<boolean> => new Field({ kind: 'bool' });
export const duration = (): Field<number> => new Field({ kind: 'duration' });
export const any = (): Field<unknown> => new Field({ kind: 'any' });
export const list = <T>(element: Field<T, boolean>): Field<T[]> => new Field({ kind: 'list', element });
export const map = <T>(element: Field<T, boolean>): Field<Record<string, T>> => new Field({ kind: 'map', element });
export const object = <S extends ObjectSchema>(fields: S): Field<Infer<S>> => new Field({ kind: 'object', fields });
/** A block that may appear at most once. */
export const block = <S extends ObjectSchema>(fields: S): Field<Infer<S>> => new Field({ kind: 'block', fields, repeated: false });
/** A block that may repeat; decoded in source order. */
export const blocks = <S extends ObjectSchema>(fields: S): Field<Infer<S>[]> => new Field({ kind: 'block', fields, repeated: true });
