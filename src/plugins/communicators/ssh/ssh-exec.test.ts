/**
 * Exec, authentication, retry, reconnection and cancellation against real OpenSSH
 * and dropbear servers on loopback.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ensureTestUser, startDropbear, startSshd } from '../../../../test/support/sshd.js';
import type { TestServer, TestUser } from '../../../../test/support/sshd.js';
import { SshAuthError, SshTimeoutError } from './connect.js';
import { capture, connectTo, recordingLogger } from './test-helpers.js';

let user: TestUser;
const servers: TestServer[] = [];

before(() => {
  user = ensureTestUser();
});
after(async () => {
  for (const s of servers) await s.stop();
});

async function started(s: Promise<TestServer>): Promise<TestServer> {
  const server = await s;
  servers.push(server);
  await server.ready;
  return server;
}

for (const [name, start] of [['sshd', startSshd], ['dropbear', startDropbear]] as const) {
  describe(`exec against ${name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await started(start());
    });

    test('password auth, exit status, stdout and stderr', async () => {
      const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password });
      try {
        const r = await capture(comm, 'echo out; echo err >&2; whoami; exit 3');
        assert.equal(r.status, 3);
        assert.equal(r.stdout, `out\n${user.name}\n`);
        assert.equal(r.stderr, 'err\n');
        assert.deepEqual(await capture(comm, 'true'), { status: 0, stdout: '', stderr: '' });
        assert.equal((await capture(comm, 'exit 255')).status, 255);
      } finally {
        await comm.close();
      }
    });

    test('private key auth and stdin', async () => {
      const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_private_key_file: user.privateKeyPath });
      try {
        let out = '';
        const { Readable } = await import('node:stream');
        const r = await comm.run({ command: 'tr a-z A-Z', stdin: Readable.from([Buffer.from('hello ssh\n')]), onStdout: (d) => (out += d.toString()) });
        assert.deepEqual(r, { kind: 'exited', exitStatus: 0 });
        assert.equal(out, 'HELLO SSH\n');
      } finally {
        await comm.close();
      }
    });

    test('wrong password fails with a clear error after the configured attempts', async () => {
      const { log, lines } = recordingLogger();
      await assert.rejects(
        connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: 'wrong', ssh_handshake_attempts: 2 }, { log }),
        (e: unknown) => {
          assert.ok(e instanceof SshAuthError, String(e));
          assert.match(e.message, new RegExp(`user "${user.name}" on 127\\.0\\.0\\.1:${server.port}`));
          assert.match(e.message, /2 authentication attempt/);
          return true;
        },
      );
      assert.equal(lines.filter((l) => l.includes('Attempting SSH connection')).length, 2);
    });

    test('cancellation kills the remote command', async () => {
      const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password });
      const pidFile = `/tmp/kiln-ssh-cancel-${process.pid}-${server.kind}`;
      rmSync(pidFile, { force: true });
      try {
        const ac = new AbortController();
        const running = comm.run({ command: `echo $$ > ${pidFile}; exec sleep 60` }, ac.signal);
        while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 50));
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        ac.abort(new Error('cancelled by test'));
        await assert.rejects(running, /cancelled by test/);
        let alive = true;
        for (let i = 0; i < 100 && alive; i++) {
          alive = existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
          if (alive) await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(alive, false, `remote command (pid ${pid}) still runs after cancellation`);
        assert.equal((await capture(comm, 'echo still usable')).stdout, 'still usable\n');
      } finally {
        rmSync(pidFile, { force: true });
        await comm.close();
      }
    });
  });
}

describe('connection lifecycle (sshd)', () => {
  test('a server that comes up 5 s late is reached by re-dialling', async () => {
    const server = await startSshd({ delayMs: 5000 });
    servers.push(server);
    const { log, lines } = recordingLogger();
    const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password, ssh_timeout: 30_000 }, { log });
    try {
      assert.equal((await capture(comm, 'echo up')).stdout, 'up\n');
      const attempts = lines.filter((l) => l.includes('Attempting SSH connection'));
      assert.ok(attempts.length >= 3, `expected several attempts, got ${attempts.length}:\n${lines.join('\n')}`);
      assert.ok(lines.some((l) => l.includes('ECONNREFUSED')), lines.join('\n'));
    } finally {
      await comm.close();
    }
  });

  test('ssh_timeout ends the retry loop with a timeout error', async () => {
    const { freePort } = await import('../../../../test/support/sshd.js');
    const port = await freePort();
    await assert.rejects(connectTo({ ssh_host: '127.0.0.1', ssh_port: port, ssh_username: user.name, ssh_password: 'x', ssh_timeout: 2000 }), (e: unknown) => {
      assert.ok(e instanceof SshTimeoutError, String(e));
      assert.match(e.message, /ECONNREFUSED/);
      return true;
    });
  });

  test('a reboot: the command ends as disconnected, the next run reconnects', async () => {
    const server = await started(startSshd());
    const { log, lines } = recordingLogger();
    const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password, ssh_timeout: 30_000 }, { log });
    try {
      let out = '';
      const running = comm.run({ command: 'echo started; sleep 30; echo never', onStdout: (d) => (out += d.toString()) });
      while (!out.includes('started')) await new Promise((r) => setTimeout(r, 50));
      server.kill();
      assert.equal((await running).kind, 'disconnected');
      const restarted = server.restart();
      const r = await capture(comm, 'echo back');
      await restarted;
      assert.deepEqual(r, { status: 0, stdout: 'back\n', stderr: '' });
      assert.ok(lines.some((l) => l.includes('reconnect')), lines.join('\n'));
    } finally {
      await comm.close();
    }
  });

  test('ssh_pty runs the command on a terminal', async () => {
    const server = await started(startSshd());
    const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password, ssh_pty: true });
    try {
      const r = await capture(comm, 'test -t 1 && echo tty');
      assert.equal(r.status, 0);
      assert.match(r.stdout, /tty/);
    } finally {
      await comm.close();
    }
  });

  test('close() is idempotent and later runs reject', async () => {
    const server = await started(startSshd());
    const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password });
    await comm.close();
    await comm.close();
    await assert.rejects(comm.run({ command: 'true' }), /closed/);
  });

  test('an open socket whose banner a probe already read is the first connection', async () => {
    const server = await started(startSshd());
    // As the qemu builder's probe leaves it: the banner read, paused, the bytes put back.
    const probe = connect(server.port, server.host);
    const banner = await new Promise<Buffer>((resolve) => probe.once('data', resolve));
    assert.match(banner.toString('latin1'), /^SSH-2\.0-/);
    probe.pause();
    probe.unshift(banner);
    const { log, lines } = recordingLogger();
    const comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password }, { log, socket: probe });
    try {
      assert.equal((await capture(comm, 'echo reused')).stdout, 'reused\n');
      const accepted = [...readFileSync(server.logPath, 'utf8').matchAll(/Accepted password for \S+ from 127\.0\.0\.1 port (\d+)/g)].map((m) => Number(m[1]));
      assert.deepEqual(accepted, [probe.localPort], lines.join('\n'));
    } finally {
      await comm.close();
    }
  });
});
