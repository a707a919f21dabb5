// NODE_EXTRA_CA_CERTS through bin/kiln, which defers Node's load of the file to the first
// TLS connection (bin/extra-ca.cjs). A real HTTPS server on loopback whose certificate is
// signed by a CA made here with openssl; kiln reaches it through node:https (the http data
// source) and through fetch (vault()), each in a build of its own so that each path is
// the first TLS use of its process.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');

interface Run {
  readonly status: number | null;
  readonly out: string;
}

/** Runs bin/kiln asynchronously (the HTTPS server lives in this process). */
function kiln(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out }));
  });
}

function openssl(dir: string, args: readonly string[]): void {
  const r = spawnSync('/usr/bin/openssl', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A CA and a 127.0.0.1 server certificate it signed, in `dir`. */
function makeCertificates(dir: string): void {
  if (!existsSync('/usr/bin/openssl')) throw new Error('/usr/bin/openssl not found: install the Debian package "openssl"');
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=kiln test CA']);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(path.join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext']);
}

function template(dir: string, name: string, hcl: string, echo: string): string {
  const folder = path.join(dir, name);
  const shell = `echo ${echo} env=$NODE_EXTRA_CA_CERTS deferred=$KILN_DEFERRED_NODE_EXTRA_CA_CERTS.`;
  const build = `source "null" "x" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.x"]\n  provisioner "shell-local" {\n    inline = [${JSON.stringify(shell)}]\n  }\n}\n`;
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'main.pkr.hcl'), `${hcl}\n${build}`);
  return folder;
}

describe('NODE_EXTRA_CA_CERTS through bin/kiln', () => {
  let dir = '';
  let server: https.Server;
  let base = '';
  let viaHttps = '';
  let viaFetch = '';

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kiln-extra-ca-'));
    makeCertificates(dir);
    server = https.createServer({ key: readFileSync(path.join(dir, 'server.key')), cert: readFileSync(path.join(dir, 'server.pem')) }, (req, res) => {
      if (req.url?.startsWith('/v1/')) {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ data: { data: { word: 'sesame' }, metadata: { version: 1 } } }));
        return;
      }
      res.end('hello-over-tls');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    viaHttps = template(dir, 'https', `data "http" "greeting" {\n  url = "${base}/greeting"\n}`, 'body=${data.http.greeting.body}');
    viaFetch = template(dir, 'fetch', `locals {\n  word = vault("secret/data/app", "word")\n}`, 'secret=${local.word}');
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, VAULT_ADDR: base, VAULT_TOKEN: 'token' };
    delete e['NODE_EXTRA_CA_CERTS'];
    delete e['KILN_DEFERRED_NODE_EXTRA_CA_CERTS'];
    return Object.assign(e, extra);
  };

  for (const [name, folder, expect] of [
    ['node:https (the http data source)', () => viaHttps, 'body=hello-over-tls'],
    ['fetch (vault())', () => viaFetch, 'secret=sesame'],
  ] as const) {
    it(`trusts the file's CA through ${name}, and children see the variable as given`, async () => {
      const ca = path.join(dir, 'ca.pem');
      const r = await kiln(['build', '-color=false', folder()], env({ NODE_EXTRA_CA_CERTS: ca }));
      assert.equal(r.status, 0, r.out);
      assert.ok(r.out.includes(`${expect} env=${ca} deferred=.`), r.out);
    });

    it(`fails through ${name} without it (the server's CA is not otherwise trusted)`, async () => {
      const r = await kiln(['build', '-color=false', folder()], env({}));
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, /unable to verify the\s+first\s+certificate/);
    });
  }

  it('warns once and goes on with the root store when the file cannot be read, as Node does', async () => {
    const missing = path.join(dir, 'missing.pem');
    const r = await kiln(['build', '-color=false', viaHttps], env({ NODE_EXTRA_CA_CERTS: missing }));
    assert.notEqual(r.status, 0, r.out);
    assert.equal(r.out.split(`Ignoring extra certs from \`${missing}\``).length, 2, r.out);
    assert.match(r.out, /unable to verify the\s+first\s+certificate/);
  });

  it('leaves certificates given in `ca` alone (they replace the root store and the extras), also for https from getBuiltinModule', async () => {
    // A connection that names its own `ca` does not trust the file's CA; checked through
    // Node directly since kiln's clients name none: the wrapper is the one
    // tls.createSecureContext of the process. https comes through process.getBuiltinModule
    // here, the one way to load it that is not require (the builds above cover require).
    const script = [
      `process.env.KILN_DEFERRED_NODE_EXTRA_CA_CERTS = ${JSON.stringify(path.join(dir, 'ca.pem'))};`,
      `require(${JSON.stringify(path.join(REPO_ROOT, 'bin', 'extra-ca.cjs'))}).defer();`,
      `const https = process.getBuiltinModule('node:https');`,
      `const get = (o) => new Promise((res) => https.get(${JSON.stringify(`${base}/greeting`)}, o, (r) => { r.resume(); r.on('end', () => res('ok')); }).on('error', (e) => res(e.code)));`,
      `(async () => { console.log(await get({}), await get({ ca: require('node:tls').rootCertificates[0] }), process.env.NODE_EXTRA_CA_CERTS === ${JSON.stringify(path.join(dir, 'ca.pem'))}); })();`,
    ].join('\n');
    const r = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { env: env({}) });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (status) => resolve({ status, out }));
    });
    assert.equal(r.status, 0, r.out);
    assert.equal(r.out.trim(), 'ok UNABLE_TO_VERIFY_LEAF_SIGNATURE true');
  });
});
