/**
 * The option-bound functions through Packer's table: `file`, `fileset`, `fileexists` and
 * `templatefile` resolve against `path.root` (the base directory) while `filebase64`
 * reads from the working directory (packer-features.md §0 item 9).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { EvalContext } from '../../hcl/eval-context.js';
import { evaluate } from '../../hcl/syntax/eval.js';
import { parseExpression } from '../../hcl/syntax/parse.js';
import { SecretResolver } from './secret-resolver.js';
import { packerFunctions } from './table.js';

const root = mkdtempSync(path.join(tmpdir(), 'kiln-ctx-'));
const templateDir = path.join(root, 'template');
const cwd = path.join(root, 'cwd');
mkdirSync(path.join(templateDir, 'scripts'), { recursive: true });
mkdirSync(cwd);
writeFileSync(path.join(templateDir, 'data.txt'), 'from the template dir');
writeFileSync(path.join(cwd, 'data.txt'), 'from the cwd');
writeFileSync(path.join(templateDir, 'scripts', 'a.sh'), '');
writeFileSync(path.join(templateDir, 'scripts', 'b.sh'), '');
writeFileSync(path.join(templateDir, 'user-data.tmpl'), '#cloud-config\nhostname: ${host}\nfiles: ${jsonencode(fileset(".", "scripts/*.sh"))}\nsum: ${md5(file("data.txt"))}\n');
after(() => rmSync(root, { recursive: true, force: true }));

function evalIn(src: string, resolver = new SecretResolver({ fetchSync: false })): string {
  const ctx = new EvalContext({ functions: packerFunctions({ baseDir: templateDir, startTime: new Date(Date.UTC(2021, 1, 3, 4, 5, 6)), secrets: resolver }) });
  const r = evaluate(parseExpression(src).value, ctx);
  if (r.diagnostics.length > 0) return `error: ${r.diagnostics[0]!.detail}`;
  return r.value.type.kind === 'string' ? r.value.asString() : JSON.stringify(r.value.toString());
}

test('file vs filebase64: template directory vs working directory', { concurrency: false }, () => {
  const saved = process.cwd();
  process.chdir(cwd);
  try {
    assert.equal(evalIn('file("data.txt")'), 'from the template dir');
    assert.equal(evalIn('base64decode(filebase64("data.txt"))'), 'from the cwd');
    assert.equal(evalIn('fileexists("scripts/a.sh") ? "yes" : "no"'), 'yes');
    assert.equal(evalIn('join(",", fileset(".", "scripts/*"))'), 'scripts/a.sh,scripts/b.sh');
  } finally {
    process.chdir(saved);
  }
});

test('templatefile sees every other function of the table', () => {
  const got = evalIn('templatefile("user-data.tmpl", { host = "web-1" })');
  assert.match(got, /^#cloud-config\nhostname: web-1\nfiles: \["scripts\/a.sh","scripts\/b.sh"\]\nsum: [0-9a-f]{32}\n$/);
  assert.equal(evalIn('legacy_isotime("2006-01-02")'), '2021-02-03');
  assert.equal(evalIn('legacy_strftime("%H:%M")'), '04:05');
});

test('secret functions answer from the options resolver', async () => {
  const resolver = new SecretResolver({ fetch: () => Promise.resolve({ kind: 'ok', value: 'v' }), fetchSync: false });
  await resolver.prefetch([{ kind: 'consul_key', key: 'k' }]);
  assert.equal(evalIn('consul_key("k")', resolver), 'v');
  assert.match(evalIn('consul_key("other")', resolver), /was not fetched before evaluation/);
});
