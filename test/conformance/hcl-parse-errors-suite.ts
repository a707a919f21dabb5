/**
 * `hcl-parse-errors`: HCL's own parse-diagnostic vectors (../shared/conformance/
 * hcl-parse-errors.json) run against src/hcl/syntax (native kinds) and src/hcl/json
 * (the `json-*` kinds).
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../src/hcl/diagnostic.js';
import type { Range } from '../../src/hcl/pos.js';
import type { BodySchema, Block } from '../../src/hcl/body.js';
import { parseJSONFile } from '../../src/hcl/json/parse.js';
import { parseJSONValue } from '../../src/hcl/json/parser.js';
import type { Traverser } from '../../src/hcl/syntax/ast.js';
import { parseConfig, parseExpression, parseTraversalAbs, parseTraversalPartial } from '../../src/hcl/syntax/parse.js';
import { sharedPath } from '../support/shared.js';
import type { Suite, SuiteResult } from './suite.js';
import { tallyVectors } from './suite.js';

interface ExpectedDiag {
  readonly severity: string;
  readonly summary: string;
  readonly detail: string;
  readonly subject?: Range;
}

interface ExpectedStep {
  readonly kind: 'root' | 'attr' | 'index' | 'splat';
  readonly name?: string;
  readonly key?: { readonly type: string; readonly value: unknown };
  readonly range: Range;
}

interface ExpectedBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly def_range: Range;
  readonly type_range: Range;
  readonly label_ranges: readonly Range[];
}

interface Vector {
  readonly id: string;
  readonly kind: string;
  readonly filename: string;
  readonly input: string;
  readonly schema?: {
    readonly attributes: readonly { readonly name: string; readonly required: boolean }[];
    readonly blocks: readonly { readonly type: string; readonly label_names: readonly string[] }[];
  };
  readonly partial?: boolean;
  readonly expect: {
    readonly diagnostics?: number;
    readonly diags?: readonly ExpectedDiag[];
    readonly traversal?: readonly ExpectedStep[];
    readonly range?: Range;
    readonly content?: { readonly attributes: Readonly<Record<string, unknown>>; readonly blocks: readonly ExpectedBlock[] };
  };
}

/** Kinds this suite does not run yet, with the reason. */
const SKIPPED_KINDS: Readonly<Record<string, string>> = {};

function sameRange(a: Range | undefined, b: Range | undefined): boolean {
  if (!a || !b) return a === b;
  return a.filename === b.filename && a.start.line === b.start.line && a.start.column === b.start.column && a.start.byte === b.start.byte
    && a.end.line === b.end.line && a.end.column === b.end.column && a.end.byte === b.end.byte;
}

function showRange(r: Range | undefined): string {
  return r ? `${r.start.line}:${r.start.column}/${r.start.byte}-${r.end.line}:${r.end.column}/${r.end.byte}` : 'none';
}

function checkDiags(got: readonly Diagnostic[], v: Vector): string | undefined {
  const want = v.expect.diagnostics;
  if (want !== undefined && got.length !== want) {
    return `${got.length} diagnostics, want ${want}: ${got.map((d) => `${d.summary} (${showRange(d.subject)})`).join('; ')}`;
  }
  for (const [i, w] of (v.expect.diags ?? []).entries()) {
    const g = got[i];
    if (!g) return `missing diagnostic ${i}`;
    if (g.severity !== w.severity || g.summary !== w.summary || g.detail !== w.detail || !sameRange(g.subject, w.subject)) {
      return `diagnostic ${i}: got ${g.summary} / ${g.detail} @${showRange(g.subject)}, want ${w.summary} / ${w.detail} @${showRange(w.subject)}`;
    }
  }
  return undefined;
}

function sameStep(g: Traverser | undefined, w: ExpectedStep): boolean {
  if (!g || g.kind !== w.kind || !sameRange(g.srcRange, w.range)) return false;
  if (g.kind === 'root' || g.kind === 'attr') return g.name === w.name;
  if (g.kind === 'index') {
    if (g.key.kind === 'number') return w.key?.type === 'number' && Number(g.key.text) === Number(w.key.value);
    if (g.key.kind === 'string') return w.key?.type === 'string' && g.key.value === w.key.value;
    return false;
  }
  return true;
}

