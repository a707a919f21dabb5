/**
 * `hcl-specsuite`: HCL's implementation-agnostic spec suite (../shared/conformance/
 * hcl-specsuite/), run the way upstream's hclspecsuite runs it through hcldec: for
 * each `NAME.t`, the spec `NAME.hcldec` is loaded, each input (`NAME.hcl` with the
 * native parser, `NAME.hcl.json` with the JSON parser) is parsed and decoded — parse
 * errors stop before decoding, as hcldec does — and the result is checked against
 * the `.t` expectations: exact (severity, range) sets of diagnostics, or no errors
 * with a conforming type, an equal value and the expected variable references.
 * One vector per input file (15 tests, `empty` with two inputs: 16 vectors).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Body } from '../../src/hcl/body.js';
import * as cty from '../../src/hcl/cty/index.js';
import { decode, variables as specVariables } from '../../src/hcl/dec/index.js';
import type { Spec } from '../../src/hcl/dec/index.js';
import { loadSpecFile } from '../../src/hcl/dec/spec-file.js';
import type { Diagnostic } from '../../src/hcl/diagnostic.js';
import { hasErrors } from '../../src/hcl/diagnostic.js';
import { traversalStr } from '../../src/hcl/diagnostic-vars.js';
import { EvalContext } from '../../src/hcl/eval-context.js';
import { absTraversalForExpr } from '../../src/hcl/expression.js';
import { parseJSONFile } from '../../src/hcl/json/parse.js';
import type { Range } from '../../src/hcl/pos.js';
import { parseNativeFile } from '../../src/hcl/syntax/body-file.js';
import { typeConstraint, typeString } from '../../src/hcl/typeexpr/index.js';
import { sharedPath } from '../support/shared.js';
import type { Suite, SuiteResult } from './suite.js';
import { threw } from './suite.js';

interface ExpectedRef {
  readonly ref: string;
  readonly range: { from: number; to: number } | undefined;
}

interface Expectations {
  readonly resultType: cty.Type;
  readonly result: cty.Value | undefined;
  /** undefined = references are not checked. */
  readonly traversals: readonly ExpectedRef[] | undefined;
  /** undefined = no diagnostics block (decoding must succeed). */
  readonly diagnostics: readonly string[] | undefined;
}

const POS_SCHEMA = { attributes: [{ name: 'line' }, { name: 'column' }, { name: 'byte' }] };

function posKey(body: Body | undefined): string {
  if (!body) return '?';
  const attrs = body.content(POS_SCHEMA).content.attributes;
  return ['line', 'column', 'byte'].map((n) => {
    const v = attrs.get(n)?.expr.value(undefined).value;
    return v && v.type.kind === 'number' && v.isKnown() && !v.isNull() ? cty.formatNum(v.asNumber()) : '?';
  }).join(':');
}

function rangeBlock(body: Body): { from: string; to: string } {
  const c = body.content({ blocks: [{ type: 'from' }, { type: 'to' }] }).content;
  return { from: posKey(c.blocks.find((b) => b.type === 'from')?.body), to: posKey(c.blocks.find((b) => b.type === 'to')?.body) };
}

function diagKey(severity: string, r: Range | { from: string; to: string }): string {
  if ('from' in r) return `${severity} ${r.from}-${r.to}`;
  return `${severity} ${r.start.line}:${r.start.column}:${r.start.byte}-${r.end.line}:${r.end.column}:${r.end.byte}`;
}

function readExpectations(src: string, filename: string): Expectations | string {
  const file = parseNativeFile(src, filename);
  if (file.diagnostics.length > 0) return `the .t file did not parse: ${file.diagnostics[0]?.summary ?? ''}`;
  const c = file.body.content({
    attributes: [{ name: 'result' }, { name: 'result_type' }],
    blocks: [{ type: 'traversals' }, { type: 'diagnostics' }],
  });
  if (hasErrors(c.diagnostics)) return `the .t file is invalid: ${c.diagnostics[0]?.summary ?? ''}`;
  const typeExpr = c.content.attributes.get('result_type')?.expr;
  const resultType = typeExpr ? typeConstraint(typeExpr).type : cty.dynamicType;
  const resultExpr = c.content.attributes.get('result')?.expr;
  const result = resultExpr?.value(undefined).value;
  const tBlock = c.content.blocks.find((b) => b.type === 'traversals');
  let traversals: ExpectedRef[] | undefined;
  if (tBlock) {
    traversals = tBlock.body.content({ blocks: [{ type: 'expect' }] }).content.blocks.map((e) => {
      const ec = e.body.content({ attributes: [{ name: 'ref', required: true }], blocks: [{ type: 'range' }] }).content;
      const refExpr = ec.attributes.get('ref')?.expr;
      const t = refExpr ? absTraversalForExpr(refExpr).value : undefined;
      const rb = ec.blocks[0];
      const rr = rb ? rangeBlock(rb.body) : undefined;
      return { ref: t ? traversalStr(t) : '?', range: rr ? { from: Number(rr.from.split(':')[2]), to: Number(rr.to.split(':')[2]) } : undefined };
    });
  }
  const dBlock = c.content.blocks.find((b) => b.type === 'diagnostics');
  const diagnostics = dBlock?.body.content({ blocks: [{ type: 'error' }, { type: 'warning' }] }).content.blocks
    .map((b) => diagKey(b.type, rangeBlock(b.body)));
  return { resultType, result: result && resultType ? cty.convertValue(result, resultType) as cty.Value : undefined, traversals, diagnostics };
}

