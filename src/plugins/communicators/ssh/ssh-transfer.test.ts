/**
 * SCP and SFTP transfers against real sshd and dropbear: files, directories with both
 * trailing-slash forms, excludes, and 100 MiB round trips checked by sha256. The servers
 * run on this machine, so the "remote" side is checked directly on the filesystem.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ensureTestUser, startDropbear, startSshd } from '../../../../test/support/sshd.js';
import type { TestServer, TestUser } from '../../../../test/support/sshd.js';
import type { SshCommunicator } from './ssh-communicator.js';
import { connectTo } from './test-helpers.js';

let user: TestUser;
const cleanups: Array<() => Promise<void> | void> = [];

before(() => {
  user = ensureTestUser();
});
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A temp dir the test user owns (the remote side). */
function remoteDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-ssh-remote-'));
  chownSync(dir, user.uid, user.gid);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function localDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-ssh-local-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A small tree: a.txt, sub/b.bin (0755), sub/deeper/c.txt, skip/x.txt. */
function makeTree(): string {
  const root = path.join(localDir(), 'tree');
  mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
  mkdirSync(path.join(root, 'skip'));
  writeFileSync(path.join(root, 'a.txt'), 'alpha\n');
  writeFileSync(path.join(root, 'sub', 'b.bin'), randomBytes(70_000), { mode: 0o755 });
  writeFileSync(path.join(root, 'sub', 'deeper', 'c.txt'), 'gamma with spaces\n');
  writeFileSync(path.join(root, 'skip', 'x.txt'), 'excluded\n');
  return root;
}

/** Relative paths of regular files under `dir` with their contents' sha256. */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) walk(full, r);
      else out[r] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

class Collect extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.chunks.push(chunk);
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString();
  }
}

class Hasher extends Writable {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb();
  }
}

const matrix = [
  ['sshd', startSshd, 'scp'],
  ['sshd', startSshd, 'sftp'],
  ['dropbear', startDropbear, 'scp'],
  ['dropbear', startDropbear, 'sftp'],
] as const;

for (const [serverName, start, method] of matrix) {
  describe(`${method} transfers with ${serverName}`, () => {
    let server: TestServer;
    let comm: SshCommunicator;
    before(async () => {
      server = await start();
      cleanups.push(() => server.stop());
      await server.ready;
      comm = await connectTo({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password, ssh_file_transfer_method: method }, { log: (l, m) => process.env['KILN_SSH_DEBUG'] && console.error(l, m) });
      cleanups.push(() => comm.close());
    });

    test('upload a buffer and a stream of unknown length, download them back', async () => {
      const remote = remoteDir();
      await comm.upload(`${remote}/one file.txt`, Buffer.from('hello\n'), { mode: 0o600 });
      assert.equal(readFileSync(`${remote}/one file.txt`, 'utf8'), 'hello\n');
      assert.equal(statSync(`${remote}/one file.txt`).mode & 0o777, 0o600);
      await comm.upload(`${remote}/streamed`, Readable.from([Buffer.from('part1 '), Buffer.from('part2')]));
      assert.equal(readFileSync(`${remote}/streamed`, 'utf8'), 'part1 part2');
      const sink = new Collect();
      await comm.download(`${remote}/one file.txt`, sink);
      assert.equal(sink.text(), 'hello\n');
      await assert.rejects(comm.download(`${remote}/missing`, new Collect()), /missing|No such file/);
    });

    test('uploadDir: "src" creates dst/src, "src/" fills dst, excludes apply', async () => {
      const tree = makeTree();
      const remote = remoteDir();
      await comm.uploadDir(`${remote}/with-name`, tree, ['skip']);
      await comm.uploadDir(`${remote}/contents`, `${tree}/`, ['sub/deeper/c.txt']);
      const all = listing(tree);
      const { ['skip/x.txt']: _skipped, ...withoutSkip } = all;
      assert.deepEqual(listing(`${remote}/with-name/tree`), withoutSkip);
      const { ['sub/deeper/c.txt']: _c, ...withoutC } = all;
      assert.deepEqual(listing(`${remote}/contents`), withoutC);
      assert.equal(statSync(`${remote}/contents/sub/b.bin`).mode & 0o777, 0o755);
    });

    test('downloadDir: "src" creates dst/src, "src/" fills dst', async () => {
      const tree = makeTree();
      const remote = remoteDir();
      await comm.uploadDir(remote, tree);
      const local = localDir();
      await comm.downloadDir(`${remote}/tree`, `${local}/a`, ['skip']);
      await comm.downloadDir(`${remote}/tree/`, `${local}/b`);
      const { ['skip/x.txt']: _skipped, ...withoutSkip } = listing(tree);
      assert.deepEqual(listing(`${local}/a/tree`), withoutSkip);
      assert.deepEqual(listing(`${local}/b`), listing(tree));
    });

    if (serverName === 'sshd') {
      test('100 MiB upload and download arrive intact (sha256)', async () => {
        const local = localDir();
        const big = path.join(local, 'big.bin');
        const block = randomBytes(1 << 20);
        const hash = createHash('sha256');
        const chunks: Buffer[] = [];
        for (let i = 0; i < 100; i++) {
          const b = Buffer.from(block);
          b.writeUInt32BE(i, 0); // no two MiB alike, so a misplaced block changes the hash
          chunks.push(b);
          hash.update(b);
        }
        writeFileSync(big, Buffer.concat(chunks));
        const want = hash.digest('hex');
        const remote = remoteDir();
        await comm.upload(`${remote}/big.bin`, createReadStream(big), { size: 100 << 20 });
        assert.equal(createHash('sha256').update(readFileSync(`${remote}/big.bin`)).digest('hex'), want);
        const sink = new Hasher();
        await comm.download(`${remote}/big.bin`, sink);
        assert.equal(sink.bytes, 100 << 20);
        assert.equal(sink.hash.digest('hex'), want);
      });
    }
  });
}
