import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { renderDiagnostics } from '../../hcl/diagnostic-text.js';
import { MOCK_SCHEMA, mockRegistry } from '../../../test/support/mock-components.js';
import type { LoadOptions, LoadResult } from '../load-hcl2-template.js';
import { loadHcl2Template } from '../load-hcl2-template.js';
import { compileGlob } from './glob.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function load(src: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-builds-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'main.pkr.hcl'), src);
  return loadHcl2Template(dir, { env: {}, ...opts }, mockRegistry());
}

const text = (r: LoadResult) => renderDiagnostics(r.diagnostics, r.files);
const names = (r: LoadResult) => r.model?.builds.map((b) => b.name);

const SOURCES = 'source "amazon-ebs" "ubuntu" {\n  string = "base"\n}\nsource "virtualbox-iso" "ubuntu" {}\n';

describe('build names', () => {
  it('are <type>.<name>, prefixed by the build name, renamed by a build-level source', async () => {
    const r = await load(
      SOURCES +
        'build {\n  sources = ["source.virtualbox-iso.ubuntu"]\n}\n' +
        'build {\n  name = "named"\n  sources = ["amazon-ebs.ubuntu", "sources.virtualbox-iso.ubuntu"]\n  source "amazon-ebs.ubuntu" {\n    name = "renamed"\n  }\n}\n',
    );
    assert.equal(text(r), '');
    assert.deepEqual(names(r), ['virtualbox-iso.ubuntu', 'named.amazon-ebs.ubuntu', 'named.virtualbox-iso.ubuntu', 'named.amazon-ebs.renamed']);
    assert.deepEqual(
      r.model!.builds.map((b) => b.sourceName),
      ['ubuntu', 'ubuntu', 'ubuntu', 'ubuntu'],
    );
  });

  it('report an unknown source with a suggestion, and a malformed reference', async () => {
    const r = await load(SOURCES + 'build {\n  sources = ["amazon-ebs.ubunt", "nodot"]\n}\n');
    assert.match(text(r), /Invalid source reference/);
    const r2 = await load(SOURCES + 'build {\n  sources = ["amazon-ebs.ubunt"]\n}\n');
    assert.match(text(r2), /Unknown source amazon-ebs.ubunt[\s\S]*line 6[\s\S]*Did you mean to use "amazon-ebs.ubuntu"\?/);
  });

  it('require a source and a build block', async () => {
    assert.match(text(await load(SOURCES + 'build {}\n')), /missing source reference/);
    assert.match(text(await load(SOURCES)), /Missing build block/);
  });
});

