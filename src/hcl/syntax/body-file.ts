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
import { parseConfig } from './parse.js';

/** A parsed native-syntax configuration file. */
export interface NativeFile {
  readonly body: Body;
  /** The AST root, for tools that need the syntax itself. */
  readonly root: ast.Body;
  readonly file: SourceFile;
  readonly diagnostics: Diagnostic[];
}

/** Parses a native-syntax file; never throws (errors are diagnostics, the tree is usable). */
export function parseNativeFile(src: string, filename = '', start: Pos = INITIAL_POS): NativeFile {
  const parsed = parseConfig(src, filename, start);
  const root = parsed.value;
  const file: SourceFile = { bytes: Buffer.from(src, 'utf8'), contextString: (offset) => nativeContextString(root, offset) };
  return { body: new NativeBody(root), root, file, diagnostics: parsed.diagnostics };
}

/** The header of the top-level block containing `offset` (`type "label" ...`), or ''. */
export function nativeContextString(root: ast.Body, offset: number): string {
  const block = root.blocks.find((b) => offset >= b.typeRange.start.byte && offset < b.closeBraceRange.end.byte);
  if (block === undefined) return '';
  return [block.type, ...block.labels.map(goQuote)].join(' ');
}
