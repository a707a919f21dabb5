import assert from 'node:assert/strict';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixedCacheSecret } from '../../src/core/fingerprint/secret.js';
import { keyTemplate, keysOf, templateDir, TEST_SECRET } from './helpers.js';

const TEMPLATE = `
variable "greeting" {
  type    = string
  default = "hello"
}
variable "token" {
  type      = string
  default   = "s3cr3t-t0ken-value"
  sensitive = true
}
variable "pause" {
  type    = string
  default = "1s"
}
source "docker" "app" {
  image  = "debian:bookworm"
  commit = true
}
build {
  sources = ["source.docker.app"]
  provisioner "shell" {
    inline = ["echo \${var.greeting}"]
  }
  provisioner "file" {
    source      = "\${path.root}/files/app.conf"
    destination = "/tmp/app.conf"
  }
  provisioner "shell" {
    script           = "\${path.root}/files/setup.sh"
    environment_vars = ["TOKEN=\${var.token}"]
  }
  provisioner "shell" {
    inline = ["echo connecting to \${build.Host}"]
  }
  provisioner "shell" {
    inline      = ["echo last"]
    pause_after = var.pause
  }
}
`;

describe('fingerprint: a docker build with five provisioners', () => {
  let t: Awaited<ReturnType<typeof templateDir>>;
  before(async () => {
    t = await templateDir({ 'build.pkr.hcl': TEMPLATE, 'files/app.conf': 'port=80\n', 'files/setup.sh': '#!/bin/sh\necho setup\n' });
  });
  after(() => t.dispose());

  it('is stable across runs and keyed as a chain', async () => {
    const [a] = await keyTemplate(t.dir);
    const [b] = await keyTemplate(t.dir);
    assert.ok(a && b);
    assert.deepEqual(keysOf(a), keysOf(b));
    assert.equal(a.build, 'docker.app');
    assert.equal(a.steps.length, 5);
    assert.equal(a.base.parent, null);
    for (let i = 0; i < a.steps.length; i++) assert.equal(a.steps[i]?.parent, i === 0 ? a.base.key : a.steps[i - 1]?.key);
    for (const k of keysOf(a)) assert.match(k, /^[0-9a-f]{64}$/);
    assert.equal(new Set(keysOf(a)).size, 7);
    assert.equal(a.barrier, undefined);
  });

  it('a changed uploaded file changes its step and every later one, nothing before', async () => {
    const [before1] = await keyTemplate(t.dir);
    await t.write('files/app.conf', 'port=8080\n');
    const [after1] = await keyTemplate(t.dir);
    await t.write('files/app.conf', 'port=80\n');
    assert.ok(before1 && after1);
    const k0 = keysOf(before1);
    const k1 = keysOf(after1);
    assert.equal(k1[0], k0[0]);
    assert.equal(k1[1], k0[1]);
    for (let i = 2; i < k0.length; i++) assert.notEqual(k1[i], k0[i], `key ${i}`);
    const conf = after1.steps[1]?.inputs.find((i) => i.path === 'files/app.conf');
    assert.match(conf?.value ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(after1.steps[1]?.inputs.some((i) => i.path === 'source' && i.value === '"files/app.conf"'));
  });

  it('a changed script changes step 3 onwards; touching it changes nothing; its mode does', async () => {
    const [k0] = await keyTemplate(t.dir);
    const file = path.join(t.dir, 'files/setup.sh');
    await utimes(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
    const [touched] = await keyTemplate(t.dir);
    assert.ok(k0 && touched);
    assert.deepEqual(keysOf(touched), keysOf(k0));
    await t.write('files/setup.sh', '#!/bin/sh\necho setup changed\n');
    const [changed] = await keyTemplate(t.dir);
    await t.write('files/setup.sh', '#!/bin/sh\necho setup\n');
    assert.ok(changed);
    assert.deepEqual(keysOf(changed).slice(0, 3), keysOf(k0).slice(0, 3));
    for (let i = 3; i < 7; i++) assert.notEqual(keysOf(changed)[i], keysOf(k0)[i]);
  });

  it('a variable used by step 1 changes every step key; a noEffect field changes none', async () => {
    const [k0] = await keyTemplate(t.dir);
    const [greet] = await keyTemplate(t.dir, { greeting: 'bonjour' });
    const [pause] = await keyTemplate(t.dir, { pause: '5s' });
    assert.ok(k0 && greet && pause);
    assert.equal(greet.base.key, k0.base.key);
    for (let i = 1; i < 7; i++) assert.notEqual(keysOf(greet)[i], keysOf(k0)[i]);
    assert.deepEqual(keysOf(pause), keysOf(k0));
    assert.ok(greet.steps[0]?.inputs.some((i) => i.path === 'inline[0]' && i.value === '"echo bonjour"'));
  });

  it('a sensitive variable enters as an HMAC: changes keys, never appears', async () => {
    const [k0] = await keyTemplate(t.dir);
    const [other] = await keyTemplate(t.dir, { token: 'another-secret-value' });
    assert.ok(k0 && other);
    assert.deepEqual(keysOf(other).slice(0, 3), keysOf(k0).slice(0, 3));
    for (let i = 3; i < 7; i++) assert.notEqual(keysOf(other)[i], keysOf(k0)[i]);
    const text = JSON.stringify([k0, other]);
    assert.ok(!text.includes('s3cr3t-t0ken-value'));
    assert.ok(!text.includes('another-secret-value'));
    const env = k0.steps[2]?.inputs.find((i) => i.path === 'environment_vars[0]');
    assert.match(env?.value ?? '', /^hmac:[0-9a-f]{64}$/);
    assert.equal(env?.sensitive, true);
    // Under another user's secret the same value gives other keys (no plain hash to brute-force).
    const [otherSecret] = await keyTemplate(t.dir, {}, fixedCacheSecret(Buffer.alloc(32, 9)));
    assert.ok(otherSecret);
    assert.equal(otherSecret.steps[1]?.key, k0.steps[1]?.key);
    assert.notEqual(otherSecret.steps[2]?.key, k0.steps[2]?.key);
  });

  it('a bust value changes every key, the same value gives the same keys', async () => {
    const [k0] = await keyTemplate(t.dir);
    const [b1] = await keyTemplate(t.dir, {}, TEST_SECRET, 'v1');
    const [b1again] = await keyTemplate(t.dir, {}, TEST_SECRET, 'v1');
    assert.ok(k0 && b1 && b1again);
    for (let i = 0; i < 7; i++) assert.notEqual(keysOf(b1)[i], keysOf(k0)[i]);
    assert.deepEqual(keysOf(b1again), keysOf(b1));
    assert.ok(b1.base.inputs.some((i) => i.path === '(bust)' && i.value === '"v1"'));
  });

  it("the build's generated data enters as a placeholder, never a run's value", async () => {
    const [k0] = await keyTemplate(t.dir);
    assert.ok(k0);
    const host = k0.steps[3]?.inputs.find((i) => i.path === 'inline[0]');
    assert.equal(host?.value, '"echo connecting to <unknown>"');
  });
});
