/**
 * The loader's secret pre-pass against stand-in secret stores: Vault and Consul are
 * not packaged for Debian 12 (and cannot be downloaded here), so these tests use the
 * API-subset fakes in test/support (fake-vault.ts, fake-consul.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as cty from '../../hcl/cty/index.js';
import { renderDiagnostics } from '../../hcl/diagnostic-text.js';
import type { FakeConsul } from '../../../test/support/fake-consul.js';
import { startFakeConsul } from '../../../test/support/fake-consul.js';
import type { FakeVault } from '../../../test/support/fake-vault.js';
import { startFakeVault, startFakeVaultProcess } from '../../../test/support/fake-vault.js';
import { MOCK_SCHEMA, mockRegistry } from '../../../test/support/mock-components.js';
import { SecretResolver } from '../functions/secret-resolver.js';
import type { LoadOptions, LoadResult } from '../load-hcl2-template.js';
import { loadHcl2Template } from '../load-hcl2-template.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function load(src: string, opts: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-secrets-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'main.pkr.hcl'), src);
  return loadHcl2Template(dir, opts, mockRegistry());
}

const local = (r: LoadResult, name: string) => cty.unmarkDeep(r.description!.locals.find((l) => l.name === name)!.value)[0].asString();

const TEMPLATE = `
variable "app" {
  default = "app/other"
}
locals {
  db       = vault("secret/data/app/db", "password")
  again    = "\${vault("secret/data/app/db", "password")}!"
  version  = consul_key("app/version")
  computed = vault("secret/data/\${var.app}", "password")
}
source "amazon-ebs" "u" {
  string = vault("secret/data/app/db", "password")
}
build {
  sources = ["amazon-ebs.u"]
  provisioner "shell" {
    string = consul_key("app/version")
  }
}
`;

describe('the secret pre-pass', () => {
  let vault: FakeVault;
  let consul: FakeConsul;
  before(async () => {
    vault = await startFakeVault({ token: 'root', kv2: { secret: { 'app/db': { password: 's3cr3t' }, 'app/other': { password: 'other' } } } });
    consul = await startFakeConsul({ kv: { 'app/version': '1.2.3' } });
  });
  after(async () => {
    await vault.stop();
    await consul.stop();
  });

  it('fetches each literal call once before evaluation; the sources and builds see the same answers', async () => {
    const env = { VAULT_ADDR: vault.address, VAULT_TOKEN: 'root', CONSUL_HTTP_ADDR: consul.address };
    // No synchronous fallback: a call the pre-pass missed fails instead of fetching.
    const secrets = new SecretResolver({ env, fetchSync: false });
    const r = await load(TEMPLATE, { env, secrets });
    assert.deepEqual([local(r, 'db'), local(r, 'again'), local(r, 'version')], ['s3cr3t', 's3cr3t!', '1.2.3']);
    assert.deepEqual(vault.requests, ['/v1/secret/data/app/db']);
    assert.equal(consul.requests.length, 1);
    // A computed argument is outside the pre-pass; the default resolver fetches it synchronously.
    assert.match(renderDiagnostics(r.diagnostics, r.files), /Call to function "vault" failed: secret .*was not fetched before evaluation/);
  });

  it('answers in builder and provisioner configs from the same cache', async () => {
    const env = { VAULT_ADDR: vault.address, VAULT_TOKEN: 'root', CONSUL_HTTP_ADDR: consul.address };
    const secrets = new SecretResolver({ env, fetchSync: false });
    const r = await load(TEMPLATE.replace(/ {2}computed.*\n/, ''), { env, secrets });
    assert.deepEqual(r.diagnostics, []);
    const build = r.model!.builds[0]!;
    assert.equal(build.builder.decode(MOCK_SCHEMA).config['string'], 's3cr3t');
    assert.equal(build.provisioners[0]!.decode(MOCK_SCHEMA).config['string'], '1.2.3');
  });

  it('uses a resolver of its own over LoadOptions.env by default, computed calls included', async () => {
    // The synchronous fallback blocks this process, so this Vault runs in another one.
    const remote = await startFakeVaultProcess({ token: 'root', kv2: { secret: { 'app/db': { password: 's3cr3t' }, 'app/other': { password: 'other' } } } });
    try {
      const env = { VAULT_ADDR: remote.address, VAULT_TOKEN: 'root', CONSUL_HTTP_ADDR: consul.address };
      const r = await load(TEMPLATE, { env });
      assert.equal(renderDiagnostics(r.diagnostics, r.files), '');
      assert.deepEqual([local(r, 'db'), local(r, 'computed')], ['s3cr3t', 'other']);
    } finally {
      await remote.stop();
    }
  });
});
