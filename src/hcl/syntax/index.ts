/** HCL native syntax: scanner, AST and parser. Evaluation lives beside it (eval*.ts). */
export type * from './ast.js';
export type { Token, TokenType } from './token.js';
export type { ScanMode } from './scanner.js';
export { scanTokens } from './scanner.js';
export type { LexResult } from './lex.js';
export { invalidTokenDiagnostics, lexConfig, lexExpression, lexTemplate } from './lex.js';
export type { ParseResult } from './parse.js';
export { isValidIdentifier, parseConfig, parseExpression, parseTemplate, parseTraversalAbs, parseTraversalPartial } from './parse.js';
export { BINARY_PRECEDENCE, MAX_NESTING } from './expression-parser.js';
export { decodeStringLiteralToken } from './string-literal.js';
