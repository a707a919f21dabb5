/**
 * HCL's canonical formatter (hclwrite's `Format`): the source rewritten with canonical
 * horizontal whitespace — indentation by bracket nesting, one space or none between
 * tokens, `=` and trailing comments aligned over runs of lines. Line breaks, comments,
 * heredocs and template text are kept as they are.
 */
import { lexConfig } from '../syntax/lex.js';
import { formatTokens } from './format-tokens.js';

/**
 * Returns `src` in canonical format. Never fails: the input need not parse (a fragment
 * such as `( a+2 )` is formatted too); it is only scanned. Callers that must not
 * rewrite broken files, as `fmt` does, parse first.
 */
export function format(src: string): string {
  return formatTokens(lexConfig(src).tokens);
}
