import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { renderDiagnostics } from '../../hcl/diagnostic-text.js';
import { mockRegistry } from '../../../test/support/mock-components.js';
import type { LoadOptions, LoadResult } from '../load-hcl2-template.js';
import { loadHcl2Template } from '../load-hcl2-template.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-unplaced-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function text(target: string, opts: LoadOptions = {}): Promise<string> {
  const r: LoadResult = await loadHcl2Template(target, { env: {}, ...opts }, mockRegistry());
  return renderDiagnostics(r.diagnostics, r.files);
}

const BUILD = 'variable "region" {\n  default = "eu"\n}\nsource "amazon-ebs" "ubuntu" {}\nbuild {\n  name = "b"\n  sources = ["amazon-ebs.ubuntu"]\n  post-processor "manifest" {}\n}\n';

describe('diagnostics without a place in a file', () => {
  it('no config file: names the near misses in the folder, or says how to name the file', async () => {
    const dir = folder({ 'main.hcl': '', 'web.json': '{}', 'x.auto.pkrvars.hcl': '', 'sub/a.pkr.hcl': '' });
    const out = await text(dir);
    assert.match(out, new RegExp(`Error: Could not find any config file in ${dir}`));
    assert.match(out, /Files here that may be templates: main\.hcl, web\.json\. Rename them/);
    assert.match(out, /Templates were found in: .*sub\. Pass one of those folders instead\./);
    assert.match(await text(folder({})), /Write the template into a file such as build\.pkr\.hcl here/);
    assert.match(await text(path.join(dir, 'main.hcl')), /main\.hcl is not named like an HCL2 template\. Rename it to main\.pkr\.hcl/);
  });

  it('missing build block: names the files and suggests a build over the declared sources', async () => {
    const dir = folder({ 'main.pkr.hcl': 'source "amazon-ebs" "ubuntu" {}\n' });
    const out = await text(dir);
    assert.match(out, /Error: Missing build block/);
    assert.match(out, /main\.pkr\.hcl has no build block; add one that names the sources to build, for example:\n\nbuild \{\n {2}sources = \["source\.amazon-ebs\.ubuntu"\]\n\}/);
  });

  it('undefined -var: shows the declaration and the declared name it may mean', async () => {
    const dir = folder({ 'main.pkr.hcl': BUILD });
    const out = await text(dir, { vars: [['regoin', 'x']] });
    assert.match(out, /Error: Undefined -var variable[\s\S]*variable "regoin" \{\n {2}type = string\n\}\n\nOr did you mean -var region=\.\.\.\?/);
  });

  it('invalid -only pattern: explains the glob syntax', async () => {
    const out = await text(folder({ 'main.pkr.hcl': BUILD }), { only: ['[oops'] });
    assert.match(out, /Error: Invalid -only pattern \[oops: unexpected end of input\n\n-only takes glob patterns matched against build names/);
  });

  it('only/except warnings: name the patterns that matched nothing, with a suggestion', async () => {
    const out = await text(folder({ 'main.pkr.hcl': BUILD }), { only: ['b.*', 'amazon-ebs.ubuntu'], except: ['manifest', 'nope'] });
    assert.match(out, /Warning: an 'only' option was passed[\s\S]*-only "amazon-ebs\.ubuntu" matched nothing; did you mean "b\.amazon-ebs\.ubuntu"\?\nPossible build names: \[b\.amazon-ebs\.ubuntu\]/);
    // `manifest` matched a post-processor, which -except also drops.
    assert.match(out, /Warning: an 'except' option was passed[\s\S]*\n\n-except "nope" matched nothing; check it against the names below\.\nPossible/);
    assert.doesNotMatch(out, /-except "manifest"/);
  });
});
