/**
 * Options that change how the connection behaves: ssh-agent auth and forwarding,
 * remote tunnels, pause_before_connecting, cipher and key-exchange lists. Against a
 * real sshd (and a real ssh-agent) on loopback.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureTestUser, freePort, startSshd } from '../../../../test/support/sshd.js';
import type { TestServer, TestUser } from '../../../../test/support/sshd.js';
import { capture, connectTo, recordingLogger } from './test-helpers.js';

let user: TestUser;
let sshd: TestServer;

before(async () => {
  user = ensureTestUser();
  sshd = await startSshd({ extraConfig: ['LogLevel DEBUG1'] });
  await sshd.ready;
});
after(async () => {
  await sshd.stop();
});

describe('ssh-agent', () => {
  let agent: ChildProcess;
  let dir: string;
  let saved: string | undefined;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-agent-'));
    const sock = path.join(dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    while (!existsSync(sock)) await new Promise((r) => setTimeout(r, 20));
    execFileSync('ssh-add', ['-q', user.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    saved = process.env['SSH_AUTH_SOCK'];
    process.env['SSH_AUTH_SOCK'] = sock;
  });
  after(() => {
    if (saved === undefined) delete process.env['SSH_AUTH_SOCK'];
    else process.env['SSH_AUTH_SOCK'] = saved;
    if (agent.pid !== undefined) process.kill(agent.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('ssh_agent_auth logs in with the agent and the agent is forwarded', async () => {
    const comm = await connectTo({ ssh_host: sshd.host, ssh_port: sshd.port, ssh_username: user.name, ssh_agent_auth: true, ssh_handshake_attempts: 1 });
    try {
      const r = await capture(comm, 'ssh-add -L');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim().split(' ').slice(0, 2).join(' '), user.publicKey.split(' ').slice(0, 2).join(' '));
    } finally {
      await comm.close();
    }
  });

  test('ssh_disable_agent_forwarding keeps the agent at home', async () => {
    const comm = await connectTo({ ssh_host: sshd.host, ssh_port: sshd.port, ssh_username: user.name, ssh_password: user.password, ssh_disable_agent_forwarding: true });
    try {
      const r = await capture(comm, 'echo "sock=$SSH_AUTH_SOCK"');
      assert.equal(r.stdout, 'sock=\n');
    } finally {
      await comm.close();
    }
  });
});

describe('connection options', () => {
  test('ssh_remote_tunnels exposes a local port on the remote side', async () => {
    const target = net.createServer((s) => s.end('hello from here\n'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const targetPort = (target.address() as net.AddressInfo).port;
    const remotePort = await freePort();
    const comm = await connectTo({ ssh_host: sshd.host, ssh_port: sshd.port, ssh_username: user.name, ssh_password: user.password, ssh_remote_tunnels: [`${remotePort}:127.0.0.1:${targetPort}`] });
    try {
      // The remote side connects to its own localhost:remotePort (bash's /dev/tcp).
      const r = await capture(comm, `exec 3<>/dev/tcp/127.0.0.1/${remotePort}; cat <&3`);
      assert.equal(r.stdout, 'hello from here\n', r.stderr);
    } finally {
      await comm.close();
      target.close();
    }
  });

  test('pause_before_connecting connects, waits, then connects again', async () => {
    const { log, lines } = recordingLogger();
    const comm = await connectTo({ ssh_host: sshd.host, ssh_port: sshd.port, ssh_username: user.name, ssh_password: user.password, pause_before_connecting: 500 }, { log });
    try {
      assert.equal(lines.filter((l) => l.includes('Connected to SSH')).length, 2);
      assert.ok(lines.some((l) => l.includes('Pausing 500 ms')), lines.join('\n'));
    } finally {
      await comm.close();
    }
  });

  test('ssh_ciphers and ssh_key_exchange_algorithms are what gets negotiated', async () => {
    const comm = await connectTo({
      ssh_host: sshd.host,
      ssh_port: sshd.port,
      ssh_username: user.name,
      ssh_password: user.password,
      ssh_ciphers: ['aes192-ctr'],
      ssh_key_exchange_algorithms: ['ecdh-sha2-nistp384'],
    });
    try {
      assert.equal((await capture(comm, 'true')).status, 0);
      const log = readFileSync(sshd.logPath, 'utf8');
      assert.match(log, /kex: algorithm: ecdh-sha2-nistp384/);
      assert.match(log, /kex: client->server cipher: aes192-ctr/);
    } finally {
      await comm.close();
    }
  });

  test('ssh_read_write_timeout drops a silent connection; the next run reconnects', async () => {
    const comm = await connectTo({
      ssh_host: sshd.host,
      ssh_port: sshd.port,
      ssh_username: user.name,
      ssh_password: user.password,
      ssh_read_write_timeout: 1000,
      ssh_keep_alive_interval: -1000,
    });
    try {
      const r = await comm.run({ command: 'sleep 3' });
      assert.equal(r.kind, 'disconnected');
      assert.equal((await capture(comm, 'echo again')).stdout, 'again\n');
    } finally {
      await comm.close();
    }
  });
});
