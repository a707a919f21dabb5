/**
 * `corpus-fmt`: every HCL file of the real-world corpus (../shared/corpus/templates),
 * formatted, must equal the file at the same path in ../shared/corpus/fmt-expected
 * (what `packer fmt` wrote).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { format } from '../../src/hcl/write/format.js';
import { sharedPath } from '../support/shared.js';
import type { Suite, SuiteResult } from './suite.js';

/** The corpus's HCL files, as paths relative to `corpus/templates`, sorted. */
export function corpusFiles(): string[] {
  const names = readdirSync(sharedPath('corpus', 'templates'), { recursive: true, encoding: 'utf8' });
  return names.filter((f) => f.endsWith('.hcl')).sort();
}

export const corpusFmtSuite: Suite = {
  name: 'corpus-fmt',
  async run(): Promise<SuiteResult> {
    const failures: string[] = [];
    const files = corpusFiles();
    for (const file of files) {
      const got = format(readFileSync(sharedPath('corpus', 'templates', file), 'utf8'));
      const want = readFileSync(sharedPath('corpus', 'fmt-expected', file), 'utf8');
      if (got !== want) failures.push(`${file}: formatted text differs from fmt-expected`);
    }
    return { passed: files.length - failures.length, failed: failures.length, skipped: 0, failures };
  },
};
