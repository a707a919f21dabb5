/**
 * The HCL library's public entry: parse native or JSON files into bodies, read bodies
 * against schemas or hcldec specs, expand dynamic blocks, evaluate expressions, and
 * render diagnostics. Deeper modules (cty, functions, syntax, write) are imported by
 * path where their details are needed.
 */
export type { Attribute, AttributeSchema, Block, BlockHeaderSchema, Body, BodyContent, BodySchema } from './body.js';
export { blocksByType, blocksOfType } from './body.js';
export { emptyBody, mergeBodies } from './merge.js';
export type { Diagnostic, Diagnostics, Severity } from './diagnostic.js';
export { diagnosticsErrorText, hasErrors } from './diagnostic.js';
export type { RenderOptions, SourceFile } from './diagnostic-text.js';
export { renderDiagnostic, renderDiagnostics } from './diagnostic-text.js';
export { variableStatements } from './diagnostic-vars.js';
export { EvalContext } from './eval-context.js';
export type { Expression } from './expression.js';
export { absTraversalForExpr, exprAsKeyword, exprCall, exprList, exprMap, relTraversalForExpr, staticExpr } from './expression.js';
export type { Pos, Range } from './pos.js';
export type { Traversal, Traverser } from './traversal.js';
export { parseNativeFile } from './syntax/body-file.js';
export type { NativeFile } from './syntax/body-file.js';
export { parseJSONExpression, parseJSONFile } from './json/parse.js';
export type { JSONFile } from './json/parse.js';
export { decode, partialDecode, impliedSchema, impliedType, sourceRange, variables } from './dec/index.js';
export type { Spec } from './dec/index.js';
export { expandDynamicBlocks } from './dynblock/index.js';
