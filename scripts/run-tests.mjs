// Runs kiln's tests with node's built-in test runner: every *.test.ts under src/ and
// test/ except the *.conformance.test.ts files, which read the external vectors in
// ../shared; `--conformance` runs only those (test/conformance/run.ts does, after the
// suites), and fails with one clear line when the data is not there.
// Node 20 neither finds .ts files by itself nor expands globs, so list them here.
// Other arguments keep the files whose path contains one of them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONFORMANCE = '.conformance.test.ts';

function collect(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'fixtures') collect(full, out);
    } else if (entry.name.endsWith('.test.ts')) {
      out.push(full);
    }
  }
  return out;
}

const args = process.argv.slice(2);
const conformance = args.includes('--conformance');
const filter = args.filter((a) => a !== '--conformance');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

if (conformance) {
  // The same place test/support/shared.ts looks.
  const shared = process.env['KILN_SHARED'] ?? path.resolve(root, '..', 'shared');
  if (!existsSync(shared)) {
    console.error(`run-tests: the conformance tests need the shared test data at ${shared} (clone it beside the checkout, or set KILN_SHARED)`);
    process.exit(1);
  }
}
let files = ['src', 'test']
  .flatMap((d) => collect(d, []))
  .filter((f) => f.endsWith(CONFORMANCE) === conformance)
  .sort();
if (filter.length > 0) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
