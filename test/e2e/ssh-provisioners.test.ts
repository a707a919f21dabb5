// `kiln build` end to end with the `null` builder over SSH: bin/kiln (the compiled
// dist/) runs `shell` and `file` provisioners against a real OpenSSH sshd and a real
// dropbear (test/support/sshd.ts), with password and key auth, over scp and sftp.
// The "remote" machine is this one, so the test checks the files the provisioners
// wrote on both sides directly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTestUser, startDropbear, startSshd } from '../support/sshd.js';
import type { TestServer, TestUser } from '../support/sshd.js';
import { kilnBuild, listing, nullSshSource, provisioner, template, tempFolder, writeTemplate } from './ssh-harness.js';
import type { SshAuth } from './ssh-harness.js';

let user: TestUser;
let servers: Record<'sshd' | 'dropbear', TestServer>;
let work: string;
let tree: string;
let script: string;
const remotes: string[] = [];

before(async () => {
  user = ensureTestUser();
  servers = { sshd: await startSshd(), dropbear: await startDropbear() };
  await Promise.all(Object.values(servers).map((s) => s.ready));
  work = tempFolder('ssh-prov');
  // a.txt, sub/b.bin (0755, 70 kB of random bytes), sub/deeper/c file.txt (a space)
  tree = path.join(work, 'tree');
  mkdirSync(path.join(tree, 'sub', 'deeper'), { recursive: true });
  writeFileSync(path.join(tree, 'a.txt'), 'alpha\n');
  writeFileSync(path.join(tree, 'sub', 'b.bin'), randomBytes(70_000), { mode: 0o755 });
  writeFileSync(path.join(tree, 'sub', 'deeper', 'c file.txt'), 'gamma\n');
  script = path.join(work, 'run.sh');
  writeFileSync(script, '#!/bin/sh\necho "script ran as $(id -un)"\n', { mode: 0o755 });
});

after(async () => {
  await Promise.all(Object.values(servers ?? {}).map((s) => s.stop()));
  for (const dir of [work, ...remotes]) if (dir) rmSync(dir, { recursive: true, force: true });
});

type ServerName = keyof typeof servers;
type Method = 'scp' | 'sftp';

/** Every provisioner form the issue lists, writing under the remote folder `r` and the local folder `down`. */
function provisioners(r: string, down: string): string[] {
  return [
    provisioner('shell', { inline: ['echo "whoami=$(whoami)"', `mkdir -p ${r}/into`] }),
    provisioner('file', { source: `${tree}/`, destination: `${r}/contents` }),
    provisioner('file', { source: tree, destination: `${r}/named` }),
    provisioner('file', { source: path.join(tree, 'a.txt'), destination: `${r}/into/` }),
    provisioner('file', { source: script, destination: `${r}/run.sh` }),
    provisioner('file', { content: 'from content\n', destination: `${r}/content.txt` }),
    provisioner('shell', { inline: [`${r}/run.sh`, `cat ${r}/content.txt`] }),
    provisioner('file', { direction: 'download', source: `${r}/contents/a.txt`, destination: `${down}/single.txt` }),
    provisioner('file', { direction: 'download', source: `${r}/contents/a.txt`, destination: `${down}/into/` }),
    provisioner('file', { direction: 'download', source: `${r}/named/tree/`, destination: `${down}/contents` }),
    provisioner('file', { direction: 'download', source: `${r}/contents/*`, destination: `${down}/glob/` }),
  ];
}

async function buildAgainst(server: ServerName, method: Method, auth: SshAuth): Promise<void> {
  const name = `${server}-${method}-${auth}`;
  const r = tempFolder(name, user);
  remotes.push(r);
  const down = path.join(work, name, 'down');
  const source = nullSshSource('box', servers[server], user, auth, { ssh_file_transfer_method: method, ssh_timeout: '30s' });
  const dir = writeTemplate(work, name, template([source], ['box'], provisioners(r, down)));
  const run = await kilnBuild(dir);
  assert.equal(run.status, 0, run.out);
  assert.match(run.out, /Using SSH communicator to connect: 127\.0\.0\.1/);
  assert.match(run.out, /Connected to SSH!/);
  assert.match(run.out, /whoami=kilntest/);
  assert.match(run.out, /script ran as kilntest/);
  assert.match(run.out, /from content/);
  assert.match(run.out, /--> null\.box: Did not export anything/);

  const want = listing(tree);
  assert.deepEqual(listing(`${r}/contents`), want, '"tree/" uploads the contents');
  assert.deepEqual(listing(`${r}/named/tree`), want, '"tree" uploads the directory itself');
  assert.equal(readFileSync(`${r}/into/a.txt`, 'utf8'), 'alpha\n', 'a destination ending in / receives the file under its name');
  assert.equal(statSync(`${r}/contents/sub/b.bin`).mode & 0o777, 0o755);
  assert.equal(statSync(`${r}/run.sh`).mode & 0o777, 0o755);
  assert.equal(statSync(`${r}/content.txt`).uid, user.uid, 'files belong to the SSH user');

  assert.equal(readFileSync(`${down}/single.txt`, 'utf8'), 'alpha\n');
  assert.equal(readFileSync(`${down}/into/a.txt`, 'utf8'), 'alpha\n');
  assert.deepEqual(listing(`${down}/contents`), want, '"dir/" downloads the contents');
  assert.deepEqual(listing(`${down}/glob`), want, 'a glob downloads every match');
}

for (const server of ['sshd', 'dropbear'] as const) {
  describe(`null builder over SSH to ${server === 'sshd' ? 'OpenSSH sshd' : 'dropbear'}: shell and file provisioners`, () => {
    for (const method of ['scp', 'sftp'] as const) {
      for (const auth of ['password', 'key'] as const) {
        it(`${method}, ${auth} auth: uploads (file, contents, directory, content), runs scripts, downloads (file, into dir, contents, glob)`, async () => {
          await buildAgainst(server, method, auth);
        });
      }
    }
  });
}
