// The diagnostic-code catalogue (src/core/ui/diagnostic-codes.ts) against the source:
// every diagnostic summary written in src/ — `summary: '...'`, `errorDiag('...'`,
// `diag('...'` — gets a code other than UNCATALOGUED, so a new message without a code
// fails here. Interpolations in template literals are replaced by a sample word.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UNCATALOGUED, allCodes, buildErrorInfo, diagnosticCode, diagnosticInfo } from '../../src/core/ui/diagnostic-codes.js';
import { REPO_ROOT } from '../support/shared.js';

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) sources(full, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'test-helpers.ts') out.push(full);
  }
  return out;
}

const SUMMARY = /(?:summary:\s*|\berrorDiag\(\s*|\bdiag\(\s*)(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;

/** Every summary literal in src/, as `file:line` → the text with `${...}` replaced by `x`. */
function summariesInSource(): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  for (const file of sources(path.join(REPO_ROOT, 'src'))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
        for (const m of line.matchAll(SUMMARY)) {
          const text = (m[2] ?? '').replaceAll(/\$\{[^}]*\}/g, 'x').replaceAll("\\'", "'").replaceAll('\\"', '"');
          if (text === '' || text.includes('${') || text.includes('`')) continue;
          found.push({ where: `${path.relative(REPO_ROOT, file)}:${i + 1}`, text });
        }
      });
  }
  return found;
}

describe('diagnostic codes', () => {
  it('every diagnostic summary in src/ has a code in the catalogue', () => {
    const found = summariesInSource();
    assert.ok(found.length > 150, `the scan found only ${found.length} summaries: is the pattern still right?`);
    const missing = found.filter((f) => diagnosticCode(f.text) === UNCATALOGUED).map((f) => `${f.where}: ${f.text}`);
    assert.deepEqual(missing, []);
  });

  it('docs/events.md lists every code', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'events.md'), 'utf8');
    assert.deepEqual(allCodes().filter((c) => !doc.includes(`\`${c}\``)), []);
  });

  it('codes are upper snake case, and a summary the catalogue does not know is UNCATALOGUED', () => {
    for (const code of allCodes()) assert.match(code, /^[A-Z][A-Z0-9_]*$/);
    assert.equal(diagnosticCode('Something a plugin said'), UNCATALOGUED);
  });

  it('the same wording keeps its code, specific patterns win over general ones', () => {
    assert.equal(diagnosticCode('Unsupported argument'), 'HCL_UNSUPPORTED_ARGUMENT');
    assert.equal(diagnosticCode('Invalid value for iso_checksum'), 'CONFIG_INVALID_VALUE_FOR');
    assert.equal(diagnosticCode('Invalid value for var.size variable'), 'TEMPLATE_VARIABLE_VALIDATION_FAILED');
    assert.equal(diagnosticCode('Duplicate required_plugin.docker block'), 'TEMPLATE_DUPLICATE_REQUIRED_PLUGIN_BLOCK');
    assert.equal(diagnosticCode('Duplicate source block'), 'HCL_DUPLICATE_BLOCK');
    assert.equal(diagnosticCode('Failed preparing builder "docker": image must be set\nand more'), 'CONFIG_COMPONENT_PREPARE_FAILED');
    assert.equal(diagnosticCode('Unknown source "docker.x"'), 'TEMPLATE_UNKNOWN_SOURCE');
    assert.equal(diagnosticCode('Unknown builder type "dockr"'), 'TEMPLATE_UNKNOWN_COMPONENT_TYPE');
  });

  it('diagnosticInfo keeps the wording and gives 1-based positions; build errors get BUILD_ codes', () => {
    const subject = { filename: 'a.pkr.hcl', start: { line: 2, column: 5, byte: 9 }, end: { line: 4, column: 1, byte: 20 } };
    assert.deepEqual(diagnosticInfo({ severity: 'warning', summary: 'Undefined variable', detail: 'd', subject }), {
      severity: 'warning',
      code: 'TEMPLATE_UNDEFINED_VARIABLE',
      summary: 'Undefined variable',
      detail: 'd',
      file: 'a.pkr.hcl',
      line: 2,
      column: 5,
      endLine: 4,
      endColumn: 1,
    });
    assert.equal(buildErrorInfo('Build was cancelled.').code, 'BUILD_CANCELLED');
    assert.equal(buildErrorInfo('Script exited with non-zero exit status: 3. Allowed exit codes are: [0]').code, 'BUILD_SCRIPT_EXIT_STATUS');
    assert.equal(buildErrorInfo('1 error(s) occurred:\n\n* Post-processor failed: x').code, 'BUILD_POST_PROCESSOR_FAILED');
    assert.equal(buildErrorInfo('docker run failed').code, 'BUILD_FAILED');
  });
});
