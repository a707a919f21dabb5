// `kiln plan -json` (bin/kiln over dist/) on the real-world corpus in ../shared: the
// runner-images Ubuntu templates and chef/bento, whose plugins are not installed. The
// expected build lists are read off the templates' build blocks by hand (below), and
// filtered as Packer filters -only/-except (globs over the full build name). Part of
// `npm run conformance`. The corpus keeps the templates without their scripts, so the
// only errors expected are provisioners' missing script and source files (and one
// option kiln's qemu builder does not have yet).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { planSchemaErrors } from '../support/plan-schema.js';
import { REPO_ROOT, sharedPath } from '../support/shared.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-plan-corpus-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface PlanDoc {
  valid: boolean;
  builds: {
    name: string;
    source: string;
    fingerprint: string;
    builder: { type: string; origin: string };
    provisioners: { type: string }[];
    post_processors: { type: string }[][];
    plugins: { name: string; source: string | null; installed: boolean; hint?: string }[];
  }[];
  datasources: { name: string; evaluated: boolean }[];
  diagnostics: { severity: string; summary: string; detail?: string }[];
}

/**
 * The errors the corpus is expected to give: the scripts and files it does not carry,
 * and kiln's qemu builder not knowing `iso_target_path` yet (bento sets it).
 */
function expectedError(d: { summary: string; detail?: string }): boolean {
  if (/^Bad (script|source) '.*': stat .*: no such file or directory$/.test(d.summary)) return true;
  return d.summary === 'Unsupported argument' && d.detail === 'An argument named "iso_target_path" is not expected here.';
}

