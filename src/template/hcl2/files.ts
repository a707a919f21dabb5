/**
 * Finding and parsing a template's files (hcl2template's GetHCL2Files and Parse): a
 * single `*.pkr.hcl`/`*.pkr.json` file, or every such file of a directory (not
 * recursive, lexical order, HCL files before JSON ones); and variable files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Body } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import type { SourceFile } from '../../hcl/diagnostic-text.js';
import { parseNativeFile } from '../../hcl/syntax/body-file.js';

/** A parsed file: its body and what the diagnostic renderer needs. */
export interface ParsedFile {
  /** The path as it appears in diagnostics (the given path joined with the entry name). */
  readonly path: string;
  readonly body: Body;
  readonly source: SourceFile;
  /**
   * Whether evaluating the file may call a function (its parser's answer; for JSON,
   * whose strings are parsed when evaluated, whether the text has a `(` at all).
   */
  mayCallFunctions(): boolean;
}

export const HCL_EXT = '.pkr.hcl';
export const JSON_EXT = '.pkr.json';
export const AUTO_VARS_HCL_EXT = '.auto.pkrvars.hcl';
export const AUTO_VARS_JSON_EXT = '.auto.pkrvars.json';

export interface FoundFiles {
  readonly hcl: string[];
  readonly json: string[];
  readonly diagnostics: Diagnostic[];
  /** Whether the path is a directory (auto var files are only read then). */
  readonly isDir: boolean;
}

/** The files of `target` with the two suffixes (GetHCL2Files). */
export function findFiles(target: string, hclSuffix: string, jsonSuffix: string): FoundFiles {
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch (e) {
    return { hcl: [], json: [], isDir: false, diagnostics: [errorDiag(`Could not read ${target}`, errnoText(e, target))] };
  }
  if (!isDir) {
    if (target.endsWith(jsonSuffix)) return { hcl: [], json: [target], isDir, diagnostics: [] };
    if (target.endsWith(hclSuffix)) return { hcl: [target], json: [], isDir, diagnostics: [] };
    return { hcl: [], json: [], isDir, diagnostics: [] };
  }
  let entries;
  try {
    entries = readdirSync(target, { withFileTypes: true });
  } catch (e) {
    return { hcl: [], json: [], isDir, diagnostics: [errorDiag('Cannot read hcl directory', errnoText(e, target))] };
  }
  const hcl: string[] = [];
  const json: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.isDirectory()) continue;
    const full = path.join(target, entry.name);
    if (full.endsWith(hclSuffix)) hcl.push(full);
    else if (full.endsWith(jsonSuffix)) json.push(full);
  }
  return { hcl, json, isDir, diagnostics: [] };
}

/** Reads and parses one file as native syntax or JSON; a read error is a diagnostic. */
export async function parseFile(file: string, syntax: 'hcl' | 'json'): Promise<{ file?: ParsedFile; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { diagnostics: [errorDiag('Failed to read file', `The configuration file ${JSON.stringify(file)} could not be read: ${errnoText(e, file)}`)] };
  }
  // HCL's JSON syntax is loaded for the templates that use it.
  if (syntax === 'hcl') {
    const parsed = parseNativeFile(text, file);
    return { file: { path: file, body: parsed.body, source: parsed.file, mayCallFunctions: parsed.mayCallFunctions }, diagnostics: parsed.diagnostics };
  }
  const parsed = (await import('../../hcl/json/parse.js')).parseJSONFile(text, file);
  return { file: { path: file, body: parsed.body, source: parsed.file, mayCallFunctions: () => JSON_PAREN.test(text) }, diagnostics: parsed.diagnostics };
}

/** A `(` in JSON text, literal or escaped. */
const JSON_PAREN = /\(|\\u0028/i;

function errnoText(e: unknown, file: string): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return `stat ${file}: no such file or directory`;
  if (code === 'EACCES') return `open ${file}: permission denied`;
  return e instanceof Error ? e.message : String(e);
}
