/**
 * `amazon-ebs` from plugins against a local moto_server (issue 21, acceptance 1, 8
 * and 9): served by the current SDK build of the amazon plugin's `ebs` builder (with
 * its `amazon-ami` data source feeding `source_ami`) and by Packer 1.6.6's built-in;
 * `communicator = "none"`. kiln registers an AMI, kiln's native manifest post-processor
 * records `us-east-1:ami-…`, and moto shows the AMI with no temporary key pair or
 * security group left and the instance terminated.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installGoPlugins } from '../support/go-plugins.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-plugins-aws-'));
let moto: MotoServer;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** One EC2 query API call against moto (it does not check signatures). */
async function ec2(action: string, params: Record<string, string> = {}): Promise<string> {
  const q = new URLSearchParams({ Action: action, Version: '2016-11-15', ...params });
  const res = await fetch(`${moto.endpoint}/?${q}`, {
    headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0' },
  });
  return res.text();
}

const all = (xml: string, tag: string): string[] => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] ?? '');

async function baseAmi(): Promise<string> {
  const ami = all(await ec2('DescribeImages', { 'Owner.1': 'amazon' }), 'imageId')[0];
  assert.ok(ami, 'moto lists an Amazon AMI');
  return ami;
}

function kiln(args: string[], dir: string, env: Record<string, string>) {
  return spawnSync(bin, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...moto.env, PACKER_NO_COLOR: '1', PACKER_LOG: '', ...env } });
}

function ebsBody(sourceAmi: string, amiName: string): string {
  return `  region                  = "us-east-1"
  access_key              = "test"
  secret_key              = "test"
  custom_endpoint_ec2     = "${moto.endpoint}"
  skip_metadata_api_check = true
  skip_credential_validation = true
  source_ami              = ${sourceAmi}
  instance_type           = "t2.micro"
  communicator            = "none"
  ami_name                = "${amiName}"`;
}

/** The build left the AMI, terminated its instance and deleted its temporary key pair and security group. */
async function assertCloudState(amiName: string, manifestFile: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { builds: { artifact_id: string }[] };
  const artifact = manifest.builds[0]?.artifact_id ?? '';
  assert.match(artifact, /^us-east-1:ami-[0-9a-f]+$/);
  const images = await ec2('DescribeImages', { 'Filter.1.Name': 'name', 'Filter.1.Value.1': amiName });
  assert.deepEqual(all(images, 'imageId'), [artifact.slice('us-east-1:'.length)]);
  assert.deepEqual(all(await ec2('DescribeKeyPairs'), 'keyName').filter((k) => k.startsWith('packer')), []);
  assert.deepEqual(all(await ec2('DescribeSecurityGroups'), 'groupName').filter((g) => g.startsWith('packer')), []);
  const states = all(await ec2('DescribeInstances'), 'name').filter((s) => s !== '' && !/^(terminated|shutting-down)$/.test(s));
  assert.deepEqual(states, [], 'every instance terminated');
}

describe('amazon-ebs plugins against moto', () => {
  it('acceptance 1: the Packer 1.6.6 amazon-ebs builder; kiln manifest records us-east-1:ami-…', async () => {
    const plugins = path.join(work, 'plugins16');
    mkdirSync(plugins, { recursive: true });
    writeFileSync(path.join(plugins, 'packer-builder-amazon-ebs'), '#!/bin/sh\nexec packer plugin packer-builder-amazon-ebs\n');
    chmodSync(path.join(plugins, 'packer-builder-amazon-ebs'), 0o755);
    const dir = path.join(work, 'ebs16');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'build.pkr.hcl'),
      `source "amazon-ebs" "m" {\n${ebsBody(`"${await baseAmi()}"`, 'kiln-ebs-16')}\n}\nbuild {\n  sources = ["source.amazon-ebs.m"]\n  post-processor "manifest" {\n    output = "manifest.json"\n  }\n}\n`,
    );
    const r = kiln(['build', '.'], dir, { PACKER_PLUGIN_PATH: plugins });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /amazon-ebs\.m: AMIs were created:\nus-east-1: ami-/);
    await assertCloudState('kiln-ebs-16', path.join(dir, 'manifest.json'));
  });

  it('acceptance 9: the same 1.6.6 build as a legacy JSON template', async () => {
    const plugins = path.join(work, 'plugins16');
    const dir = path.join(work, 'ebs16-json');
    mkdirSync(dir);
    const template = {
      builders: [
        {
          type: 'amazon-ebs',
          region: 'us-east-1',
          access_key: 'test',
          secret_key: 'test',
          custom_endpoint_ec2: moto.endpoint,
          skip_metadata_api_check: true,
          source_ami: await baseAmi(),
          instance_type: 't2.micro',
          communicator: 'none',
          ami_name: 'kiln-ebs-json-{{user `suffix`}}',
        },
      ],
      variables: { suffix: 'one' },
      'post-processors': [{ type: 'manifest', output: 'manifest.json' }],
    };
    writeFileSync(path.join(dir, 'build.json'), JSON.stringify(template, null, 2));
    const r = kiln(['build', 'build.json'], dir, { PACKER_PLUGIN_PATH: plugins });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    await assertCloudState('kiln-ebs-json-one', path.join(dir, 'manifest.json'));
  });

  it('acceptance 1 and 8: the SDK build of the amazon plugin, its amazon-ami data source feeding source_ami', async () => {
    const plugins = path.join(work, 'plugins-sdk');
    installGoPlugins(plugins, ['amazon']);
    const base = await baseAmi();
    const baseName = all(await ec2('DescribeImages', { 'ImageId.1': base }), 'name')[0];
    assert.ok(baseName);
    const dir = path.join(work, 'ebs-sdk');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'build.pkr.hcl'),
      `packer {
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = ">= 0.0.1"
    }
  }
}
data "amazon-ami" "base" {
  region                  = "us-east-1"
  access_key              = "test"
  secret_key              = "test"
  custom_endpoint_ec2     = "${moto.endpoint}"
  skip_metadata_api_check = true
  skip_credential_validation = true
  owners                  = ["amazon"]
  filters = {
    name = "${baseName}"
  }
}
source "amazon-ebs" "m" {
${ebsBody('data.amazon-ami.base.id', 'kiln-ebs-sdk')}
}
build {
  sources = ["source.amazon-ebs.m"]
  post-processor "manifest" {
    output = "manifest.json"
  }
}
`,
    );
    const r = kiln(['build', '.'], dir, { PACKER_PLUGIN_PATH: plugins });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`Found Image ID: ${base}`));
    await assertCloudState('kiln-ebs-sdk', path.join(dir, 'manifest.json'));
  });
});