function checkInput(body: Body, parseDiags: Diagnostic[], spec: Spec, ctx: EvalContext | undefined, want: Expectations): string | undefined {
  let diags = parseDiags;
  if (!hasErrors(parseDiags)) {
    if (want.traversals !== undefined) {
      const got = specVariables(body, spec).map((t) => traversalStr(t)).sort();
      const expected = want.traversals.map((e) => e.ref).sort();
      if (JSON.stringify(got) !== JSON.stringify(expected)) return `references ${JSON.stringify(got)}, want ${JSON.stringify(expected)}`;
    }
    const r = decode(body, spec, ctx);
    diags = [...parseDiags, ...r.diagnostics];
    if (want.diagnostics === undefined) {
      if (hasErrors(diags)) return `unexpected errors: ${diags.map((d) => `${d.summary}: ${d.detail}`).join('; ')}`;
      if (cty.testConformance(r.value.type, want.resultType).length > 0) return `result type ${typeString(r.value.type)}, want ${typeString(want.resultType)}`;
      if (want.result !== undefined && !cty.rawEquals(r.value, want.result)) return `result ${cty.goString(r.value)}, want ${cty.goString(want.result)}`;
      return undefined;
    }
  }
  if (want.diagnostics === undefined) return `unexpected errors: ${diags.map((d) => d.summary).join('; ')}`;
  const got = [...new Set(diags.filter((d) => d.subject).map((d) => diagKey(d.severity, d.subject!)))].sort();
  const expected = [...new Set(want.diagnostics)].sort();
  return JSON.stringify(got) === JSON.stringify(expected) ? undefined : `diagnostics ${JSON.stringify(got)}, want ${JSON.stringify(expected)}`;
}

interface Loaded {
  readonly want: Expectations;
  readonly spec: Spec;
  readonly ctx: EvalContext | undefined;
}

function loadTest(root: string, name: string): Loaded | string {
  const want = readExpectations(readFileSync(path.join(root, `${name}.t`), 'utf8'), `${name}.t`);
  if (typeof want === 'string') return want;
  const specFile = parseNativeFile(readFileSync(path.join(root, `${name}.hcldec`), 'utf8'), `${name}.hcldec`);
  const loaded = loadSpecFile(specFile.body);
  const specDiags = [...specFile.diagnostics, ...loaded.diagnostics];
  if (hasErrors(specDiags)) return `the spec did not load: ${specDiags.map((d) => `${d.summary}: ${d.detail}`).join('; ')}`;
  // hcldec evaluates with no context at all when the spec defines no variables.
  const ctx = loaded.variables.size > 0 ? new EvalContext({ variables: loaded.variables }) : undefined;
  return { want, spec: loaded.spec, ctx };
}

const INPUTS: readonly { readonly ext: string; readonly parse: (src: string, filename: string) => { body: Body; diagnostics: Diagnostic[] } }[] = [
  { ext: '.hcl', parse: parseNativeFile },
  { ext: '.hcl.json', parse: parseJSONFile },
];

export const hclSpecsuiteSuite: Suite = {
  name: 'hcl-specsuite',
  run(): Promise<SuiteResult> {
    const root = sharedPath('conformance', 'hcl-specsuite', 'tests');
    const tests = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.t')).sort();
    let passed = 0, failed = 0;
    const failures: string[] = [];
    for (const file of tests) {
      const name = file.slice(0, -2);
      const inputs = INPUTS.filter((i) => existsSync(path.join(root, `${name}${i.ext}`)));
      let loaded: Loaded | string;
      try {
        loaded = loadTest(root, name);
      } catch (e) {
        loaded = threw(e);
      }
      for (const input of inputs) {
        const filename = `${name}${input.ext}`;
        let problem: string | undefined;
        if (typeof loaded === 'string') problem = loaded;
        else {
          try {
            const parsed = input.parse(readFileSync(path.join(root, filename), 'utf8'), filename);
            problem = checkInput(parsed.body, parsed.diagnostics, loaded.spec, loaded.ctx, loaded.want);
          } catch (e) {
            problem = threw(e);
          }
        }
        if (problem === undefined) passed++;
        else {
          failed++;
          failures.push(`${filename}: ${problem}`);
        }
      }
    }
    return Promise.resolve({ passed, failed, skipped: 0, failures });
  },
};
