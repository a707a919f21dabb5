// `kiln init` and `kiln plugins install` against a local server answering like HashiCorp's
// releases service and GitHub (test/support/fake-release-server.ts), reached through
// KILN_PLUGIN_MIRROR. Runs bin/kiln over dist/ (run `npm run build` first).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { goPlatform } from '../../src/external/discovery/index.js';
import { FakeReleaseServer } from '../support/fake-release-server.js';
import { runMain } from '../support/run-main.js';
import { REPO_ROOT } from '../support/shared.js';

const platform = goPlatform();
const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-init-'));
let server: FakeReleaseServer;

before(async () => {
  server = await new FakeReleaseServer(platform).start();
  server
    .add({ source: 'github.com/hashicorp/alpha', version: '1.0.0', official: true })
    .add({ source: 'github.com/hashicorp/alpha', version: '1.1.0', official: true })
    .add({ source: 'github.com/hashicorp/alpha', version: '2.0.0', official: true })
    .add({ source: 'github.com/community/beta', version: '0.1.0' })
    .add({ source: 'github.com/community/beta', version: '0.2.0' })
    .add({ source: 'github.com/community/tampered', version: '1.0.0', wrongChecksum: true })
    .add({ source: 'github.com/community/liar', version: '1.0.0', describe: { version: '1.0.1' } })
    .add({ source: 'github.com/community/future', version: '1.0.0', apiVersion: 'x6.0' })
    .add({ source: 'github.com/community/cut', version: '1.0.0', cutDownload: true })
    .add({ source: 'github.com/community/stalled', version: '1.0.0', stallDownload: true })
    .add({ source: 'github.com/hashicorp/gamma', version: '0.9.0' })
    .add({ source: 'github.com/hashicorp/gamma', version: '1.0.0-beta1' })
    .add({ source: 'github.com/hashicorp/hashicups', version: '1.0.1', official: true })
    .add({ source: 'github.com/hashicorp/hashicups', version: '1.0.2', official: true })
    .add({ source: 'github.com/community/legacy', version: '1.0.0', describe: { builders: ['-packer-default-plugin-name-'], packer16: { '-packer-default-plugin-name-': 'null' } } });
});
after(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/kiln; `onStderr` sees standard error as it arrives, with the child (to signal it). */
function kiln(args: readonly string[], env: Record<string, string>, cwd = tmp, onStderr?: (text: string, child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(path.join(REPO_ROOT, 'bin', 'kiln'), args, { cwd, env: { ...process.env, PACKER_LOG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let n = 0;
/** A fresh plugin folder and the environment pointing kiln at it and at the server. */
function fresh(): { dir: string; env: Record<string, string> } {
  const dir = path.join(tmp, `plugins-${++n}`);
  return { dir, env: { PACKER_PLUGIN_PATH: dir, KILN_PLUGIN_MIRROR: server.url } };
}

function template(name: string, reqs: Record<string, [string, string]>): string {
  const file = path.join(tmp, name);
  const body = Object.entries(reqs)
    .map(([k, [source, version]]) => `    ${k} = {\n      source  = "${source}"\n      version = "${version}"\n    }`)
    .join('\n');
  writeFileSync(file, `packer {\n  required_plugins {\n${body}\n  }\n}\n`);
  return file;
}

/** Every file below `dir` (relative), empty when it does not exist. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) (e.isDirectory() ? walk : (f: string) => out.push(path.relative(dir, f)))(path.join(d, e.name));
  };
  walk(dir);
  return out.sort();
}

/** The path Packer 1.16 installs a plugin at, from its naming rules. */
function packerPath(dir: string, source: string, version: string, api = 'x5.0'): string {
  const name = source.split('/').at(-1)!;
  return path.join(dir, ...source.split('/'), `packer-plugin-${name}_v${version}_${api}_${platform.os}_${platform.arch}${platform.ext}`);
}

function assertInstalled(file: string): void {
  const sum = readFileSync(`${file}_SHA256SUM`, 'utf8');
  assert.equal(sum, createHash('sha256').update(readFileSync(file)).digest('hex'), 'the _SHA256SUM holds the lower-case hex digest and nothing else');
  assert.equal(statSync(file).mode & 0o777, 0o755);
  assert.equal(statSync(`${file}_SHA256SUM`).mode & 0o777, 0o644);
}

describe('kiln init', () => {
  test('installs two plugins at their highest matching versions, then does nothing and says so, then -upgrade moves on', async () => {
    const { dir, env } = fresh();
    const tpl = template('two.pkr.hcl', { alpha: ['github.com/hashicorp/alpha', '~> 1.0'], beta: ['github.com/community/beta', '>= 0.1'] });
    const before = server.requests.length;
    const first = await kiln(['init', tpl], env);
    assert.equal(first.status, 0, first.stdout + first.stderr);
    const alpha = packerPath(dir, 'github.com/hashicorp/alpha', '1.1.0');
    const beta = packerPath(dir, 'github.com/community/beta', '0.2.0');
    assert.equal(first.stdout, `Installed plugin github.com/hashicorp/alpha v1.1.0 in ${JSON.stringify(alpha)}\nInstalled plugin github.com/community/beta v0.2.0 in ${JSON.stringify(beta)}\n`);
    assert.deepEqual(files(dir), [alpha, `${alpha}_SHA256SUM`, beta, `${beta}_SHA256SUM`].map((f) => path.relative(dir, f)).sort());
    assertInstalled(alpha);
    assertInstalled(beta);
    const paths = server.requests.slice(before).map((r) => r.path);
    assert.ok(paths.includes('/releases.hashicorp.com/packer-plugin-alpha/1.1.0/packer-plugin-alpha_1.1.0_linux_amd64.zip'.replace('linux_amd64', `${platform.os}_${platform.arch}`)), 'the official plugin comes from the releases service');
    assert.ok(!paths.some((p) => p.includes('repos/hashicorp/packer-plugin-alpha')), 'GitHub is not asked for it');
    assert.match(first.stderr, /Downloading packer-plugin-alpha_1\.1\.0_\w+\.zip/);

    const again = await kiln(['init', tpl], env);
    assert.equal(again.status, 0);
    assert.equal(again.stdout, `Plugin github.com/hashicorp/alpha v1.1.0 is already installed in ${JSON.stringify(alpha)}\nPlugin github.com/community/beta v0.2.0 is already installed in ${JSON.stringify(beta)}\n`);
    assert.equal(again.stderr, '');

    server.add({ source: 'github.com/hashicorp/alpha', version: '1.2.0', official: true }).add({ source: 'github.com/community/beta', version: '0.3.0' });
    const up = await kiln(['init', '-upgrade', tpl], env);
    assert.equal(up.status, 0, up.stdout);
    const alpha2 = packerPath(dir, 'github.com/hashicorp/alpha', '1.2.0');
    const beta2 = packerPath(dir, 'github.com/community/beta', '0.3.0');
    assert.equal(up.stdout, `Installed plugin github.com/hashicorp/alpha v1.2.0 in ${JSON.stringify(alpha2)}\nInstalled plugin github.com/community/beta v0.3.0 in ${JSON.stringify(beta2)}\n`);
    assertInstalled(alpha2);

    const installed = await kiln(['plugins', 'installed'], env);
    assert.equal(installed.stdout, [alpha, alpha2, beta, beta2].join('\n') + '\n');
    const required = await kiln(['plugins', 'required', tpl], env);
    assert.equal(required.stdout, `alpha github.com/hashicorp/alpha "~> 1.0" ${alpha} ${alpha2}\nbeta github.com/community/beta ">= 0.1" ${beta} ${beta2}\n`);
  });

  test('a hashicorp plugin the releases service does not have comes from GitHub; prereleases are never picked', async () => {
    const { dir, env } = fresh();
    const before = server.requests.length;
    const r = await runMain(['plugins', 'install', 'github.com/hashicorp/gamma'], { env });
    assert.equal(r.status, 0, r.stdout);
    const gamma = packerPath(dir, 'github.com/hashicorp/gamma', '0.9.0');
    assert.equal(r.stdout, `Installed plugin github.com/hashicorp/gamma v0.9.0 in ${JSON.stringify(gamma)}\n`);
    assertInstalled(gamma);
    const paths = server.requests.slice(before).map((q) => q.path);
    assert.equal(paths[0], '/releases.hashicorp.com/packer-plugin-gamma/index.json');
    assert.equal(paths[1], '/api.github.com/repos/hashicorp/packer-plugin-gamma/git/matching-refs/tags');
    assert.ok(!paths.some((p) => p.includes('1.0.0-beta1')));
  });

  test('two inits at once end with one correct install and nothing else', async () => {
    const { dir, env } = fresh();
    const tpl = template('one.pkr.hcl', { beta: ['github.com/community/beta', '~> 0.1.0'] });
    const [a, b] = await Promise.all([kiln(['init', tpl], env), kiln(['init', tpl], env)]);
    assert.equal(a.status, 0, a.stdout);
    assert.equal(b.status, 0, b.stdout);
    const beta = packerPath(dir, 'github.com/community/beta', '0.1.0');
    assert.deepEqual(files(dir), [beta, `${beta}_SHA256SUM`].map((f) => path.relative(dir, f)));
    assertInstalled(beta);
    assert.match(a.stdout + b.stdout, /Installed plugin github\.com\/community\/beta v0\.1\.0/);
  });

  const refusals: [string, string, string, RegExp][] = [
    ['a checksum mismatch', 'github.com/community/tampered', '>= 1', /Checksums \(sha256\) did not match for packer-plugin-tampered_v1\.0\.0_x5\.0_\w+\.zip/],
    ['a describe disagreeing with the name', 'github.com/community/liar', '>= 1', /binary reported version \("1\.0\.1"\) is different from the expected "1\.0\.0"/],
    ['an API version kiln cannot speak', 'github.com/community/future', '>= 1', /packer-plugin-future_v1\.0\.0_x6\.0_\w+\.zip: unsupported remote protocol MAJOR version 6/],
    ['no release matching', 'github.com/community/beta', '>= 5', /no matching version found in releases of github\.com\/community\/beta on github\.com for ">= 5"\. Versions seen: v0\.3\.0, v0\.2\.0, v0\.1\.0/],
    ['a download cut half-way', 'github.com/community/cut', '>= 1', /Error getting plugin packer-plugin-cut_v1\.0\.0_x5\.0_\w+\.zip: GET .*: connection closed/],
    ['an unknown plugin', 'github.com/community/nothing', '>= 1', /GET http:\/\/127\.0\.0\.1:\d+\/api\.github\.com\/repos\/community\/packer-plugin-nothing\/git\/matching-refs\/tags: 404 Not Found/],
  ];
  for (const [what, source, version, message] of refusals) {
    test(`refuses ${what} with a clear message and installs nothing`, async () => {
      const { dir, env } = fresh();
      const r = await kiln(['init', template(`refuse-${n}.pkr.hcl`, { p: [source, version] })], env);
      assert.equal(r.status, 1);
      assert.match(r.stdout, new RegExp(`^Failed getting the "${source.replace(/\./g, '\\.')}" plugin:\n\\d+ errors? occurred:\n`));
      assert.match(r.stdout, message);
      assert.deepEqual(files(dir), []);
    });
  }

  test('refuses when the server is unreachable', async () => {
    const { dir, env } = fresh();
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await kiln(['init', template('unreachable.pkr.hcl', { alpha: ['github.com/hashicorp/alpha', '>= 1'] })], { ...env, KILN_PLUGIN_MIRROR: `http://127.0.0.1:${port}` });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Failed getting the "github\.com\/hashicorp\/alpha" plugin:\n1 error occurred:\n\t\* GET http:\/\/127\.0\.0\.1:\d+\/api\.github\.com\/repos\/hashicorp\/packer-plugin-alpha\/git\/matching-refs\/tags: connect ECONNREFUSED/);
    assert.deepEqual(files(dir), []);
  });

  test('Ctrl-C during a download stops it, exit 1, nothing left behind', async () => {
    const { dir, env } = fresh();
    let sent = false;
    const r = await kiln(['init', template('stalled.pkr.hcl', { s: ['github.com/community/stalled', '>= 1'] })], env, tmp, (err, child) => {
      if (!sent && err.includes('Downloading packer-plugin-stalled')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    assert.ok(sent, r.stderr);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Cancelling build after receiving interrupt[\s\S]*Failed getting the "github\.com\/community\/stalled" plugin:/);
    assert.deepEqual(files(dir), []);
  });

  test('a GitHub rate limit says when to retry and which token to set; the token goes to the API only', async () => {
    const { dir, env } = fresh();
    server.rateLimited = true;
    try {
      const before = server.requests.length;
      const r = await kiln(['init', template('limited.pkr.hcl', { beta: ['github.com/community/beta', '>= 0.1'] })], { ...env, GITHUB_TOKEN: 'sekrit' });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /Plugin host rate limited the plugin getter\. Try again in (59m\d+s|1h0m0s)\.\nHINT: Set the PACKER_GITHUB_API_TOKEN \(or GITHUB_TOKEN\) env var/);
      assert.match(r.stdout, /403 API rate limit exceeded/);
      assert.deepEqual(server.requests.slice(before).map((q) => q.authorization), ['Bearer sekrit']);
    } finally {
      server.rateLimited = false;
    }
    const ok = await kiln(['init', template('token.pkr.hcl', { beta: ['github.com/community/beta', '~> 0.2.0'] })], { ...env, GITHUB_TOKEN: 'sekrit' });
    assert.equal(ok.status, 0, ok.stdout);
    const downloads = server.requests.filter((q) => q.path.startsWith('/github.com/') || q.path.startsWith('/objects/'));
    assert.ok(downloads.length > 0 && downloads.every((q) => q.authorization === undefined));
    assert.equal(files(dir).length, 2);
  });

  test('a legacy JSON template has no required_plugins; a non-GitHub source cannot be installed', async () => {
    const { env } = fresh();
    const json = path.join(tmp, 'legacy.json');
    writeFileSync(json, JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }] }));
    const r = await kiln(['init', json], env);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Error: Packer plugins currently only works with HCL2 configuration templates/);
    const gl = await kiln(['init', template('gitlab.pkr.hcl', { x: ['gitlab.com/ns/x', '>= 1'] })], env);
    assert.equal(gl.status, 1);
    assert.match(gl.stdout, /"gitlab\.com\/ns\/x" doesn't appear to be a valid "github\.com" source address/);
    const none = await kiln(['init', template('none.pkr.hcl', {})], env);
    assert.equal(none.status, 0);
    assert.match(none.stdout, /No plugins requirement found/);
  });

  test('-force reinstalls the installed version; a prerelease constraint is refused', async () => {
    const { dir, env } = fresh();
    const tpl = template('force.pkr.hcl', { beta: ['github.com/community/beta', '>= 0.1'] });
    assert.equal((await kiln(['plugins', 'install', 'github.com/community/beta', '0.1.0'], env)).status, 0);
    const beta = packerPath(dir, 'github.com/community/beta', '0.1.0');
    assert.match((await kiln(['init', tpl], env)).stdout, /is already installed/);
    const r = await kiln(['init', '-force', tpl], env);
    assert.equal(r.stdout, `Installed plugin github.com/community/beta v0.1.0 in ${JSON.stringify(beta)}\n`);
    assertInstalled(beta);
    const pre = await kiln(['plugins', 'install', 'github.com/community/beta', '0.2.0-dev'], env);
    assert.equal(pre.status, 1);
    assert.match(pre.stdout, /Unsupported prerelease for constraint "0\.2\.0-dev"/);
    mkdirSync(path.join(tmp, 'pre'), { recursive: true });
    writeFileSync(path.join(tmp, 'pre', 'p.pkr.hcl'), 'packer {\n  required_plugins {\n    beta = {\n      source  = "github.com/community/beta"\n      version = ">= 0.2.0-dev"\n    }\n  }\n}\n');
    const preInit = await kiln(['init', path.join(tmp, 'pre', 'p.pkr.hcl')], env);
    assert.equal(preInit.status, 1);
    assert.match(preInit.stdout, /Invalid version constraint[\s\S]*Unsupported prerelease for constraint/);
  });
});

describe("kiln plugins install (Packer's command/plugins_install_test.go table)", () => {
  /** Packer's fixture: v1.0.1 for three platforms, contents that are not plugins, correct checksums. */
  function seeded(dir: string): void {
    for (const [p, content] of [
      ['darwin_amd64', '1'],
      ['windows_amd64.exe', '1.exe'],
      [`${platform.os}_${platform.arch}${platform.ext}`, '1.out'],
    ] as const) {
      const file = path.join(dir, 'github.com/hashicorp/hashicups', `packer-plugin-hashicups_v1.0.1_x5.0_${p}`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      writeFileSync(`${file}_SHA256SUM`, createHash('sha256').update(content).digest('hex'));
    }
  }
  const snapshot = (dir: string): string[] => files(dir).map((f) => `${f} ${createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex')}`);

  test('already installed: a no-op that leaves the folder as it was', async () => {
    const { dir, env } = fresh();
    seeded(dir);
    const before = snapshot(dir);
    const r = await runMain(['plugins', 'install', 'github.com/hashicorp/hashicups', 'v1.0.1'], { env });
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(snapshot(dir), before);
  });

  test('a newer version is added beside the installed ones', async () => {
    const { dir, env } = fresh();
    seeded(dir);
    const before = snapshot(dir);
    const r = await runMain(['plugins', 'install', 'github.com/hashicorp/hashicups', 'v1.0.2'], { env });
    assert.equal(r.status, 0, r.stdout);
    const added = packerPath(dir, 'github.com/hashicorp/hashicups', '1.0.2');
    assert.equal(r.stdout, `Installed plugin github.com/hashicorp/hashicups v1.0.2 in ${JSON.stringify(added)}\n`);
    assert.deepEqual(files(dir), [...before.map((l) => l.split(' ')[0]!), path.relative(dir, added), `${path.relative(dir, added)}_SHA256SUM`].sort());
    assertInstalled(added);
  });

  for (const [name, args] of [
    ['a non-GitHub source address', ['example.com/hashicorp/hashicups', 'v0.2.19']],
    ['several source addresses', ['github.com/hashicorp/hashicups', 'v0.2.18', 'github.com/hashicorp/hashicups', 'v0.2.19']],
    ['no source address', []],
  ] as const) {
    test(`${name}: exit 1, nothing installed`, async () => {
      const { dir, env } = fresh();
      const r = await runMain(['plugins', 'install', ...args], { env });
      assert.equal(r.status, 1);
      assert.deepEqual(files(dir), []);
    });
  }
});
