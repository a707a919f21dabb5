/**
 * The secret functions end to end. Vault and Consul are not packaged for Debian 12, so
 * they run against the API-subset fakes in test/support (fake-vault.ts, fake-consul.ts);
 * AWS Secrets Manager runs against a real emulator, moto_server (test/support/moto.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Value } from '../../hcl/cty/value.js';
import { EvalContext } from '../../hcl/eval-context.js';
import { evaluate } from '../../hcl/syntax/eval.js';
import { parseExpression } from '../../hcl/syntax/parse.js';
import type { FakeConsul } from '../../../test/support/fake-consul.js';
import { startFakeConsul } from '../../../test/support/fake-consul.js';
import type { FakeVault } from '../../../test/support/fake-vault.js';
import { startFakeVault, startFakeVaultProcess } from '../../../test/support/fake-vault.js';
import type { MotoServer } from '../../../test/support/moto.js';
import { startMoto } from '../../../test/support/moto.js';
import type { Env, SecretCall } from './secret-backends.js';
import { fetchSecret, secretValue } from './secret-backends.js';
import { secretCallsIn } from './secret-calls.js';
import { SecretResolver } from './secret-resolver.js';
import { secretFunctions } from './secrets.js';

/** Evaluates `src` with the secret functions after the pre-pass; returns the value or the error text. */
async function run(src: string, resolver: SecretResolver, variables: Record<string, Value> = {}): Promise<string> {
  const parsed = parseExpression(src);
  assert.equal(parsed.diagnostics.length, 0);
  await resolver.prefetch(secretCallsIn(parsed.value));
  const ctx = new EvalContext({ variables, functions: { ...secretFunctions(resolver) } });
  const r = evaluate(parsed.value, ctx);
  if (r.diagnostics.length > 0) return `error: ${r.diagnostics[0]!.detail}`;
  return r.value.asString();
}

describe('vault (fake Vault: KV v1 and v2)', () => {
  let vault: FakeVault;
  let env: Env;
  before(async () => {
    vault = await startFakeVault({
      token: 'root-token',
      kv2: { secret: { 'app/db': { password: 's3cr3t', port: 5432 }, 'app/other': { password: 'other' } } },
      kv1: { kv: { 'legacy/app': { user: 'admin' } } },
    });
    env = { VAULT_ADDR: vault.address, VAULT_TOKEN: 'root-token' };
  });
  after(() => vault.stop());

  test('reads KV v2 data.data[key] and KV v1 data[key]', async () => {
    const r = new SecretResolver({ env, fetchSync: false });
    assert.equal(await run('vault("secret/data/app/db", "password")', r), 's3cr3t');
    assert.equal(await run('vault("/kv/legacy/app", "user")', r), 'admin');
  });

  test("Packer's errors", async () => {
    const r = new SecretResolver({ env, fetchSync: false });
    assert.equal(await run('vault("secret/data/app/db", "nope")', r), 'error: Call to function "vault" failed: Vault path does not contain the requested key.');
    assert.equal(await run('vault("secret/data/missing", "x")', r), 'error: Call to function "vault" failed: Vault Secret does not exist at the given path.');
    assert.match(await run('vault("kv/legacy/app", "nope")', r), /Vault data was empty at the given path\. Check the Vault function docs for help: https:\/\/www\.packer\.io\/docs\/templates\/hcl_templates\/functions\/contextual\/vault\. Original warnings from Vault call: \.$/);
    assert.match(await run('vault("secret/app/db", "password")', r), /Original warnings from Vault call: Invalid path for a versioned K\/V secrets engine/);
    const noToken = new SecretResolver({ env: { VAULT_ADDR: vault.address }, fetchSync: false });
    assert.match(await run('vault("secret/data/app/db", "password")', noToken), /Must set VAULT_TOKEN env var in order to use vault template function/);
    const badToken = new SecretResolver({ env: { VAULT_ADDR: vault.address, VAULT_TOKEN: 'wrong' }, fetchSync: false });
    assert.match(await run('vault("secret/data/app/db", "password")', badToken), /Error reading vault secret: Error making API request\.\n\nURL: GET .*\nCode: 403\. Errors:\n\n\* permission denied/);
  });

  test('the pre-pass fetches each constant call once; computed arguments use the synchronous child fetch', async () => {
    // The child fetch blocks this process, so this Vault must live in another process.
    const remote = await startFakeVaultProcess({ token: 'root-token', kv2: { secret: { 'app/db': { password: 's3cr3t' }, 'app/other': { password: 'other' } } } });
    try {
      const fetched: SecretCall[] = [];
      const r = new SecretResolver({
        env: { VAULT_ADDR: remote.address, VAULT_TOKEN: 'root-token' },
        fetch: (call, e) => {
          fetched.push(call);
          return fetchSecret(call, e);
        },
      });
      const src = '"${vault("secret/data/app/db", "password")}-${vault("secret/data/app/db", "password")}-${vault("secret/data/${var.app}", "password")}"';
      const vars = { var: evaluate(parseExpression('{ app = "app/other" }').value, undefined).value };
      assert.equal(await run(src, r, vars), 's3cr3t-s3cr3t-other');
      assert.deepEqual(fetched, [{ kind: 'vault', path: 'secret/data/app/db', key: 'password' }], 'the pre-pass saw only the constant call, once');
    } finally {
      await remote.stop();
    }
  });
});

