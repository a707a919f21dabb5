// `kiln build` end to end over SSH when things go wrong: a machine whose SSH server
// comes up late, a `shell` step that reboots it (the server is killed with every
// session it forked and started again), wrong credentials (counted in the server's own
// log: the configured attempts and no more), and 100 MiB each way through the `file`
// provisioner. Real sshd and dropbear (test/support/sshd.ts) driven through bin/kiln.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTestUser, freePort, startDropbear, startSshd } from '../support/sshd.js';
import type { ServerOptions, TestServer, TestUser } from '../support/sshd.js';
import { kilnBuild, nullSshSource, provisioner, sha256File, template, tempFolder, writeTemplate } from './ssh-harness.js';
import type { HclValue, SshAuth } from './ssh-harness.js';

let user: TestUser;
let work: string;
const servers: TestServer[] = [];

before(() => {
  user = ensureTestUser();
  work = tempFolder('ssh-rel');
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(work, { recursive: true, force: true });
});

type Kind = 'sshd' | 'dropbear';

async function server(kind: Kind, options: ServerOptions = {}): Promise<TestServer> {
  const s = kind === 'sshd' ? await startSshd(options) : await startDropbear(options);
  servers.push(s);
  return s;
}

function oneBuild(name: string, s: TestServer, auth: SshAuth, extra: Readonly<Record<string, HclValue>>, provisioners: readonly string[]): string {
  return writeTemplate(work, name, template([nullSshSource('box', s, user, auth, extra)], ['box'], provisioners));
}

/** Lines of the server's log matching `re`. */
function logCount(s: TestServer, re: RegExp): number {
  return readFileSync(s.logPath, 'utf8').split('\n').filter((l) => re.test(l)).length;
}

/**
 * The count of `re` lines once the server has finished logging: the last connection's
 * lines may land just after kiln exits. Waits for `expected` (at most 5 s), then a
 * moment more so that any extra attempt would be counted too.
 */