function sameBlock(g: Block | undefined, w: ExpectedBlock): boolean {
  return g !== undefined && g.type === w.type && JSON.stringify(g.labels) === JSON.stringify(w.labels)
    && sameRange(g.defRange, w.def_range) && sameRange(g.typeRange, w.type_range)
    && g.labelRanges.length === w.label_ranges.length && w.label_ranges.every((r, i) => sameRange(g.labelRanges[i], r));
}

function runJSONBodyContent(v: Vector): string | undefined {
  const file = parseJSONFile(v.input, v.filename);
  if (file.diagnostics.length > 0) return `file did not parse cleanly: ${file.diagnostics.map((d) => d.summary).join('; ')}`;
  const schema: BodySchema = {
    attributes: (v.schema?.attributes ?? []).map((a) => ({ name: a.name, required: a.required })),
    blocks: (v.schema?.blocks ?? []).map((b) => ({ type: b.type, labelNames: b.label_names })),
  };
  const r = v.partial ? file.body.partialContent(schema) : file.body.content(schema);
  const bad = checkDiags(r.diagnostics, v);
  if (bad) return bad;
  const want = v.expect.content;
  if (want === undefined) return undefined;
  const gotNames = [...r.content.attributes.keys()].sort().join(',');
  const wantNames = Object.keys(want.attributes).sort().join(',');
  if (gotNames !== wantNames) return `attributes ${gotNames}, want ${wantNames}`;
  if (r.content.blocks.length !== want.blocks.length || !want.blocks.every((w, i) => sameBlock(r.content.blocks[i], w))) {
    return `blocks ${JSON.stringify(r.content.blocks.map((b) => ({ ...b, body: undefined })))}, want ${JSON.stringify(want.blocks)}`;
  }
  return undefined;
}

function runVector(v: Vector): string | undefined {
  switch (v.kind) {
    case 'native-config':
      return checkDiags(parseConfig(v.input, v.filename).diagnostics, v);
    case 'abs-traversal': {
      // Upstream runs `foo[*]` through ParseTraversalPartial only (Abs rejects splats).
      const r = v.input === 'foo[*]' ? parseTraversalPartial(v.input, v.filename) : parseTraversalAbs(v.input, v.filename);
      const bad = checkDiags(r.diagnostics, v);
      if (bad) return bad;
      const want = v.expect.traversal ?? [];
      if (r.value.length !== want.length || !want.every((w, i) => sameStep(r.value[i], w))) {
        return `traversal ${JSON.stringify(r.value)}, want ${JSON.stringify(want)}`;
      }
      return undefined;
    }
    case 'expression-range': {
      const r = parseExpression(v.input, v.filename);
      return sameRange(r.value.srcRange, v.expect.range) ? undefined : `range ${showRange(r.value.srcRange)}, want ${showRange(v.expect.range)}`;
    }
    case 'json-file':
      return checkDiags(parseJSONValue(v.input, v.filename, { line: 1, column: 1, byte: 0 }).diagnostics, v);
    case 'json-body-content':
      return runJSONBodyContent(v);
    case 'json-just-attributes':
      return checkDiags(parseJSONFile(v.input, v.filename).body.justAttributes().diagnostics, v);
    default:
      return `unknown kind ${v.kind}`;
  }
}

export const hclParseErrorsSuite: Suite = {
  name: 'hcl-parse-errors',
  run(): Promise<SuiteResult> {
    const data = JSON.parse(readFileSync(sharedPath('conformance', 'hcl-parse-errors.json'), 'utf8')) as { vectors: Vector[] };
    return Promise.resolve(
      tallyVectors(data.vectors, {
        skip: (v) => SKIPPED_KINDS[v.kind] !== undefined,
        check: runVector,
        label: (v) => `${v.id} ${JSON.stringify(v.input)}`,
      }),
    );
  },
};