describe('consul_key (fake Consul KV)', () => {
  let consul: FakeConsul;
  before(async () => {
    consul = await startFakeConsul({ kv: { 'app/version': '1.2.3', 'app/empty': '' }, token: 'acl-token' });
  });
  after(() => consul.stop());

  test('reads a key with the ACL token; missing and empty keys are errors', async () => {
    const r = new SecretResolver({ env: { CONSUL_HTTP_ADDR: consul.address, CONSUL_HTTP_TOKEN: 'acl-token' }, fetchSync: false });
    assert.equal(await run('consul_key("app/version")', r), '1.2.3');
    assert.equal(await run('consul_key("app/missing")', r), 'error: Call to function "consul_key" failed: key does not exist at the given path: app/missing.');
    assert.equal(await run('consul_key("app/empty")', r), 'error: Call to function "consul_key" failed: value is empty at path app/empty.');
    const anon = new SecretResolver({ env: { CONSUL_HTTP_ADDR: `http://${consul.address}` }, fetchSync: false });
    assert.equal(await run('consul_key("app/version")', anon), 'error: Call to function "consul_key" failed: error reading consul key: Unexpected response code: 403 (ACL not found).');
  });
});

describe('aws_secretsmanager (moto_server)', () => {
  let moto: MotoServer;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    moto = await startMoto();
    for (const [k, v] of Object.entries(moto.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const client = new SecretsManagerClient({});
    await client.send(new CreateSecretCommand({ Name: 'app/db', SecretString: JSON.stringify({ password: 'hunter2', port: 5432 }) }));
    await client.send(new CreateSecretCommand({ Name: 'app/token', SecretString: 'plain-token' }));
    await client.send(new CreateSecretCommand({ Name: 'app/single', SecretString: '{"only":"one"}' }));
    client.destroy();
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto.stop();
  });

  test('JSON keys, plain text, raw, and a null key', async () => {
    const r = new SecretResolver({ fetchSync: false });
    assert.equal(await run('aws_secretsmanager("app/db", "password")', r), 'hunter2');
    assert.equal(await run('aws_secretsmanager("app/db", "port")', r), '5432');
    assert.equal(await run('aws_secretsmanager("app/token", null)', r), 'plain-token');
    assert.equal(await run('aws_secretsmanager("app/single", null)', r), 'one');
    assert.equal(await run('aws_secretsmanager_raw("app/db")', r), '{"password":"hunter2","port":5432}');
    assert.equal(await run('aws_secretsmanager("app/db", null)', r), 'error: Call to function "aws_secretsmanager" failed: Secret has multiple values and no key was set.');
    assert.match(await run('aws_secretsmanager("app/missing", null)', r), /ResourceNotFoundException/);
  });

  test('the synchronous child fetch reaches the same secrets', () => {
    const r = new SecretResolver();
    const call: SecretCall = { kind: 'aws_secretsmanager', name: 'app/db', key: 'password' };
    assert.deepEqual(r.lookup(call), { kind: 'ok', value: 'hunter2' });
  });
});

test("secret value rules of the SDK's GetSecret (Packer's table)", () => {
  const cases: ReadonlyArray<[string, string, boolean, string]> = [
    ['{"key": "test"}', '', false, 'ok:test'],
    ['{"key": "test"}', 'key', false, 'ok:test'],
    ['{"first_key": "first_val", "second_key": "second_val"}', 'second_key', false, 'ok:second_val'],
    ['{"first_key": "first_val", "second_key": "second_val"}', '', false, 'error:Secret has multiple values and no key was set'],
    ['{"key": "test"}', 'nonexistent', false, 'error:No secret found for key "nonexistent"'],
    ['ThisIsThePassword', '', false, 'ok:ThisIsThePassword'],
    ['{"port": 5432}', '', false, 'ok:5432'],
    ['{"foo":{"bar":"baz"}}', '', true, 'ok:{"foo":{"bar":"baz"}}'],
    ['{"foo":{"bar":"baz"}}', '', false, 'error:Unsupported secret value type: map[string]interface {}'],
    ['{"n": 2.5}', '', false, 'ok:2'],
  ];
  for (const [secret, key, raw, want] of cases) {
    const r = secretValue(secret, key, raw);
    assert.equal(r.kind === 'ok' ? `ok:${r.value}` : `error:${r.message}`, want, secret);
  }
});
