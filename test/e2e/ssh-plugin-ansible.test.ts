/**
 * A plugin provisioner over a native builder's communicator (issue 21, acceptance 3):
 * Packer 1.6.6's `ansible` provisioner (a legacy single-component plugin) on a kiln
 * `null` build over SSH to a local sshd. The plugin's SSH adapter runs the playbook's
 * commands and SFTP transfers through the Communicator kiln serves, over kiln's own SSH
 * communicator; the target shows the playbook's effect. The 1.6.6 adapter needs
 * `use_sftp` and ssh-rsa allowed with today's OpenSSH (the issue's settings).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { ensureTestUser, startSshd } from '../support/sshd.js';
import type { TestServer, TestUser } from '../support/sshd.js';
import { kilnBuild, nullSshSource, provisioner, template, tempFolder, writeTemplate } from './ssh-harness.js';

let user: TestUser;
let server: TestServer;
let work: string;

before(async () => {
  user = ensureTestUser();
  server = await startSshd();
  await server.ready;
  work = tempFolder('ssh-ansible', user);
});
after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

it('acceptance 3: the 1.6.6 ansible provisioner on a kiln null build over SSH', async () => {
  const plugins = path.join(work, 'plugins');
  mkdirSync(plugins);
  writeFileSync(path.join(plugins, 'packer-provisioner-ansible'), '#!/bin/sh\nexec packer plugin packer-provisioner-ansible\n');
  chmodSync(path.join(plugins, 'packer-provisioner-ansible'), 0o755);
  const target = path.join(work, 'from-ansible.txt');
  const playbook = path.join(work, 'playbook.yml');
  writeFileSync(playbook, `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy:\n        content: "ansible was here\\n"\n        dest: ${target}\n`);
  const dir = writeTemplate(
    work,
    'build',
    template(
      [nullSshSource('a', server, user, 'key')],
      ['a'],
      [
        provisioner('ansible', {
          playbook_file: playbook,
          user: user.name,
          use_sftp: true,
          ansible_ssh_extra_args: ['-o HostKeyAlgorithms=+ssh-rsa -o PubkeyAcceptedKeyTypes=+ssh-rsa'],
        }),
      ],
    ),
  );
  const r = await kilnBuild(dir, { env: { PACKER_PLUGIN_PATH: plugins, ANSIBLE_HOST_KEY_CHECKING: 'False' } });
  assert.equal(r.status, 0, r.out);
  assert.equal(readFileSync(target, 'utf8'), 'ansible was here\n');
});
