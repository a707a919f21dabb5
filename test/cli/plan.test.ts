// `kiln plan` as a user runs it (bin/kiln over dist/), on templates written here: the
// builds it lists and how -only/-except filter them, the fingerprint (stable across
// runs, changed by any input file or variable), components whose plugin is missing,
// data sources that were not run, and secrets that never show.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { planSchemaErrors } from '../support/plan-schema.js';
import type { KilnRun } from '../support/packer-command.js';
import { runKiln } from '../support/packer-command.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-plan-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const config = path.join(tmp, 'config');

const dir = path.join(tmp, 'tpl');
mkdirSync(path.join(dir, 'files', 'site'), { recursive: true });
const write = (name: string, text: string): void => writeFileSync(path.join(dir, name), text);
write('files/setup.sh', '#!/bin/sh\necho setup\n');
write('files/site/index.html', '<p>hi</p>\n');
write('files/user-data.sh', '#!/bin/sh\necho boot\n');
write(
  'build.pkr.hcl',
  `
packer {
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = ">= 1.2.0"
    }
  }
}
variable "greeting" {
  type    = string
  default = "hello"
}
variable "password" {
  type      = string
  default   = "pl4n-s3cret-value"
  sensitive = true
}
source "docker" "web" {
  image   = "debian:bookworm"
  discard = true
}
source "null" "local" {
  communicator = "none"
}
source "amazon-ebs" "ami" {
  region        = "eu-west-1"
  instance_type = "t3.micro"
  ami_name      = "web-\${var.greeting}"
  user_data_file = "\${path.root}/files/user-data.sh"
}
build {
  sources = ["source.docker.web", "source.null.local", "source.amazon-ebs.ami"]
  provisioner "shell" {
    only             = ["docker.web", "amazon-ebs.ami"]
    script           = "\${path.root}/files/setup.sh"
    environment_vars = ["GREETING=\${var.greeting}", "PASSWORD=\${var.password}"]
  }
  provisioner "file" {
    except      = ["null.local"]
    source      = "\${path.root}/files/site/"
    destination = "/var/www/"
  }
  provisioner "shell-local" {
    inline = ["echo done"]
  }
  post-processor "manifest" {
    output = "\${path.root}/manifest.json"
  }
}
`,
);

interface PlanDoc {
  format_version: string;
  valid: boolean;
  builds: {
    name: string;
    source: string;
    fingerprint: string;
    builder: { type: string; origin: string; inputs: { path: string; value: string }[]; files: { path: string; digest: string }[] };
    provisioners: { type: string; key: string; files: { path: string; digest: string }[]; barrier?: string }[];
    post_processors: { type: string }[][];
    plugins: { name: string; source: string | null; version: string | null; installed: boolean; components: string[]; hint?: string }[];
    barrier?: string;
  }[];
  plugins: { name: string }[];
  diagnostics: { severity: string; summary: string }[];
}

const plan = (args: readonly string[]): KilnRun => runKiln(['plan', ...args], { cwd: dir, env: { XDG_CONFIG_HOME: config, HOME: tmp } });

function planJson(...args: string[]): PlanDoc {
  const r = plan(['-json', ...args, '.']);
  assert.equal(r.status, 0, r.stderr);
  const doc: unknown = JSON.parse(r.stdout);
  assert.deepEqual(planSchemaErrors(doc), []);
  return doc as PlanDoc;
}

const keys = (d: PlanDoc): Record<string, string> => Object.fromEntries(d.builds.map((b) => [b.name, b.fingerprint]));

