/**
 * `parseNativeFile`: a native-syntax file as a {@link Body} plus what the diagnostic
 * renderer needs (its bytes and hclsyntax's ContextString: the header of the
 * top-level block around an offset, e.g. `source "docker" "ubuntu"`).
 */
import type { Body } from '../body.js';
import { goQuote } from '../diagnostic-vars.js';
import type { Diagnostic } from '../diagnostic.js';
import type { SourceFile } from '../diagnostic-text.js';
import type { Pos } from '../pos.js';
import { INITIAL_POS } from '../pos.js';
import type * as ast from './ast.js';
import { NativeBody } from './body-native.js';
import { lexConfig } from './lex.js';
import { parseConfigTokens } from './parse.js';
import type { TokenStream } from './token-stream.js';
import { tokenTypeCode } from './token-stream.js';

/** A parsed native-syntax configuration file. */
export interface NativeFile {
  readonly body: Body;
  /** The AST root, for tools that need the syntax itself. */
  readonly root: ast.Body;
  readonly file: SourceFile;
  readonly diagnostics: Diagnostic[];
  /**
   * Whether the file may call a function: some name is followed by `(` or `::`
   * (newlines and comments between them allowed). Never false when the file has a
   * call; true also for a keyword before parentheses (`for x in (...)`). A caller can
   * leave its function table unloaded when no file it evaluates may call one.
   */
  mayCallFunctions(): boolean;
}

/** Parses a native-syntax file; never throws (errors are diagnostics, the tree is usable). */
export function parseNativeFile(src: string, filename = '', start: Pos = INITIAL_POS): NativeFile {
  const lexed = lexConfig(src, filename, start);
  const parsed = parseConfigTokens(lexed);
  const root = parsed.value;
  const file: SourceFile = { bytes: Buffer.from(src, 'utf8'), contextString: (offset) => nativeContextString(root, offset) };
  return { body: new NativeBody(root), root, file, diagnostics: parsed.diagnostics, mayCallFunctions: () => mayCallFunctions(lexed.stream) };
}

const IDENT = tokenTypeCode('Ident');
const OPEN_PAREN = tokenTypeCode('OParen');
const DOUBLE_COLON = tokenTypeCode('DoubleColon');
const NEWLINE = tokenTypeCode('Newline');
const COMMENT = tokenTypeCode('Comment');

/** See {@link NativeFile.mayCallFunctions}: the parser reads a call where a name's next token is `(` or `::`. */
function mayCallFunctions(stream: TokenStream): boolean {
  const codes = stream.codes;
  let afterName = false;
  for (let i = 0; i < stream.length; i++) {
    const c = codes[i];
    if (c === NEWLINE || c === COMMENT) continue;
    if (afterName && (c === OPEN_PAREN || c === DOUBLE_COLON)) return true;
    afterName = c === IDENT;
  }
  return false;
}

/** The header of the top-level block containing `offset` (`type "label" ...`), or ''. */
export function nativeContextString(root: ast.Body, offset: number): string {
  const block = root.blocks.find((b) => offset >= b.typeRange.start.byte && offset < b.closeBraceRange.end.byte);
  if (block === undefined) return '';
  return [block.type, ...block.labels.map(goQuote)].join(' ');
}
