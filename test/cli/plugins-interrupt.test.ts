/**
 * Ctrl-C while a plugin waits on the cloud (issue 21, acceptance 2): Packer 1.6.6's
 * amazon-ebs builder against moto behind a small HTTP proxy that, once CreateImage was
 * called, answers DescribeImages with the AMI still `pending` (moto makes AMIs available
 * at once), so the plugin keeps polling (every second: AWS_POLL_DELAY_SECONDS). kiln gets
 * SIGINT when the build says it waits for the AMI; the plugin's cleanup runs (instance
 * terminated, temporary key pair and security group deleted), kiln exits 1, and no
 * plugin process or socket is left.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { startMoto, type MotoServer } from '../support/moto.js';
import { REPO_ROOT } from '../support/shared.js';

const work = mkdtempSync(path.join(tmpdir(), 'kiln-plugins-int-'));
let moto: MotoServer;
let proxy: http.Server;
let holding = true;
let imageCreated = false;

before(async () => {
  moto = await startMoto();
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('Action');
      if (action === 'CreateImage') imageCreated = true;
      const pending = holding && imageCreated && action === 'DescribeImages';
      void fetch(`${moto.endpoint}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers: req.headers as Record<string, string>, ...(body.length > 0 ? { body } : {}) })
        .then(async (r) => {
          let text = Buffer.from(await r.arrayBuffer()).toString('utf8');
          if (pending) text = text.replaceAll('<imageState>available</imageState>', '<imageState>pending</imageState>');
          const headers = Object.fromEntries(r.headers);
          delete headers['content-length'];
          delete headers['content-encoding'];
          res.writeHead(r.status, headers);
          res.end(text);
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  holding = false;
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function ec2(action: string): Promise<string> {
  const res = await fetch(`${moto.endpoint}/?Action=${action}&Version=2016-11-15`, {
    headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0' },
  });
  return res.text();
}
/** Whether process `pid` is a plugin started with PACKER_PLUGIN_PATH=`dir` (false when it is gone). */
function isOurPlugin(pid: string, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`PACKER_PLUGIN_PATH=${dir}`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('plugin packer-');
  } catch {
    return false;
  }
}
const all = (xml: string, tag: string): string[] => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] ?? '');

it('acceptance 2: SIGINT while the 1.6.6 amazon-ebs plugin waits for the AMI: cleanup runs, exit 1, nothing left', async () => {
  const plugins = path.join(work, 'plugins');
  mkdirSync(plugins);
  writeFileSync(path.join(plugins, 'packer-builder-amazon-ebs'), '#!/bin/sh\nexec packer plugin packer-builder-amazon-ebs\n');
  chmodSync(path.join(plugins, 'packer-builder-amazon-ebs'), 0o755);
  const sockets = path.join(work, 'tmp');
  mkdirSync(sockets);
  const base = all(await ec2('DescribeImages&Owner.1=amazon'), 'imageId')[0];
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const dir = path.join(work, 'build');
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'build.pkr.hcl'),
    `source "amazon-ebs" "m" {
  region                  = "us-east-1"
  access_key              = "test"
  secret_key              = "test"
  custom_endpoint_ec2     = "${endpoint}"
  skip_metadata_api_check = true
  source_ami              = "${base}"
  instance_type           = "t2.micro"
  communicator            = "none"
  ami_name                = "kiln-interrupted"
}
build {
  sources = ["source.amazon-ebs.m"]
}
`,
  );
  const child = spawn(path.join(REPO_ROOT, 'bin', 'kiln'), ['build', '.'], {
    cwd: dir,
    env: { ...process.env, ...moto.env, PACKER_NO_COLOR: '1', PACKER_LOG: '', PACKER_PLUGIN_PATH: plugins, TMPDIR: sockets, AWS_POLL_DELAY_SECONDS: '1' },
  });
  let out = '';
  let interrupted = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (!interrupted && out.includes('Waiting for AMI to become ready')) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  holding = false;
  assert.ok(interrupted, out);
  assert.equal(code, 1, out);
  assert.match(out, /Terminating the source AWS instance/);
  assert.deepEqual(all(await ec2('DescribeKeyPairs'), 'keyName').filter((k) => k.startsWith('packer')), []);
  assert.deepEqual(all(await ec2('DescribeSecurityGroups'), 'groupName').filter((g) => g.startsWith('packer')), []);
  const states = all(await ec2('DescribeInstances'), 'name').filter((s) => s !== '' && !/^(terminated|shutting-down)$/.test(s));
  assert.deepEqual(states, []);
  // kiln runs builds with a private TMPDIR below this one (removed at the end); sockets would be in it.
  assert.deepEqual(readdirSync(sockets, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f).startsWith('packer-plugin')), [], 'no plugin socket left');
  for (const pid of readdirSync('/proc').filter((f) => /^\d+$/.test(f))) {
    assert.ok(!isOurPlugin(pid, plugins), `plugin process ${pid} left`);
  }
});
