import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { renderDiagnostics } from '../../hcl/diagnostic-text.js';
import { MOCK_SCHEMA, mockRegistry } from '../../../test/support/mock-components.js';
import type { LoadOptions, LoadResult } from '../load-hcl2-template.js';
import { loadHcl2Template } from '../load-hcl2-template.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function load(src: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-dynamic-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'main.pkr.hcl'), src);
  return loadHcl2Template(dir, { env: {}, ...opts }, mockRegistry());
}

const text = (r: LoadResult) => renderDiagnostics(r.diagnostics, r.files);

describe('dynamic blocks in templates', () => {
  it('generate build-level source blocks: name from the iterator, `source` the iterator in their content', async () => {
    const r = await load(
      'source "amazon-ebs" "base" {\n  int = 1\n}\n' +
        'variable "images" {\n  default = { a = "img-a", b = "img-b" }\n}\n' +
        'build {\n  dynamic "source" {\n    for_each = var.images\n    labels = ["amazon-ebs.base"]\n    content {\n      name = source.key\n      string = "${source.value}.txt"\n    }\n  }\n' +
        '  provisioner "shell" {\n    string = "${var.images[source.name]}-${source.type}"\n  }\n}\n',
    );
    assert.equal(text(r), '');
    const builds = r.model!.builds;
    assert.deepEqual(
      builds.map((b) => b.name),
      ['amazon-ebs.a', 'amazon-ebs.b'],
    );
    assert.deepEqual(
      builds.map((b) => b.builder.decode(MOCK_SCHEMA).config),
      [
        { int: 1, string: 'img-a.txt' },
        { int: 1, string: 'img-b.txt' },
      ],
    );
    assert.deepEqual(
      builds.map((b) => b.provisioners[0]!.decode(MOCK_SCHEMA).config['string']),
      ['img-a-amazon-ebs', 'img-b-amazon-ebs'],
    );
  });

  it('merge a generated source block with its source: setting an argument again is a duplicate', async () => {
    const r = await load(
      'source "amazon-ebs" "base" {\n  string = "x"\n}\nbuild {\n  dynamic "source" {\n    for_each = ["a"]\n    labels = ["amazon-ebs.base"]\n    content {\n      name = source.value\n      string = "y"\n    }\n  }\n}\n',
    );
    const d = r.model!.builds[0]!.builder.decode(MOCK_SCHEMA);
    assert.match(renderDiagnostics(d.diagnostics, r.files), /Error: Duplicate argument[\s\S]*line 10[\s\S]*Argument "string" was already set at .*main\.pkr\.hcl:2,3-9/);
  });

  it('expand inside a source body, for_each seeing locals but not the source', async () => {
    const r = await load(
      'locals { tags = { os = "linux" } }\n' +
        'source "amazon-ebs" "u" {\n  dynamic "tag" {\n    for_each = local.tags\n    content {\n      key = tag.key\n      value = "${tag.value}/${source.name}"\n    }\n  }\n' +
        '  dynamic "nested_slice" {\n    for_each = source.name == "u" ? [1] : []\n    content { int = 1 }\n  }\n}\n' +
        'build {\n  sources = ["amazon-ebs.u"]\n}\n',
    );
    assert.equal(text(r), '');
    const config = r.model!.builds[0]!.builder.decode(MOCK_SCHEMA).config;
    assert.deepEqual(config['tag'], [{ key: 'os', value: 'linux/u' }]);
    // Packer evaluates for_each in the data-source context, where `source` is unknown:
    // the block list is unknown, which Packer's placeholder makes an empty list.
    assert.deepEqual(config['nested_slice'], []);
  });

  it('make blocks from a data source that validate does not run unknown, without errors', async () => {
    const src =
      'data "amazon-ami" "x" {\n  slice_string = ["a", "b"]\n}\n' +
        'source "amazon-ebs" "u" {\n  dynamic "tag" {\n    for_each = data.amazon-ami.x.slice_string\n    content {\n      key = tag.value\n    }\n  }\n}\n' +
        'build {\n  sources = ["amazon-ebs.u"]\n}\n';
    const r = await load(src, { evaluateDatasources: false });
    assert.equal(text(r), '');
    const d = r.model!.builds[0]!.builder.decode(MOCK_SCHEMA);
    assert.deepEqual(d.diagnostics, []);
    assert.deepEqual(d.config['tag'], []);
    const run = await load(src);
    assert.deepEqual(run.model!.builds[0]!.builder.decode(MOCK_SCHEMA).config['tag'], [{ key: 'a' }, { key: 'b' }]);
  });

  it('expand post-processors in a post-processors chain', async () => {
    const r = await load(
      'source "amazon-ebs" "u" {}\nbuild {\n  sources = ["amazon-ebs.u"]\n  post-processors {\n    dynamic "post-processor" {\n      for_each = ["one", "two"]\n      labels = ["manifest"]\n      content {\n        name = post-processor.value\n        string = "${post-processor.key}"\n      }\n    }\n  }\n}\n',
    );
    assert.equal(text(r), '');
    const chain = r.model!.builds[0]!.postProcessors[0]!;
    assert.deepEqual(
      chain.map((p) => [p.name, p.decode(MOCK_SCHEMA).config['string']]),
      [
        ['one', '0'],
        ['two', '1'],
      ],
    );
  });

  it("report the extension's errors at the dynamic block", async () => {
    const r = await load('source "amazon-ebs" "u" {}\nbuild {\n  sources = ["amazon-ebs.u"]\n  dynamic "provisioner" {\n    for_each = 3\n    labels = ["shell"]\n    content {}\n  }\n}\n');
    assert.match(text(r), /Invalid dynamic for_each value[\s\S]*line 5, in build:[\s\S]*Cannot use a number value in for_each/);
  });

  it('are not expanded in data blocks, as in Packer', async () => {
    const r = await load(
      'data "amazon-ami" "x" {\n  dynamic "tag" {\n    for_each = ["a"]\n    content { key = tag.value }\n  }\n}\nsource "amazon-ebs" "u" {}\nbuild {\n  sources = ["amazon-ebs.u"]\n}\n',
    );
    assert.match(text(r), /Unsupported block type[\s\S]*Blocks of type "dynamic" are not expected here/);
  });
});
