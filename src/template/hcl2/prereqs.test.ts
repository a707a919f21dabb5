import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as cty from '../../hcl/cty/index.js';
import { renderDiagnostics } from '../../hcl/diagnostic-text.js';
import { mockRegistry } from '../../../test/support/mock-components.js';
import type { LoadOptions, LoadResult } from '../load-hcl2-template.js';
import { loadHcl2Template } from '../load-hcl2-template.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const BUILD = 'source "null" "a" {\n  communicator = "none"\n}\nbuild {\n  sources = ["null.a"]\n}\n';

async function load(src: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-prereqs-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'main.pkr.hcl'), src + BUILD);
  return loadHcl2Template(dir, { env: {}, ...opts }, mockRegistry());
}

const text = (r: LoadResult) => renderDiagnostics(r.diagnostics, r.files);
const local = (r: LoadResult, name: string) => cty.unmarkDeep(r.description!.locals.find((l) => l.name === name)!.value)[0];

const CHAIN = `
data "null" "first" { input = "a" }
locals { l1 = "\${data.null.first.output}-b" }
data "null" "second" { input = "\${local.l1}-c" }
locals { l2 = "\${data.null.second.output}-d" }
`;

describe('locals and data sources', () => {
  it('evaluate in dependency order: data → local → data → local', async () => {
    const r = await load(CHAIN);
    assert.equal(text(r), '');
    assert.equal(local(r, 'l2').asString(), 'a-b-c-d');
  });

  it('in sequential mode, a data source cannot use a local', async () => {
    const r = await load(CHAIN, { useSequentialEvaluation: true });
    assert.match(text(r), /Unsupported attribute[\s\S]*l1/);
  });

  it('in sequential mode, locals still see each other and data sources', async () => {
    const r = await load('data "null" "d" { input = "x" }\nlocals {\n  b = "${local.a}!"\n  a = data.null.d.output\n}\n', { useSequentialEvaluation: true });
    assert.equal(text(r), '');
    assert.equal(local(r, 'b').asString(), 'x!');
  });

  it('report a cycle at the reference that closes it', async () => {
    const r = await load('locals {\n  first  = local.second\n  second = local.first\n}\n');
    assert.match(text(r), /Error: failed to prepare execution graph[\s\S]*line 3[\s\S]*Cycle: local.first, local.second/);
  });

  it('report a missing dependency at the reference', async () => {
    const r = await load('data "null" "d" {\n  input = local.nope\n}\n');
    assert.match(text(r), /could not get dependency "local.nope" for "data.null.d", "local.nope" missing in template/);
    assert.match(text(r), /line 2/);
  });

  it('report a data source cycle', async () => {
    const r = await load('data "null" "a" { input = data.null.b.output }\ndata "null" "b" { input = data.null.a.output }\n');
    assert.match(text(r), /Cycle: data.null.a, data.null.b/);
  });

  it('use an unknown value of the output type when data sources are not executed', async () => {
    const r = await load('data "null" "d" { input = "x" }\nlocals { o = data.null.d.output }\n', { evaluateDatasources: false });
    assert.equal(text(r), '');
    assert.equal(local(r, 'o').isKnown(), false);
  });

  it('report an unknown data source type with the known ones', async () => {
    const r = await load('data "nope" "d" {}\n');
    assert.match(text(r), /Unknown data type nope[\s\S]*known data sources: \[amazon-ami null\]/);
  });

  it('report duplicate locals across blocks', async () => {
    const r = await load('locals { a = 1 }\nlocal "a" { expression = 2 }\n');
    assert.match(text(r), /Duplicate local definition/);
  });
});
