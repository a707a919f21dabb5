/**
 * `hcl-specsuite`: HCL's implementation-agnostic spec suite (../shared/conformance/
 * hcl-specsuite/). Each `.t` file (itself HCL, read with our parser) gives one
 * parse vector: the native-syntax file must produce exactly the expected error
 * ranges, or none. Each `result` (a value check) is one more vector, skipped until
 * the evaluator and hcldec exist; SKIPPED lists parse vectors whose expected
 * diagnostics come from decoding rather than parsing.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Body, Expression } from '../../src/hcl/syntax/ast.js';
import { parseConfig } from '../../src/hcl/syntax/parse.js';
import { sharedPath } from '../support/shared.js';
import type { Suite, SuiteResult } from './suite.js';

const SKIPPED: Readonly<Record<string, string>> = {
  'structure/attributes/unexpected': 'its diagnostic (unexpected argument "c") comes from hcldec decoding, not parsing',
};

interface Span {
  readonly from: number;
  readonly to: number;
}

function numberAttr(body: Body | undefined, name: string): number {
  const e: Expression | undefined = body?.attributes.get(name)?.expr;
  return e?.kind === 'literal' && e.value.kind === 'number' ? Number(e.value.text) : NaN;
}

/** The expected error spans of a `.t` file's `diagnostics` block (byte offsets). */
function expectedErrors(t: Body): Span[] {
  const diags = t.blocks.find((b) => b.type === 'diagnostics');
  if (!diags) return [];
  return diags.body.blocks
    .filter((b) => b.type === 'error')
    .map((b) => ({
      from: numberAttr(b.body.blocks.find((x) => x.type === 'from')?.body, 'byte'),
      to: numberAttr(b.body.blocks.find((x) => x.type === 'to')?.body, 'byte'),
    }));
}

export const hclSpecsuiteSuite: Suite = {
  name: 'hcl-specsuite',
  run(): Promise<SuiteResult> {
    const root = sharedPath('conformance', 'hcl-specsuite', 'tests');
    const tests = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.t')).sort();
    let passed = 0, failed = 0, skipped = 0;
    const failures: string[] = [];
    for (const file of tests) {
      const name = file.slice(0, -2);
      const tSrc = readFileSync(path.join(root, file), 'utf8');
      const t = parseConfig(tSrc, file);
      if (t.value.attributes.has('result') || t.value.attributes.has('result_type')) skipped++; // value side: needs the evaluator and hcldec
      const hclFile = path.join(root, `${name}.hcl`);
      if (!existsSync(hclFile) || SKIPPED[name] !== undefined) {
        skipped++;
        continue;
      }
      if (t.diagnostics.length > 0) {
        failed++;
        failures.push(`${file}: the .t file itself did not parse: ${t.diagnostics[0]?.summary ?? ''}`);
        continue;
      }
      const want = expectedErrors(t.value);
      const got = parseConfig(readFileSync(hclFile, 'utf8'), `${name}.hcl`).diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => ({ from: d.subject?.start.byte ?? -1, to: d.subject?.end.byte ?? -1 }));
      if (JSON.stringify(got) === JSON.stringify(want)) passed++;
      else {
        failed++;
        failures.push(`${name}: error spans ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      }
    }
    return Promise.resolve({ passed, failed, skipped, failures });
  },
};