describe('-only and -except', () => {
  const src = SOURCES + 'build {\n  name = "b"\n  sources = ["amazon-ebs.ubuntu", "virtualbox-iso.ubuntu"]\n  post-processor "manifest" {}\n  post-processors {\n    post-processor "amazon-import" { name = "imp" }\n    post-processor "manifest" {}\n  }\n}\n';

  it('match globs where * also crosses dots', async () => {
    assert.deepEqual(names(await load(src, { only: ['*.amazon-ebs.*'] })), ['b.amazon-ebs.ubuntu']);
    assert.deepEqual(names(await load(src, { only: ['b.*'] })), ['b.amazon-ebs.ubuntu', 'b.virtualbox-iso.ubuntu']);
    assert.deepEqual(names(await load(src, { except: ['*virtualbox*'] })), ['b.amazon-ebs.ubuntu']);
  });

  it('-except drops post-processors by name or type and the rest of their chain', async () => {
    const r = await load(src, { except: ['imp'] });
    assert.deepEqual(
      r.model!.builds[0]!.postProcessors.map((c) => c.map((p) => p.type)),
      [['manifest']],
    );
    const r2 = await load(src, { except: ['manifest'] });
    assert.deepEqual(
      r2.model!.builds[0]!.postProcessors.map((c) => c.map((p) => p.type)),
      [['amazon-import']],
    );
  });

  it('warn when a pattern matches nothing, and reject a bad pattern', async () => {
    const r = await load(src, { only: ['nothing'] });
    assert.deepEqual(names(r), []);
    assert.match(text(r), /Warning: an 'only' option was passed, but not all matches were found for the given build\.[\s\S]*Possible build names: \[b.amazon-ebs.ubuntu b.virtualbox-iso.ubuntu\]/);
    assert.match(text(await load(src, { only: ['[oops'] })), /Invalid -only pattern \[oops/);
  });

  it('compile gobwas-style globs', () => {
    const m = (p: string, s: string) => {
      const g = compileGlob(p);
      return g.kind === 'ok' && g.match(s);
    };
    assert.ok(m('a.*', 'a.b.c'));
    assert.ok(m('{x,y}.z', 'y.z'));
    assert.ok(m('a?c', 'abc'));
    assert.ok(m('[!b]x', 'ax') && !m('[!b]x', 'bx'));
    assert.ok(!m('a.b', 'axb'));
  });
});

describe('provisioners and post-processors', () => {
  it('keep only/except per source (exact, with the local name)', async () => {
    const r = await load(
      SOURCES +
        'build {\n  sources = ["virtualbox-iso.ubuntu"]\n  source "amazon-ebs.ubuntu" { name = "aws" }\n' +
        '  provisioner "shell" { only = ["virtualbox-iso.ubuntu"] }\n  provisioner "file" { except = ["amazon-ebs.aws"] }\n  provisioner "shell" { only = ["amazon-ebs.aws"] }\n}\n',
    );
    assert.equal(text(r), '');
    assert.deepEqual(
      r.model!.builds.map((b) => b.provisioners.map((p) => p.type)),
      [
        ['shell', 'file'],
        ['shell'],
      ],
    );
  });

  it('reject only and except together, and bad durations', async () => {
    const pre = SOURCES + 'build {\n  sources = ["virtualbox-iso.ubuntu"]\n';
    assert.match(text(await load(pre + '  provisioner "shell" {\n    only = ["a"]\n    except = ["b"]\n  }\n}\n')), /only one of 'only' or 'except' may be specified/);
    assert.match(text(await load(pre + '  provisioner "shell" { pause_before = "soon" }\n}\n')), /Failed to parse pause_before duration[\s\S]*time: invalid duration "soon"/);
  });

  it('apply no timeout when pausing first, and keep retries and continue_on_error', async () => {
    const r = await load(
      SOURCES +
        'build {\n  sources = ["virtualbox-iso.ubuntu"]\n  provisioner "shell" {\n    pause_before = "5s"\n    timeout = "1m"\n  }\n  provisioner "shell" {\n    name = "x"\n    timeout = "1m"\n    max_retries = 3\n    continue_on_error = true\n  }\n}\n',
    );
    const [p1, p2] = r.model!.builds[0]!.provisioners;
    assert.equal(p1!.pauseBefore, 5000);
    assert.equal(p1!.timeout, undefined);
    assert.deepEqual([p2!.name, p2!.timeout, p2!.maxRetries, p2!.continueOnError], ['x', 60000, 3, true]);
  });

  it('are decoded again with the build data at run time', async () => {
    const r = await load(
      SOURCES + 'build {\n  name = "b"\n  sources = ["virtualbox-iso.ubuntu"]\n  provisioner "shell" {\n    string = "${build.name} ${build.ID} ${build.Host} ${source.name}"\n  }\n}\n',
    );
    const p = r.model!.builds[0]!.provisioners[0]!;
    assert.equal(p.decode(MOCK_SCHEMA).config['string'], 'b <unknown> <unknown> ubuntu');
    assert.equal(p.decode(MOCK_SCHEMA, { keys: [], data: { ID: 'i-123', Host: '10.0.0.1' } }).config['string'], 'b i-123 10.0.0.1 ubuntu');
  });

  it('render {{ }} in user-set strings at decode time', async () => {
    const r = await load(SOURCES + 'build {\n  sources = ["virtualbox-iso.ubuntu"]\n  provisioner "shell" {\n    string = "{{build_name}}-{{build_type}}"\n  }\n}\n');
    assert.equal(r.model!.builds[0]!.provisioners[0]!.decode(MOCK_SCHEMA).config['string'], 'ubuntu-virtualbox-iso');
  });

  it('apply a provisioner override for the source by its local name', async () => {
    const r = await load(
      SOURCES +
        'build {\n  sources = ["virtualbox-iso.ubuntu"]\n  source "amazon-ebs.ubuntu" { name = "aws" }\n  provisioner "shell" {\n    string = "default"\n    override = {\n      aws = { string = "for aws" }\n    }\n  }\n}\n',
    );
    assert.deepEqual(
      r.model!.builds.map((b) => b.provisioners[0]!.decode(MOCK_SCHEMA).config['string']),
      ['default', 'for aws'],
    );
  });

  it('report unknown component types with a suggestion', async () => {
    const r = await load(SOURCES + 'build {\n  sources = ["virtualbox-iso.ubuntu"]\n  provisioner "shel" {}\n  post-processor "nope" {}\n}\n');
    assert.match(text(r), /Unknown provisioner type "shel"[\s\S]*Did you mean to use "shell"\?/);
    assert.match(text(r), /Unknown post-processor type "nope"[\s\S]*integrations\?filter=nope/);
  });

  it('expand dynamic provisioner blocks and nested dynamic blocks', async () => {
    const r = await load(
      SOURCES +
        'locals { names = ["a", "b"] }\nbuild {\n  sources = ["virtualbox-iso.ubuntu"]\n  dynamic "provisioner" {\n    for_each = local.names\n    labels = ["shell"]\n    content {\n      string = provisioner.value\n      dynamic "tag" {\n        for_each = { k = "v" }\n        content {\n          key = tag.key\n          value = "${tag.value}-${provisioner.key}"\n        }\n      }\n    }\n  }\n}\n',
    );
    assert.equal(text(r), '');
    const decoded = r.model!.builds[0]!.provisioners.map((p) => p.decode(MOCK_SCHEMA).config);
    assert.deepEqual(
      decoded.map((c) => [c['string'], c['tag']]),
      [
        ['a', [{ key: 'k', value: 'v-0' }]],
        ['b', [{ key: 'k', value: 'v-1' }]],
      ],
    );
  });
});

describe('build-level source blocks', () => {
  it('may add arguments to the source but not set one again', async () => {
    const ok = await load(SOURCES + 'build {\n  source "amazon-ebs.ubuntu" {\n    int = 3\n  }\n}\n');
    assert.deepEqual(ok.model!.builds[0]!.builder.decode(MOCK_SCHEMA).config, { string: 'base', int: 3 });
    const dup = await load(SOURCES + 'build {\n  source "amazon-ebs.ubuntu" {\n    string = "again"\n  }\n}\n');
    const d = dup.model!.builds[0]!.builder.decode(MOCK_SCHEMA);
    const out = renderDiagnostics(d.diagnostics, dup.files);
    assert.match(out, /Error: Duplicate argument[\s\S]*line 7[\s\S]*Argument "string" was already set at .*main\.pkr\.hcl:2,3-9/);
  });

  it('see source.type and source.name (the local name) in the source body', async () => {
    const r = await load('source "amazon-ebs" "u" {\n  string = "${source.type}/${source.name}"\n}\nbuild {\n  source "amazon-ebs.u" { name = "v" }\n}\n');
    assert.equal(r.model!.builds[0]!.builder.decode(MOCK_SCHEMA).config['string'], 'amazon-ebs/v');
  });

  it('report a duplicate source and an unsupported argument at its line', async () => {
    assert.match(text(await load(SOURCES + SOURCES + 'build {\n  sources = ["amazon-ebs.ubuntu"]\n}\n')), /Duplicate source block/);
    const r = await load('source "amazon-ebs" "u" {\n  bogus = 1\n}\nbuild {\n  sources = ["amazon-ebs.u"]\n}\n');
    const d = r.model!.builds[0]!.builder.decode(MOCK_SCHEMA);
    assert.match(renderDiagnostics(d.diagnostics, r.files), /Unsupported argument[\s\S]*line 2, in source "amazon-ebs" "u"/);
  });
});

describe('packer block', () => {
  it('checks required_version with HashiCorp constraints', async () => {
    const b = SOURCES + 'build {\n  sources = ["amazon-ebs.ubuntu"]\n}\n';
    for (const ok of ['>= 1.7.0, < 2', '~> 1.16', '~> 1.16.0', '1.16.0', '!= 1.15.0']) {
      assert.equal(text(await load(`packer { required_version = "${ok}" }\n${b}`)), '', ok);
    }
    for (const bad of ['~> 1.15.0', '< 1.16', '> 1.16.0']) {
      assert.match(text(await load(`packer { required_version = "${bad}" }\n${b}`)), /Unsupported Packer Core version/, bad);
    }
    assert.match(text(await load(`packer { required_version = "wat" }\n${b}`)), /Invalid version constraint/);
  });

  it('records required_plugins', async () => {
    const r = await load('packer {\n  required_plugins {\n    docker = {\n      source = "github.com/hashicorp/docker"\n      version = ">= 1.0.0"\n    }\n  }\n}\n' + SOURCES + 'build {\n  sources = ["amazon-ebs.ubuntu"]\n}\n');
    assert.deepEqual(r.description!.requiredPlugins, [{ name: 'docker', source: 'github.com/hashicorp/docker', version: '>= 1.0.0' }]);
  });

  it('finds no config file in an empty directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiln-empty-'));
    dirs.push(dir);
    const r = await loadHcl2Template(dir, { env: {} }, mockRegistry());
    assert.match(text(r), new RegExp(`Could not find any config file in ${dir}`));
  });
});
