/**
 * go-cty-funcs' `filesystem` package. `file`, `fileexists` and `fileset` read relative
 * paths against a base directory (Packer passes the template directory, `path.root`), so
 * they come from the factory {@link fileFunctions}; `basename`, `dirname`, `abspath` and
 * `pathexpand` are pure path functions.
 */
import { readFileSync, statSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { setVal, setValEmpty } from '../cty/set.js';
import { boolType, setOf, stringType } from '../cty/type.js';
import { falseVal, stringVal, trueVal } from '../cty/value.js';
import type { CtyFunction } from './function.js';
import { CallError, defineFunction, staticReturnType } from './function.js';
import { BadPatternError, globSync } from './glob.js';
import { expandHome, goAbs, goBase, goClean, goDir, goFileModeString, goJoin } from './go-path.js';

export interface FileFunctionOptions {
  /** Where relative paths resolve (Packer: the template's directory). */
  readonly baseDir: string;
  /** The home directory for `~`; defaults to `$HOME` or the account's. */
  readonly home?: () => string;
}

export interface FileFunctions {
  readonly file: CtyFunction;
  readonly fileexists: CtyFunction;
  readonly fileset: CtyFunction;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes of `p` (after `~` expansion, relative to `baseDir`), or go-cty-funcs' error text. */
export function readFileBytes(opts: FileFunctionOptions, p: string): Buffer | string {
  const expanded = expandHome(p, opts.home);
  if ('error' in expanded) return `failed to expand ~: ${expanded.error}`;
  const full = goClean(expanded.path.startsWith('/') ? expanded.path : goJoin(opts.baseDir, expanded.path));
  try {
    return readFileSync(full);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no file exists at ${full}` : `failed to read ${full}`;
  }
}

/** `file(path)` as text: the file must be valid UTF-8. */
export function readFileText(opts: FileFunctionOptions, p: string): string | CallError {
  const bytes = readFileBytes(opts, p);
  if (typeof bytes === 'string') return new CallError(bytes);
  try {
    return utf8.decode(bytes);
  } catch {
    return new CallError(`contents of ${p} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead`);
  }
}

/** `file`, `fileexists` and `fileset` bound to a base directory. */
export function fileFunctions(opts: FileFunctionOptions): FileFunctions {
  const file = defineFunction({
    description: 'Reads the contents of a file at the given path. The file must contain valid UTF-8.',
    params: [{ name: 'path', type: stringType }],
    type: staticReturnType(stringType),
    impl: (args) => {
      const text = readFileText(opts, args[0]!.asString());
      return typeof text === 'string' ? stringVal(text) : text;
    },
  });
  const fileexists = defineFunction({
    description: 'Determines whether a file exists at a given path.',
    params: [{ name: 'path', type: stringType }],
    type: staticReturnType(boolType),
    impl: (args) => {
      const expanded = expandHome(args[0]!.asString(), opts.home);
      if ('error' in expanded) return new CallError(`failed to expand ~: ${expanded.error}`);
      const full = goClean(expanded.path.startsWith('/') ? expanded.path : goJoin(opts.baseDir, expanded.path));
      let st;
      try {
        st = statSync(full);
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? falseVal : new CallError(`failed to stat ${full}`);
      }
      if (st.isFile()) return trueVal;
      return new CallError(`${full} is not a regular file, but ${JSON.stringify(goFileModeString(st.mode))}`);
    },
  });
  const fileset = defineFunction({
    description: 'Enumerates a set of regular file names given a path and pattern.',
    params: [
      { name: 'path', type: stringType },
      { name: 'pattern', type: stringType },
    ],
    type: staticReturnType(setOf(stringType)),
    impl: (args) => {
      const dir = args[0]!.asString();
      const base = dir.startsWith('/') ? dir : goJoin(opts.baseDir, dir);
      const pattern = goJoin(base, args[1]!.asString());
      let matches: string[];
      try {
        matches = globSync(pattern);
      } catch (e) {
        if (e instanceof BadPatternError) return new CallError(`failed to glob pattern (${pattern}): ${e.message}`);
        throw e;
      }
      const found = [];
      for (const m of matches) {
        try {
          if (!statSync(m).isFile()) continue;
        } catch {
          return new CallError(`failed to stat (${m}): no such file or directory`);
        }
        found.push(stringVal(relative(goClean(base), m)));
      }
      return found.length === 0 ? setValEmpty(stringType) : setVal(found);
    },
  });
  return { file, fileexists, fileset };
}

/** filepath.Rel for a `target` known to be under `base` (glob results are). */
function relative(base: string, target: string): string {
  if (base === '.') return goClean(target);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return target.startsWith(prefix) ? target.slice(prefix.length) : target;
}

const pathFunction = (description: string, f: (p: string) => string): CtyFunction =>
  defineFunction({
    description,
    params: [{ name: 'path', type: stringType }],
    type: staticReturnType(stringType),
    impl: (args) => stringVal(f(args[0]!.asString())),
  });

/** `basename(path)`: the last element (Go's filepath.Base; `""` gives `.`). */
export const basenameFunc = pathFunction('Takes a string containing a filesystem path and removes all except the last portion from it.', goBase);
/** `dirname(path)`: all but the last element (Go's filepath.Dir). */
export const dirnameFunc = pathFunction('Takes a string containing a filesystem path and removes the last portion from it.', goDir);
/** `abspath(path)`: absolute against the process's working directory, `/`-separated. */
export const abspathFunc = pathFunction('Converts a string containing a filesystem path to an absolute path.', (p) => goAbs(p));

/** `pathexpand(path)`: a leading `~` becomes the home directory. */
export const pathexpandFunc = defineFunction({
  description: "Takes a string that might begin with a `~` segment, and if so it replaces that segment with the current user's home directory path.",
  params: [{ name: 'path', type: stringType }],
  type: staticReturnType(stringType),
  impl: (args) => {
    const r = expandHome(args[0]!.asString());
    return 'error' in r ? new CallError(r.error) : stringVal(r.path);
  },
});