async function settledCount(s: TestServer, re: RegExp, expected: number): Promise<number> {
  for (let i = 0; i < 50 && logCount(s, re) < expected; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  return logCount(s, re);
}

for (const kind of ['sshd', 'dropbear'] as const) {
  describe(`${kind}: waiting, rebooting, refusing`, () => {
    it('keeps dialling until a server that starts 5 s after the build, then provisions', async () => {
      const late = await server(kind, { delayMs: 5000 });
      const dir = oneBuild(`${kind}-late`, late, 'key', { ssh_timeout: '60s' }, [provisioner('shell', { inline: ['echo "up as $(whoami)"'] })]);
      const run = await kilnBuild(dir);
      await late.ready;
      assert.equal(run.status, 0, run.out);
      assert.match(run.out, /Waiting for SSH to become available\.\.\.[\s\S]*Connected to SSH![\s\S]*up as kilntest/);
    });

    it('a shell step that reboots the machine (expect_disconnect) is followed by one that reconnects and runs', async () => {
      const s = await server(kind);
      await s.ready;
      const marker = path.join(tempFolder(`${kind}-reboot`, user), 'after');
      const dir = oneBuild(`${kind}-reboot`, s, 'password', { ssh_timeout: '60s' }, [
        provisioner('shell', { inline: ['echo "rebooting now"', 'sleep 120', 'echo "still here"'], expect_disconnect: true, start_retry_timeout: '60s' }),
        provisioner('shell', { inline: ['echo "back after reboot"', `touch ${marker}`], start_retry_timeout: '60s' }),
      ]);
      let rebooted: Promise<void> | undefined;
      const run = await kilnBuild(dir, {
        onLine: (line) => {
          if (!rebooted && line.includes('rebooting now')) {
            // Power off (the server and its sessions, frozen then killed), back 3 s later.
            s.kill();
            rebooted = new Promise((r) => setTimeout(r, 3000)).then(() => s.restart());
          }
        },
      });
      await rebooted;
      assert.ok(rebooted, `the reboot step never ran:\n${run.out}`);
      assert.equal(run.status, 0, run.out);
      assert.doesNotMatch(run.out, /still here/);
      assert.match(run.out, /back after reboot/);
      assert.equal(readFileSync(marker, 'utf8'), '');
    });

    for (const auth of ['password', 'key'] as const) {
      it(`a wrong ${auth} fails after ssh_handshake_attempts = 3 connections, naming the user and host, exit 1`, async () => {
        const s = await server(kind);
        await s.ready;
        const wrong: Record<string, HclValue> = auth === 'password' ? { ssh_password: 'not-the-password' } : { ssh_private_key_file: wrongKey() };
        const dir = writeTemplate(work, `${kind}-wrong-${auth}`, template([nullSshSource('box', s, user, auth, { ...wrong, ssh_handshake_attempts: 3, ssh_timeout: '2m' })], ['box'], [provisioner('shell', { inline: ['echo never'] })]));
        const run = await kilnBuild(dir);
        assert.equal(run.status, 1, run.out);
        assert.match(run.out, new RegExp(`unable to authenticate as user "kilntest" on 127\\.0\\.0\\.1:${s.port}.*gave up after 3 authentication attempt`));
        assert.match(run.out, /Builds finished but no artifacts were created/);
        assert.doesNotMatch(run.out, /never/);
        // The server saw three connections, one per configured attempt, and no more.
        if (kind === 'sshd') {
          // "Disconnected from" after a polite close, "Connection closed by" when kiln exits first.
          assert.equal(await settledCount(s, /(Disconnected from|Connection closed by) authenticating user kilntest/, 3), 3, readFileSync(s.logPath, 'utf8'));
          if (auth === 'password') assert.equal(await settledCount(s, /Failed password for kilntest/, 3), 3, readFileSync(s.logPath, 'utf8'));
        } else {
          // (not "Child connection": the readiness probe's bare TCP connect is one too)
          assert.equal(await settledCount(s, /Exit before auth .*user 'kilntest'/, 3), 3, readFileSync(s.logPath, 'utf8'));
          if (auth === 'password') assert.equal(await settledCount(s, /Bad password attempt for 'kilntest'/, 3), 3, readFileSync(s.logPath, 'utf8'));
        }
      });
    }
  });
}

describe('no server at all', () => {
  it('gives up at ssh_timeout when nothing ever listens: "Timeout waiting for SSH.", exit 1', async () => {
    const nobody = { host: '127.0.0.1', port: await freePort() };
    const dir = writeTemplate(work, 'never', template([nullSshSource('box', nobody, user, 'key', { ssh_timeout: '4s' })], ['box'], [provisioner('shell', { inline: ['echo never'] })]));
    const run = await kilnBuild(dir);
    assert.equal(run.status, 1, run.out);
    assert.match(run.out, /Timeout waiting for SSH\./);
    assert.doesNotMatch(run.out, /never/);
  });
});

/** An ed25519 key the test user's authorized_keys does not list. */
function wrongKey(): string {
  const file = path.join(work, 'wrong_ed25519');
  // A fresh file: ssh-keygen then asks nothing (writing an answer it never reads could fail with EPIPE).
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: ['ignore', 'ignore', 'ignore'] });
  return file;
}

describe('100 MiB through the file provisioner, up and down', () => {
  let big: string;
  let want: string;

  before(() => {
    // No two MiB alike, so a misplaced block changes the hash.
    big = path.join(work, 'big.bin');
    const fd = openSync(big, 'w');
    const hash = createHash('sha256');
    const block = randomBytes(1 << 20);
    for (let i = 0; i < 100; i++) {
      block.writeUInt32BE(i, 0);
      writeSync(fd, block);
      hash.update(block);
    }
    closeSync(fd);
    want = hash.digest('hex');
  });

  for (const method of ['scp', 'sftp'] as const) {
    it(`${method} to sshd: the upload and the download arrive intact (sha256)`, async () => {
      const s = await server('sshd');
      await s.ready;
      const remote = tempFolder(`big-${method}`, user);
      const back = path.join(work, `big-${method}-back.bin`);
      const dir = oneBuild(`big-${method}`, s, 'key', { ssh_file_transfer_method: method }, [
        provisioner('file', { source: big, destination: `${remote}/big.bin` }),
        provisioner('file', { direction: 'download', source: `${remote}/big.bin`, destination: back }),
      ]);
      const run = await kilnBuild(dir);
      assert.equal(run.status, 0, run.out);
      assert.equal(await sha256File(`${remote}/big.bin`), want, 'uploaded');
      assert.equal(await sha256File(back), want, 'downloaded');
      rmSync(remote, { recursive: true, force: true });
      rmSync(back, { force: true });
    });
  }
});
