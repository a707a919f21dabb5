/**
 * `hcl-fmt`: the canonical-formatting vectors of ../shared/conformance/hcl-fmt.json
 * (hclwrite's TestFormat and Packer's fmt fixtures), byte for byte. A vector whose
 * `expected` is null is one `packer fmt` refuses: like Packer's test, it is written to
 * its fixture path (relative to the Go package) and given to `fmt`'s file handling,
 * whose printed diagnostics must contain `expect_error_contains`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatPaths } from '../../src/commands/fmt-files.js';
import { renderDiagnostics } from '../../src/hcl/diagnostic-text.js';
import { format } from '../../src/hcl/write/format.js';
import { sharedPath } from '../support/shared.js';
import type { Suite, SuiteResult } from './suite.js';

interface Vector {
  readonly id: string;
  readonly source: { readonly file: string };
  readonly input: string;
  readonly expected: string | null;
  readonly expect_error_contains?: string;
}

/** Runs `fmt -check FILE` on `input` stored at `file` (relative) and returns its output and diagnostics' text. */
function fmtCheckFile(file: string, input: string): { stdout: string; errors: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-hcl-fmt-'));
  try {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), input);
    let stdout = '';
    const outcome = formatPaths([file], {
      showDiff: false,
      write: false,
      recursive: false,
      cwd: dir,
      stdout: (t) => void (stdout += t),
      readStdin: () => Buffer.alloc(0),
    });
    return { stdout, errors: renderDiagnostics(outcome.diagnostics, new Map(), { width: 80 }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function check(v: Vector): string | undefined {
  if (v.expected === null) {
    const want = v.expect_error_contains ?? '';
    // Packer's tests run in the package folder: command/test-fixtures/x → test-fixtures/x.
    const r = fmtCheckFile(v.source.file.split('/').slice(1).join('/'), v.input);
    if (r.stdout !== '') return `${v.id}: fmt listed a file it must refuse`;
    return r.errors.includes(want) ? undefined : `${v.id}: error does not contain ${JSON.stringify(want)}: ${JSON.stringify(r.errors)}`;
  }
  const got = format(v.input);
  return got === v.expected ? undefined : `${v.id}: got ${JSON.stringify(got)}, want ${JSON.stringify(v.expected)}`;
}

export const hclFmtSuite: Suite = {
  name: 'hcl-fmt',
  async run(): Promise<SuiteResult> {
    const data = JSON.parse(readFileSync(sharedPath('conformance', 'hcl-fmt.json'), 'utf8')) as { vectors: Vector[] };
    const failures: string[] = [];
    for (const v of data.vectors) {
      const problem = check(v);
      if (problem !== undefined) failures.push(problem);
    }
    return { passed: data.vectors.length - failures.length, failed: failures.length, skipped: 0, failures };
  },
};
