// `kiln build` end to end over indirect SSH routes: a bastion (OpenSSH sshd in front
// of dropbear) and a SOCKS5 proxy (Dante's danted, without and with username auth),
// each carrying the `shell` and `file` provisioners of a `null` build run by bin/kiln.
// The servers' own logs show the route was taken.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTestUser, startDanted, startDropbear, startSshd } from '../support/sshd.js';
import type { TestServer, TestUser } from '../support/sshd.js';
import { kilnBuild, nullSshSource, provisioner, template, tempFolder, writeTemplate } from './ssh-harness.js';
import type { HclValue, SshAuth } from './ssh-harness.js';

let user: TestUser;
let work: string;
let payload: string;
const servers: TestServer[] = [];

async function started(s: Promise<TestServer>): Promise<TestServer> {
  const server = await s;
  servers.push(server);
  await server.ready;
  return server;
}

before(() => {
  user = ensureTestUser();
  work = tempFolder('ssh-routes');
  payload = path.join(work, 'payload.txt');
  writeFileSync(payload, 'carried along\n');
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(work, { recursive: true, force: true });
});

/** Builds against `target` with `route` options; checks the shell ran and the file arrived. */
async function buildVia(name: string, target: TestServer, auth: SshAuth, route: Readonly<Record<string, HclValue>>): Promise<string> {
  const remote = tempFolder(name, user);
  try {
    const dir = writeTemplate(work, name, template([nullSshSource('box', target, user, auth, { ...route, ssh_timeout: '60s' })], ['box'], [
      provisioner('shell', { inline: ['echo "routed as $(whoami)"'] }),
      provisioner('file', { source: payload, destination: `${remote}/payload.txt` }),
    ]));
    const run = await kilnBuild(dir);
    assert.equal(run.status, 0, run.out);
    assert.match(run.out, /routed as kilntest/);
    assert.equal(readFileSync(`${remote}/payload.txt`, 'utf8'), 'carried along\n');
    return run.out;
  } finally {
    rmSync(remote, { recursive: true, force: true });
  }
}

describe('bastion: sshd in front of dropbear', () => {
  for (const auth of ['password', 'key'] as const) {
    it(`reaches dropbear through the sshd bastion (bastion ${auth} auth)`, async () => {
      // DEBUG1 makes sshd log each direct-tcpip channel with its target.
      const bastion = await started(startSshd({ extraConfig: ['LogLevel DEBUG1'] }));
      const target = await started(startDropbear());
      const bastionAuth: Record<string, HclValue> = auth === 'password' ? { ssh_bastion_password: user.password } : { ssh_bastion_private_key_file: user.privateKeyPath };
      // Packer's rule: a bastion without a key of its own reuses ssh_private_key_file,
      // so the password case logs in to the target with a password too.
      await buildVia(`bastion-${auth}`, target, auth, {
        ssh_bastion_host: bastion.host,
        ssh_bastion_port: bastion.port,
        ssh_bastion_username: user.name,
        ...bastionAuth,
      });
      const log = readFileSync(bastion.logPath, 'utf8');
      assert.match(log, new RegExp(`Accepted ${auth === 'password' ? 'password' : 'publickey'} for kilntest`), log);
      assert.match(log, new RegExp(`direct-tcpip.*127\\.0\\.0\\.1 port ${target.port}|target 127\\.0\\.0\\.1 port ${target.port}`), log);
    });
  }

  it('a wrong bastion password fails the build naming the bastion, exit 1', async () => {
    const bastion = await started(startSshd());
    const target = await started(startDropbear());
    const dir = writeTemplate(work, 'bastion-wrong', template([nullSshSource('box', target, user, 'password', {
      ssh_bastion_host: bastion.host,
      ssh_bastion_port: bastion.port,
      ssh_bastion_username: user.name,
      ssh_bastion_password: 'wrong',
      ssh_handshake_attempts: 2,
    })], ['box'], [provisioner('shell', { inline: ['echo never'] })]));
    const run = await kilnBuild(dir);
    assert.equal(run.status, 1, run.out);
    assert.match(run.out, new RegExp(`unable to authenticate as user "kilntest" on bastion 127\\.0\\.0\\.1:${bastion.port}`));
  });
});

describe('SOCKS5 proxy: danted in front of sshd', () => {
  for (const auth of ['none', 'username'] as const) {
    it(`reaches sshd through danted (SOCKS auth ${auth})`, async () => {
      const proxy = await started(startDanted({ auth }));
      const target = await started(startSshd());
      await buildVia(`socks-${auth}`, target, 'key', {
        ssh_proxy_host: proxy.host,
        ssh_proxy_port: proxy.port,
        ...(auth === 'username' ? { ssh_proxy_username: user.name, ssh_proxy_password: user.password } : {}),
      });
      // danted logs each CONNECT it passes: "... -> 127.0.0.1.<port>".
      const log = readFileSync(proxy.logPath, 'utf8');
      assert.match(log, new RegExp(`127\\.0\\.0\\.1\\.${target.port}`), log);
    });
  }
});