describe('kiln plan', () => {
  it('lists every build with its source, steps, post-processors and the plugins it needs', () => {
    const d = planJson();
    assert.equal(d.format_version, '1');
    assert.equal(d.valid, true);
    assert.deepEqual(
      d.builds.map((b) => [b.name, b.source, b.provisioners.map((p) => p.type).join(','), b.post_processors.flat().map((p) => p.type).join(',')]),
      [
        ['docker.web', 'source.docker.web', 'shell,file,shell-local', 'manifest'],
        ['null.local', 'source.null.local', 'shell-local', 'manifest'],
        ['amazon-ebs.ami', 'source.amazon-ebs.ami', 'shell,file,shell-local', 'manifest'],
      ],
    );
    const [web, local, ami] = d.builds;
    assert.ok(web && local && ami);
    assert.deepEqual(web.plugins, []);
    assert.equal(ami.builder.origin, 'missing');
    assert.deepEqual(ami.plugins, [{ name: 'amazon', source: 'github.com/hashicorp/amazon', version: '>= 1.2.0', installed: false, components: ['builder amazon-ebs'], hint: 'run `kiln init`' }]);
    assert.ok(ami.builder.inputs.some((i) => i.path === 'ami_name' && i.value === '"web-hello"'), JSON.stringify(ami.builder.inputs));
    assert.ok(ami.builder.inputs.some((i) => i.path === 'user_data_file' && i.value === '"files/user-data.sh"'), JSON.stringify(ami.builder.inputs));
    assert.match(ami.builder.files.map((f) => `${f.path} ${f.digest}`).join(), /^files\/user-data\.sh sha256:[0-9a-f]{64}$/);
    assert.deepEqual(d.plugins.map((p) => p.name), ['amazon']);
    const files = web.provisioners.flatMap((p) => p.files.map((f) => f.path));
    assert.deepEqual(files, ['files/setup.sh', 'files/site/']);
    assert.match(web.provisioners[1]?.files[0]?.digest ?? '', /^tree:[0-9a-f]{64}$/);
    assert.equal(local.barrier, 'the null builder cannot snapshot its machine');
    assert.equal(web.barrier, 'shell-local runs on this machine: kiln cannot tell what it changes');
  });

  it('filters builds as build does with -only and -except', () => {
    assert.deepEqual(planJson('-only=docker.web').builds.map((b) => b.name), ['docker.web']);
    assert.deepEqual(planJson('-only=*.web,null.*').builds.map((b) => b.name), ['docker.web', 'null.local']);
    assert.deepEqual(planJson('-except=amazon-ebs.ami').builds.map((b) => b.name), ['docker.web', 'null.local']);
  });

  it('gives a fingerprint stable across runs that changes with any input file or variable', () => {
    const k0 = keys(planJson());
    assert.deepEqual(keys(planJson()), k0);
    for (const k of Object.values(k0)) assert.match(k, /^[0-9a-f]{64}$/);

    write('files/setup.sh', '#!/bin/sh\necho setup v2\n');
    const script = keys(planJson());
    write('files/setup.sh', '#!/bin/sh\necho setup\n');
    assert.notEqual(script['docker.web'], k0['docker.web']);
    assert.notEqual(script['amazon-ebs.ami'], k0['amazon-ebs.ami']);
    assert.equal(script['null.local'], k0['null.local']);

    // A file named by a component whose plugin is missing (no cache marks): keyed by content too.
    write('files/user-data.sh', '#!/bin/sh\necho boot v2\n');
    const userData = keys(planJson());
    write('files/user-data.sh', '#!/bin/sh\necho boot\n');
    assert.notEqual(userData['amazon-ebs.ami'], k0['amazon-ebs.ami']);
    assert.equal(userData['docker.web'], k0['docker.web']);

    write('files/site/index.html', '<p>hello</p>\n');
    const site = keys(planJson());
    write('files/site/index.html', '<p>hi</p>\n');
    assert.notEqual(site['docker.web'], k0['docker.web']);
    assert.equal(site['null.local'], k0['null.local']);

    const greeting = keys(planJson('-var', 'greeting=bonjour'));
    assert.notEqual(greeting['docker.web'], k0['docker.web']);
    assert.notEqual(greeting['amazon-ebs.ami'], k0['amazon-ebs.ami']);

    const password = keys(planJson('-var', 'password=another-s3cret'));
    assert.notEqual(password['docker.web'], k0['docker.web']);
    assert.deepEqual(keys(planJson()), k0);
  });

  it('never shows a sensitive value, and keeps its HMAC secret private', () => {
    const r = plan(['-json', '-var', 'password=another-s3cret', '.']);
    const human = plan(['-var', 'password=another-s3cret', '.']);
    for (const text of [r.stdout, r.stderr, human.stdout, human.stderr]) {
      assert.ok(!text.includes('another-s3cret'));
      assert.ok(!text.includes('pl4n-s3cret-value'));
    }
    assert.ok(r.stdout.includes('"value": "(sensitive)"'));
    assert.ok(existsSync(path.join(config, 'kiln', 'cache-secret')));
  });

  it('says in text what would run, and names unrun data sources', () => {
    write('data.pkr.hcl', 'data "http" "ip" {\n  url = "http://127.0.0.1:9/ip"\n}\n');
    try {
      const r = plan(['.']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^3 builds would run:/);
      assert.match(r.stdout, /Build 'docker\.web'\n {2}source: {7}source\.docker\.web \(docker\)\n {2}fingerprint: {2}[0-9a-f]{64}\n/);
      assert.match(r.stdout, / {2}plugin: {7}amazon \(github\.com\/hashicorp\/amazon >= 1\.2\.0\): not installed; run `kiln init`/);
      assert.match(r.stdout, /Data sources not run \(their results are unknown; -evaluate-datasources runs them\): http\.ip/);
    } finally {
      rmSync(path.join(dir, 'data.pkr.hcl'));
    }
  });

  it('exits 1 with the diagnostic when a component is misconfigured', () => {
    write('bad.pkr.hcl', 'source "docker" "bad" {\n  discard = true\n}\nbuild {\n  sources = ["source.docker.bad"]\n}\n');
    try {
      const r = plan(['-json', '-only=docker.bad', '.']);
      assert.equal(r.status, 1);
      const d = JSON.parse(r.stdout) as PlanDoc;
      assert.deepEqual(planSchemaErrors(d), []);
      assert.equal(d.valid, false);
      assert.ok(d.diagnostics.some((x) => x.severity === 'error'), JSON.stringify(d.diagnostics));
      assert.match(r.stderr, /bad\.pkr\.hcl/);
    } finally {
      rmSync(path.join(dir, 'bad.pkr.hcl'));
    }
  });
});