function plan(cwd: string, args: readonly string[]): PlanDoc {
  // The corpus's hundreds of missing-file errors are rendered on stderr too: more than spawnSync's default 1 MB.
  const r = spawnSync(path.join(REPO_ROOT, 'bin', 'kiln'), ['plan', '-json', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PACKER_LOG: '', XDG_CONFIG_HOME: tmp, HOME: tmp },
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const doc = JSON.parse(r.stdout) as PlanDoc;
  assert.deepEqual(planSchemaErrors(doc), []);
  // Errors only for the scripts the corpus does not carry.
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  for (const e of errors) assert.ok(expectedError(e), JSON.stringify(e));
  assert.equal(r.status, errors.length > 0 ? 1 : 0);
  return doc;
}

const names = (d: PlanDoc): string[] => d.builds.map((b) => b.name);

describe('kiln plan on runner-images Ubuntu', () => {
  const dir = (): string => sharedPath('corpus', 'templates', 'runner-images-ubuntu', 'images', 'ubuntu', 'templates');
  // One build block per build.ubuntu-*.pkr.hcl, each `sources = ["source.azure-arm.image"]` with its `name`.
  const ALL = ['ubuntu-22_04-arm64', 'ubuntu-22_04', 'ubuntu-24_04-arm64', 'ubuntu-24_04', 'ubuntu-26_04-arm64', 'ubuntu-26_04'].map((n) => `${n}.azure-arm.image`);
  const vars = ['-var', 'image_os=ubuntu22'];

  it('lists the six builds, each needing the azure plugin, with its provisioners', () => {
    const d = plan(dir(), [...vars, '.']);
    assert.deepEqual(names(d), ALL);
    // Provisioner blocks per build file: 32 in the 22.04 files, 30 in the others.
    assert.deepEqual(d.builds.map((b) => b.provisioners.length), [32, 32, 30, 30, 30, 30]);
    for (const b of d.builds) {
      assert.equal(b.source, 'source.azure-arm.image');
      assert.equal(b.builder.origin, 'missing');
      assert.deepEqual(b.plugins.map((p) => [p.name, p.installed]), [['azure', false]]);
      assert.deepEqual(b.post_processors, []);
      assert.match(b.fingerprint, /^[0-9a-f]{64}$/);
    }
    assert.equal(new Set(d.builds.map((b) => b.fingerprint)).size, 6);
  });

  it('filters with -only and -except as Packer does', () => {
    assert.deepEqual(names(plan(dir(), [...vars, '-only=ubuntu-24_04.azure-arm.image', '.'])), ['ubuntu-24_04.azure-arm.image']);
    assert.deepEqual(names(plan(dir(), [...vars, '-only=ubuntu-26_04*', '.'])), ['ubuntu-26_04-arm64.azure-arm.image', 'ubuntu-26_04.azure-arm.image']);
    assert.deepEqual(names(plan(dir(), [...vars, '-except=*-arm64.*', '.'])), ['ubuntu-22_04.azure-arm.image', 'ubuntu-24_04.azure-arm.image', 'ubuntu-26_04.azure-arm.image']);
  });

  it('gives the same fingerprints on every run, and others for another image_os', () => {
    const a = plan(dir(), [...vars, '.']).builds.map((b) => b.fingerprint);
    assert.deepEqual(plan(dir(), [...vars, '.']).builds.map((b) => b.fingerprint), a);
    const other = plan(dir(), ['-var', 'image_os=ubuntu24', '.']).builds.map((b) => b.fingerprint);
    for (let i = 0; i < a.length; i++) assert.notEqual(other[i], a[i]);
  });
});

describe('kiln plan on bento', () => {
  const dir = (): string => sharedPath('corpus', 'templates', 'bento');
  // build { sources = var.sources_enabled }: five sources by default.
  const ALL = ['parallels-iso.vm', 'qemu.vm', 'utm-iso.vm', 'virtualbox-iso.vm', 'vmware-iso.vm'];
  const linux = ['-var-file', 'os_pkrvars/ubuntu/ubuntu-24.04-x86_64.pkrvars.hcl'];

  it('lists the enabled sources, the Linux steps and the vagrant post-processors', () => {
    const d = plan(dir(), [...linux, 'packer_templates']);
    assert.deepEqual(names(d), ALL);
    for (const b of d.builds) {
      // Five shell provisioners are not excepted on Linux (except = var.is_windows ? local.source_names : null).
      assert.deepEqual(b.provisioners.map((p) => p.type), ['shell', 'shell', 'shell', 'shell', 'shell']);
      // vagrant: except = ["utm-iso.vm"]; utm-vagrant: only = ["utm-iso.vm"].
      assert.deepEqual(b.post_processors.flat().map((p) => p.type), [b.name === 'utm-iso.vm' ? 'utm-vagrant' : 'vagrant']);
    }
    assert.equal(d.builds.find((b) => b.name === 'qemu.vm')?.builder.origin, 'builtin');
    const vbox = d.builds.find((b) => b.name === 'virtualbox-iso.vm');
    assert.deepEqual(vbox?.plugins.map((p) => [p.name, p.source, p.installed, p.hint]), [
      ['virtualbox', 'github.com/hashicorp/virtualbox', false, 'run `kiln init`'],
      ['vagrant', 'github.com/hashicorp/vagrant', false, 'run `kiln init`'],
    ]);
    assert.deepEqual(d.datasources, [{ name: 'host-info.this', evaluated: false }]);
  });

  it('filters with -only and -except as Packer does', () => {
    assert.deepEqual(names(plan(dir(), [...linux, '-only=qemu.vm', 'packer_templates'])), ['qemu.vm']);
    assert.deepEqual(names(plan(dir(), [...linux, '-except=parallels-iso.vm,utm-iso.vm', 'packer_templates'])), ['qemu.vm', 'virtualbox-iso.vm', 'vmware-iso.vm']);
    assert.deepEqual(names(plan(dir(), [...linux, '-only=v*', 'packer_templates'])), ['virtualbox-iso.vm', 'vmware-iso.vm']);
  });

  it('changes the fingerprint with the var file, and keeps it across runs', () => {
    const a = plan(dir(), [...linux, 'packer_templates']).builds.map((b) => b.fingerprint);
    assert.deepEqual(plan(dir(), [...linux, 'packer_templates']).builds.map((b) => b.fingerprint), a);
    const other = plan(dir(), ['-var-file', 'os_pkrvars/ubuntu/ubuntu-22.04-x86_64.pkrvars.hcl', 'packer_templates']).builds.map((b) => b.fingerprint);
    for (let i = 0; i < a.length; i++) assert.notEqual(other[i], a[i]);
  });
});
