/**
 * The interpolation context of Packer's legacy template engine (sdk
 * `template/interpolate.Context`): what `{{user}}`, `{{build_name}}`, `{{env}}`, … read.
 */
import type { TemplateFunc } from './func.js';

/** The result of a secret lookup: errors are values. */
export type SecretResult = { kind: 'ok'; value: string } | { kind: 'error'; message: string };

/**
 * Secret back ends behind `consul_key`, `vault`, `aws_secretsmanager` and
 * `aws_secretsmanager_raw`. Rendering is synchronous (as in Go), so an implementation
 * answers from values it fetched beforehand: call {@link secretCallsIn} on the texts to
 * render, fetch those asynchronously, then answer here from the cache. An absent
 * function renders as an error naming the function.
 */
export interface SecretFunctions {
  readonly consulKey?: (key: string) => SecretResult;
  readonly vault?: (path: string, key: string) => SecretResult;
  /** `key` is undefined for the one-argument form. */
  readonly awsSecret?: (name: string, key: string | undefined) => SecretResult;
  readonly awsSecretRaw?: (name: string) => SecretResult;
}

/** Everything a render can read. Every field is optional; see each for its default. */
export interface InterpolateContext {
  /** The data behind `{{ .X }}` (a JSON-like value; objects act as Go maps). */
  readonly data?: unknown;
  /** Extra functions (a plugin's `clean_resource_name`, …); they override built-ins. */
  readonly funcs?: Readonly<Record<string, TemplateFunc>>;
  /** What `user` reads; undefined makes every `user` call fail (Go's nil map). */
  readonly userVariables?: Readonly<Record<string, string>>;
  /**
   * Allows `env` and the secret functions; also makes `user` of an unset variable an
   * error (`Error: variable not set: x`). Only the `variables` section has it.
   */
  readonly enableEnv?: boolean;
  readonly buildName?: string;
  readonly buildType?: string;
  /** `packer_version`; defaults to PACKER_COMPAT_VERSION; '' makes it an error. */
  readonly packerVersion?: string;
  /** The template file; `template_dir` is its absolute directory. */
  readonly templatePath?: string;
  /** Environment for `env`; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory for `pwd`; defaults to process.cwd(). */
  readonly cwd?: string;
  /** The run's start time for `timestamp`, `isotime`, `strftime`; defaults to process start. */
  readonly initTime?: Date;
  readonly secrets?: SecretFunctions;
}

/**
 * The moment this module loaded, standing for Packer's `InitTime`: every `timestamp`,
 * `isotime` and `strftime` of a run agree.
 */
export const INIT_TIME: Date = new Date();

/** Packer's marker in placeholder build data (packerbuilderdata.PlaceholderMsg). */
export const PLACEHOLDER_MSG = 'To set this dynamically in the Packer template, you must use the `build` function';
