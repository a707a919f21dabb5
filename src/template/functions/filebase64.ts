/**
 * Packer's `filebase64(path)` (hcl2template/function/filebase64.go). Unlike `file`, it
 * reads relative paths against the process's working directory, not the template's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringType } from '../../hcl/cty/type.js';
import { stringVal } from '../../hcl/cty/value.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import { CallError, defineFunction, staticReturnType } from '../../hcl/functions/function.js';
import { goQuote } from '../../hcl/diagnostic-vars.js';

/** Go's text for an os.ReadFile failure (`open x: no such file or directory`). */
function goReadError(p: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return `open ${p}: no such file or directory`;
    case 'EISDIR':
      return `read ${p}: is a directory`;
    case 'EACCES':
      return `open ${p}: permission denied`;
    default:
      return `open ${p}: ${e.message}`;
  }
}

/** `filebase64` reading relative paths from `cwd` (default: the process's working directory at call time). */
export function makeFilebase64Func(cwd?: () => string): CtyFunction {
  return defineFunction({
    description: 'Reads a file and encodes it as a base64 string.',
    params: [{ name: 'path', type: stringType }],
    type: staticReturnType(stringType),
    impl: (args) => {
      const p = args[0]!.asString();
      try {
        return stringVal(readFileSync(path.resolve(cwd?.() ?? process.cwd(), p)).toString('base64'));
      } catch (e) {
        return new CallError(`failed to read file ${goQuote(p)}: ${goReadError(p, e as NodeJS.ErrnoException)}`);
      }
    },
  });
}

/** `filebase64` relative to the working directory, as Packer has it. */
export const filebase64Func = makeFilebase64Func();
