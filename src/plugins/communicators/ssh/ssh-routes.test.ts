/**
 * Ways to reach the machine and to log in: a bastion (sshd in front of dropbear), a
 * SOCKS5 proxy (Dante's danted), local tunnels, and temporary key pairs with
 * `ssh_clear_authorized_keys` cleanup. All against real servers on loopback.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { addAuthorizedKey, ensureTestUser, freePort, startDanted, startDropbear, startSshd } from '../../../../test/support/sshd.js';
import type { TestServer, TestUser } from '../../../../test/support/sshd.js';
import { clearAuthorizedKeys } from './clear-authorized-keys.js';
import { SshAuthError } from './connect.js';
import { generateKeyPair } from '../../../sdk/ssh/key-pair.js';
import { capture, connectTo, recordingLogger } from './test-helpers.js';

let user: TestUser;
let sshd: TestServer;
let dropbear: TestServer;
const servers: TestServer[] = [];

before(async () => {
  user = ensureTestUser();
  sshd = await startSshd();
  dropbear = await startDropbear();
  servers.push(sshd, dropbear);
  await Promise.all([sshd.ready, dropbear.ready]);
});
after(async () => {
  for (const s of servers) await s.stop();
});

describe('bastion', () => {
  test('reaches dropbear through sshd', async () => {
    const { log, lines } = recordingLogger();
    const comm = await connectTo(
      {
        ssh_host: dropbear.host,
        ssh_port: dropbear.port,
        ssh_username: user.name,
        ssh_private_key_file: user.privateKeyPath,
        ssh_bastion_host: sshd.host,
        ssh_bastion_port: sshd.port,
        ssh_bastion_username: user.name,
        ssh_bastion_password: user.password,
      },
      { log },
    );
    try {
      // dropbear names itself in SSH_CONNECTION's server port; the client side is sshd's forward.
      const r = await capture(comm, 'echo "$SSH_CONNECTION"');
      assert.equal(r.status, 0);
      assert.match(r.stdout, new RegExp(` ${dropbear.port}\\n$`));
      assert.ok(lines.some((l) => l.includes(`through bastion at ${sshd.host}:${sshd.port}`)), lines.join('\n'));
      assert.match(readFileSync(dropbear.logPath, 'utf8'), /Pubkey auth succeeded for 'kilntest'/);
    } finally {
      await comm.close();
    }
  });

  test('a wrong bastion password is an authentication error naming the bastion', async () => {
    await assert.rejects(
      connectTo({
        ssh_host: dropbear.host,
        ssh_port: dropbear.port,
        ssh_username: user.name,
        ssh_password: user.password,
        ssh_handshake_attempts: 1,
        ssh_bastion_host: sshd.host,
        ssh_bastion_port: sshd.port,
        ssh_bastion_username: user.name,
        ssh_bastion_password: 'wrong',
      }),
      (e: unknown) => e instanceof SshAuthError && e.message.includes(`bastion ${sshd.host}:${sshd.port}`),
    );
  });
});

describe('SOCKS5 proxy (danted)', () => {
  for (const auth of ['none', 'username'] as const) {
    test(`connects through danted with socksmethod ${auth}`, async () => {
      const proxy = await startDanted({ auth });
      servers.push(proxy);
      await proxy.ready;
      const comm = await connectTo({
        ssh_host: sshd.host,
        ssh_port: sshd.port,
        ssh_username: user.name,
        ssh_password: user.password,
        ssh_proxy_host: proxy.host,
        ssh_proxy_port: proxy.port,
        ...(auth === 'username' ? { ssh_proxy_username: user.name, ssh_proxy_password: user.password } : {}),
      });
      try {
        assert.equal((await capture(comm, 'echo via-proxy')).stdout, 'via-proxy\n');
        // danted logs each CONNECT it passes; the SSH port proves the session went through it.
        assert.match(readFileSync(`${proxy.dir}/danted.log`, 'utf8'), new RegExp(`127\\.0\\.0\\.1\\.${sshd.port}`));
      } finally {
        await comm.close();
      }
    });
  }

  test('a proxy that rejects the credentials gives a clear error', async () => {
    const proxy = await startDanted({ auth: 'username' });
    servers.push(proxy);
    await proxy.ready;
    await assert.rejects(
      connectTo({
        ssh_host: sshd.host,
        ssh_port: sshd.port,
        ssh_username: user.name,
        ssh_password: user.password,
        ssh_timeout: 2000,
        ssh_proxy_host: proxy.host,
        ssh_proxy_port: proxy.port,
        ssh_proxy_username: user.name,
        ssh_proxy_password: 'wrong',
      }),
      /SOCKS proxy rejected the username\/password/,
    );
  });
});

describe('tunnels', () => {
  test('ssh_local_tunnels forwards a local port to a port seen from the remote side', async () => {
    const port = await freePort();
    const comm = await connectTo({
      ssh_host: sshd.host,
      ssh_port: sshd.port,
      ssh_username: user.name,
      ssh_password: user.password,
      ssh_local_tunnels: [`${port}:127.0.0.1:${dropbear.port}`],
    });
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('data', (d: Buffer) => {
          resolve(d.toString());
          s.destroy();
        });
        s.once('error', reject);
      });
      assert.match(banner, /^SSH-2\.0-dropbear/);
    } finally {
      await comm.close();
    }
  });
});

describe('temporary key pairs', () => {
  for (const type of ['rsa', 'ed25519'] as const) {
    test(`a generated ${type} key logs in, and clearAuthorizedKeys removes it`, async () => {
      const kp = await generateKeyPair({ type });
      assert.match(kp.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
      assert.match(kp.publicKey, type === 'rsa' ? /^ssh-rsa AAAA\S+ packer_[0-9a-f-]{36}$/ : /^ssh-ed25519 AAAA\S+ packer_[0-9a-f-]{36}$/);
      if (type === 'rsa') {
        const body = Buffer.from(kp.publicKey.split(' ')[1] ?? '', 'base64');
        assert.ok(body.length > 512, 'a 4096-bit modulus by default');
      }
      addAuthorizedKey(user.home, user.uid, user.gid, kp.publicKey);
      for (const server of [sshd, dropbear]) {
        const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_handshake_attempts: 1 }, { privateKeys: [kp.privateKey] });
        try {
          assert.equal((await capture(comm, 'echo keyed')).stdout, 'keyed\n');
          if (server === dropbear) {
            const result = await clearAuthorizedKeys(comm, kp.comment);
            assert.equal(result.steps[0]?.outcome, 'exit 0');
          }
        } finally {
          await comm.close();
        }
      }
      const keys = readFileSync(`${user.home}/.ssh/authorized_keys`, 'utf8');
      assert.ok(!keys.includes(kp.comment), 'temporary key removed');
      assert.ok(keys.includes(user.publicKey), 'other keys kept');
      await assert.rejects(
        connectTo({ ssh_host: sshd.host, ssh_port: sshd.port, ssh_username: user.name, ssh_handshake_attempts: 1 }, { privateKeys: [kp.privateKey] }),
        SshAuthError,
      );
    });
  }
});

describe('OpenSSH user certificates (ssh_certificate_file)', () => {
  let certSshd: TestServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-ssh-ca-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kiln-ca', '-f', path.join(dir, 'ca')]);
    // Only certificates signed by the CA are accepted: no password, no authorized_keys.
    certSshd = await startSshd({
      extraConfig: [`TrustedUserCAKeys ${path.join(dir, 'ca.pub')}`, 'AuthorizedKeysFile none', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no'],
    });
    servers.push(certSshd);
    await certSshd.ready;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [type, extra] of [['ed25519', []], ['ecdsa', ['-b', '256']], ['rsa', ['-b', '3072']]] as const) {
    test(`${type}: a key with its certificate logs in; the bare key does not`, async () => {
      const key = path.join(dir, `user_${type}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, ...extra, '-N', '', '-f', key]);
      execFileSync('ssh-keygen', ['-q', '-s', path.join(dir, 'ca'), '-I', `kiln-${type}`, '-n', user.name, '-V', '+1h', `${key}.pub`]);
      const comm = await connectTo({
        ssh_host: certSshd.host,
        ssh_port: certSshd.port,
        ssh_username: user.name,
        ssh_private_key_file: key,
        ssh_certificate_file: `${key}-cert.pub`,
        ssh_handshake_attempts: 1,
      });
      try {
        assert.equal((await capture(comm, 'echo certified')).stdout, 'certified\n');
      } finally {
        await comm.close();
      }
      assert.match(readFileSync(certSshd.logPath, 'utf8'), new RegExp(`Accepted publickey for ${user.name} .* ID kiln-${type} `));
      await assert.rejects(
        connectTo({ ssh_host: certSshd.host, ssh_port: certSshd.port, ssh_username: user.name, ssh_private_key_file: key, ssh_handshake_attempts: 1 }),
        SshAuthError,
      );
    });
  }
});
