/**
 * How a remote command's end is seen, in the ways that went wrong under load:
 * - a client that reads late gets the exec's confirmation, exit status, EOF and close in
 *   one read (real sshd; the test holds the client's event loop until sshd has sent them);
 * - a channel that closes without an exit status ends as `disconnected`, at once;
 * - a server that stops answering (frozen, its TCP connection still open) is given up on
 *   through the keep-alives, while a long command on a live server keeps running.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import { ensureTestUser, startSshd } from '../../../../test/support/sshd.js';
import type { TestServer, TestUser } from '../../../../test/support/sshd.js';
import { capture, connectTo, recordingLogger } from './test-helpers.js';

let user: TestUser;
let sshd: TestServer;

before(async () => {
  user = ensureTestUser();
  sshd = await startSshd({ extraConfig: ['LogLevel DEBUG2'] });
  await sshd.ready;
});
after(async () => {
  await sshd.stop();
});

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread (timers, sockets, everything) for `ms`. */
const blockFor = (ms: number): void => void Atomics.wait(pause, 0, 0, ms);

/** The receive queue of the TCP socket with local port `port` on 127.0.0.1, from /proc. */
function receiveQueue(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === `0100007F:${hexPort}`) return parseInt((f[4] ?? '0:0').split(':')[1] ?? '0', 16);
  }
  return undefined;
}

/**
 * Holds the event loop until sshd has logged sending the channel's close after the
 * exec (the log is written by sshd itself) and the bytes waiting on the client's socket
 * have stopped growing: the next read returns all of them at once.
 */
function holdUntilServerClosed(logFrom: number, clientPort: number): void {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !/channel \d+: send close/.test(readFileSync(sshd.logPath, 'utf8').slice(logFrom))) blockFor(20);
  let last = -1;
  for (;;) {
    const q = receiveQueue(clientPort) ?? 0;
    if ((q > 0 && q === last) || Date.now() > deadline) return;
    last = q;
    blockFor(200);
  }
}

describe('the end of a remote command', () => {
  test('exit status, EOF and close arriving in the same read as the exec confirmation are all seen', async () => {
    let logFrom = 0;
    let port = 0;
    let hold = false;
    const comm = await connectTo(
      { ssh_host: sshd.host, ssh_port: sshd.port, ssh_username: user.name, ssh_password: user.password },
      {
        trace: (line) => {
          if (hold && /Sending CHANNEL_REQUEST \(r:\d+, exec: /.test(line)) {
            hold = false;
            // After the request has gone out, as if this process were starved of CPU.
            setImmediate(() => holdUntilServerClosed(logFrom, port));
          }
        },
      },
    );
    const accepted = [...readFileSync(sshd.logPath, 'utf8').matchAll(/Accepted password for \S+ from 127\.0\.0\.1 port (\d+)/g)];
    port = Number(accepted.at(-1)?.[1]);
    try {
      for (const status of [3, 0]) {
        logFrom = readFileSync(sshd.logPath, 'utf8').length;
        hold = true;
        const r = await capture(comm, `echo out; exit ${status}`);
        assert.deepEqual(r, { status, stdout: 'out\n', stderr: '' });
      }
    } finally {
      await comm.close();
    }
  });

  test('a channel closed without an exit status ends as disconnected, with the reason', async () => {
    // A stand-in server: OpenSSH always sends an exit status or signal before closing
    // a session, so the failure is injected with ssh2's server.
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
    const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
      client.on('authentication', (ctx) => (ctx.method === 'password' ? ctx.accept() : ctx.reject(['password'])));
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec) => {
          const stream = acceptExec();
          stream.write('partial\n');
          stream.close();
        });
      });
      client.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { log, lines } = recordingLogger();
    const comm = await connectTo({ ssh_host: '127.0.0.1', ssh_port: port, ssh_username: 'anyone', ssh_password: 'x' }, { log });
    try {
      let out = '';
      const r = await comm.run({ command: 'work', onStdout: (d) => (out += d.toString()) });
      assert.equal(r.kind, 'disconnected');
      assert.match(r.kind === 'disconnected' ? r.reason : '', /without exit status or exit signal/);
      assert.equal(out, 'partial\n');
      assert.ok(lines.some((l) => l.includes('remote command exited without exit status or exit signal: work')), lines.join('\n'));
    } finally {
      await comm.close();
      server.close();
    }
  });

  test('a server that stops answering is given up on through the keep-alives; a long command on a live one runs on', { timeout: 120_000 }, async () => {
    const comm = await connectTo({ ssh_host: sshd.host, ssh_port: sshd.port, ssh_username: user.name, ssh_password: user.password, ssh_keep_alive_interval: 1000 });
    try {
      // 6 s is several keep-alive rounds: answered ones must not end the command.
      assert.deepEqual(await capture(comm, 'sleep 6; echo done'), { status: 0, stdout: 'done\n', stderr: '' });
      const lost = capture(comm, 'sleep 600');
      await new Promise((r) => setTimeout(r, 1000));
      sshd.freeze();
      assert.equal((await lost).status, 'disconnected');
    } finally {
      sshd.thaw();
      await comm.close();
    }
  });
});
