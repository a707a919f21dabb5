/**
 * Factories for the functions that depend on the evaluation's options (see table.ts):
 * the file functions bound to the template directory, the legacy time functions bound
 * to the start time, `templatefile` bound to the table, and the secret functions bound
 * to the run's {@link SecretResolver}.
 */
import type { FileFunctions } from '../../hcl/functions/filesystem.js';
import { fileFunctions } from '../../hcl/functions/filesystem.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import { makeLegacyIsotimeFunc, makeLegacyStrftimeFunc } from './datetime.js';
import { SecretResolver } from './secret-resolver.js';
import type { SecretFunctionTable } from './secrets.js';
import { secretFunctions } from './secrets.js';
import { makeTemplateFileFunc } from './templatefile.js';

/** The options these factories read (a subset of table.ts's PackerFunctionOptions). */
export interface ContextFunctionOptions {
  readonly baseDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly startTime?: Date;
  /** Where secret functions get their values; default: a resolver of its own over `env`. */
  readonly secrets?: SecretResolver;
}

type Factory = (opts: ContextFunctionOptions, table: () => ReadonlyMap<string, CtyFunction>) => CtyFunction;

// One set per options object, so the three file functions (and the four secret ones) share it.
const files = new WeakMap<ContextFunctionOptions, FileFunctions>();
const secrets = new WeakMap<ContextFunctionOptions, SecretFunctionTable>();

function filesOf(opts: ContextFunctionOptions): FileFunctions {
  let f = files.get(opts);
  if (f === undefined) files.set(opts, (f = fileFunctions({ baseDir: opts.baseDir })));
  return f;
}

function secretsOf(opts: ContextFunctionOptions): SecretFunctionTable {
  let s = secrets.get(opts);
  if (s === undefined) secrets.set(opts, (s = secretFunctions(opts.secrets ?? new SecretResolver(opts.env ? { env: opts.env } : {}))));
  return s;
}

/** Factories by Packer function name. */
export const CONTEXT_FACTORIES: Readonly<Record<string, Factory>> = {
  aws_secretsmanager: (o) => secretsOf(o).aws_secretsmanager,
  aws_secretsmanager_raw: (o) => secretsOf(o).aws_secretsmanager_raw,
  consul_key: (o) => secretsOf(o).consul_key,
  file: (o) => filesOf(o).file,
  fileexists: (o) => filesOf(o).fileexists,
  fileset: (o) => filesOf(o).fileset,
  legacy_isotime: (o) => makeLegacyIsotimeFunc(o.startTime),
  legacy_strftime: (o) => makeLegacyStrftimeFunc(o.startTime),
  templatefile: (o, table) => makeTemplateFileFunc(o.baseDir, table),
  vault: (o) => secretsOf(o).vault,
};
