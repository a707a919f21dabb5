// The `ansible` provisioner's pure parts: option resolution, the inventory, the
// command line and its masking, galaxy invocations, and the proxy's protocol helpers
// (scp command lines, stat output, SFTP write assembly). The proxy itself, Ansible and
// sshd run together in test/e2e/ansible.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { packerConfig } from '../test-helpers.js';
import { parseScp, shellWords } from './adapter/scp.js';
import { assemble } from './adapter/sftp.js';
import { parseStat, S_IFDIR, S_IFREG } from './adapter/remote.js';
import { ansibleArgs, hasArg, maskedCommand } from './command-line.js';
import { findProgram, resolveAnsible } from './config.js';
import { galaxyInvocations } from './galaxy.js';
import { inventoryText } from './inventory.js';
import { parseVersion } from './version.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kiln-ansible-unit-'));
const playbook = path.join(dir, 'site.yml');
writeFileSync(playbook, '- hosts: all\n');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveAnsible', () => {
  it("applies Packer's defaults and environment", () => {
    const { settings, diagnostics } = resolveAnsible({ playbook_file: playbook });
    assert.deepEqual(diagnostics, []);
    assert.equal(settings.command, 'ansible-playbook');
    assert.equal(settings.hostAlias, 'default');
    assert.equal(settings.galaxy.command, 'ansible-galaxy');
    assert.equal(settings.keyType, 'ECDSA');
    assert.equal(settings.user, undefined);
    assert.deepEqual(settings.envVars, ['ANSIBLE_HOST_KEY_CHECKING=False', 'ANSIBLE_SCP_IF_SSH=True']);
  });

  it('keeps host key checking with a host key file and scp off with use_sftp', () => {
    const { settings } = resolveAnsible({ playbook_file: playbook, ssh_host_key_file: playbook, use_sftp: true, ansible_env_vars: ['A=1'] });
    assert.deepEqual(settings.envVars, ['A=1']);
  });

  it("reports bad files, ports and key types with Packer's messages", () => {
    const missing = path.join(dir, 'missing.yml');
    const { diagnostics } = resolveAnsible({ playbook_file: missing, galaxy_file: dir, local_port: 70000, ansible_proxy_key_type: 'dsa', inventory_directory: playbook });
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.attribute, d.summary]),
      [
        ['error', 'playbook_file', `playbook_file: ${missing} is invalid: stat ${missing}: no such file or directory`],
        ['error', 'local_port', 'local_port: 70000 must be a valid port'],
        ['error', 'inventory_directory', `inventory_directory: ${playbook} must point to a directory`],
        ['error', 'ansible_proxy_key_type', 'Invalid value for ansible_proxy_key_type: "dsa". Supported values are ECDSA, ED25519 or RSA.'],
        ['error', 'galaxy_file', `galaxy_file: ${dir} must point to a file`],
      ],
    );
  });

  it('adds the WinRM http scheme unless given', () => {
    assert.deepEqual(resolveAnsible({ playbook_file: playbook, ansible_winrm_use_http: true }).settings.extraArguments, ['-e', 'ansible_winrm_scheme=http']);
    assert.deepEqual(resolveAnsible({ playbook_file: playbook, ansible_winrm_use_http: true, extra_arguments: ['ansible_winrm_scheme=https'] }).settings.extraArguments, ['ansible_winrm_scheme=https']);
  });
});

describe('inventory', () => {
  const base = { template: '', hostAlias: 'web', user: 'deploy', host: '127.0.0.1', port: 2222, groups: ['a', 'b'], emptyGroups: ['c'], ansibleMajor: 2, winrm: false };
  it('writes the host line, again under each group, then the empty groups', () => {
    const r = inventoryText(base, packerConfig(), {});
    assert.deepEqual(r, {
      kind: 'ok',
      value:
        'web ansible_host=127.0.0.1 ansible_user=deploy ansible_port=2222\n[a]\nweb ansible_host=127.0.0.1 ansible_user=deploy ansible_port=2222\n[b]\nweb ansible_host=127.0.0.1 ansible_user=deploy ansible_port=2222\n[c]\n',
    });
  });
  it('renders inventory_file_template with the build data, and the Ansible 1 form', () => {
    assert.deepEqual(inventoryText({ ...base, groups: [], emptyGroups: [], template: '{{ .HostAlias }} id={{ .ID }}\n' }, packerConfig(), { ID: 'abc' }), { kind: 'ok', value: 'web id=abc\n' });
    const v1 = inventoryText({ ...base, groups: [], emptyGroups: [], ansibleMajor: 1 }, packerConfig(), {});
    assert.deepEqual(v1, { kind: 'ok', value: 'web ansible_ssh_host=127.0.0.1 ansible_ssh_user=deploy ansible_ssh_port=2222\n' });
  });
});

describe('command line', () => {
  const settings = resolveAnsible({ playbook_file: playbook, extra_arguments: ['-e', 'db_password=hunter2', '--tags=x'] }).settings;
  it("builds Packer's arguments for an SSH build through the proxy", () => {
    const { args, env } = ansibleArgs({ settings, packer: packerConfig(), data: { ConnType: 'ssh', PackerHTTPAddr: '10.0.0.1:8080' }, inventory: '/tmp/inv', playbook, privateKeyFile: '/tmp/key', direct: false });
    assert.deepEqual(args, [
      '-e', 'packer_build_name="test"',
      '-e', 'packer_builder_type=null',
      '-e', 'packer_http_addr=10.0.0.1:8080',
      '--ssh-extra-args', "'-o IdentitiesOnly=yes'",
      '-e', 'db_password=hunter2', '--tags=x',
      '-e', 'ansible_ssh_private_key_file=/tmp/key',
      '-i', '/tmp/inv', playbook,
    ]);
    assert.deepEqual(env, settings.envVars);
  });
  it('passes ansible_ssh_extra_args and leaves out the key when a password is given', () => {
    const s = resolveAnsible({ playbook_file: playbook, ansible_ssh_extra_args: ['-o A=1', '-o B=2'], extra_arguments: ['-e', 'ansible_password=x'] }).settings;
    const { args } = ansibleArgs({ settings: s, packer: packerConfig(), data: { ConnType: 'ssh' }, inventory: 'i', playbook: 'p', privateKeyFile: '/k', direct: false });
    assert.ok(args.includes("'-o A=1' '-o B=2'"));
    assert.ok(!args.some((a) => a.startsWith('ansible_ssh_private_key_file')));
    assert.ok(!args.includes('ansible_host_key_checking=False'), 'ANSIBLE_HOST_KEY_CHECKING is in the environment already');
  });
  it('masks password and secret values and the build password', () => {
    const text = maskedCommand('ansible-playbook', ['-e', 'db_password=hunter2', '-e', 'pw=build-pw'], settings.extraArguments, { Password: 'build-pw' });
    assert.equal(text, 'ansible-playbook -e db_password=***** -e pw=*****');
  });
  it('finds arguments split at =', () => {
    assert.ok(hasArg('ansible_password', ['ansible_password=1']));
    assert.ok(!hasArg('ansible_password', ['my_ansible_password=1']));
  });
});

describe('galaxy', () => {
  const g = { file: 'req.yml', command: 'ansible-galaxy', force: true, forceWithDeps: false, rolesPath: '/r', collectionsPath: '/c' };
  it('installs roles for a roles: or flat file and collections for collections:', () => {
    assert.deepEqual(galaxyInvocations(g, '- src: x\n'), [['install', '-r', 'req.yml', '-f', '-p', '/r']]);
    assert.deepEqual(galaxyInvocations(g, 'collections:\n  - a.b\n'), [['collection', 'install', '-r', 'req.yml', '-f', '-p', '/c']]);
    assert.equal(galaxyInvocations(g, 'roles:\n  - x\ncollections:\n  - a.b\n').length, 2);
  });
});

describe('version', () => {
  it('reads ansible-core and old Ansible versions', () => {
    assert.deepEqual(parseVersion('ansible-playbook', 'ansible-playbook [core 2.14.18]\n  config file = None\n'), { version: '2.14.18', major: 2 });
    assert.deepEqual(parseVersion('ansible-playbook', 'ansible-playbook 1.9.6\n'), { version: '1.9.6', major: 1 });
    assert.ok(parseVersion('ansible-playbook', 'something else') instanceof Error);
  });
  it('finds programs on PATH or by path', () => {
    assert.equal(findProgram('sh', '/nonexistent:/bin'), '/bin/sh');
    assert.equal(findProgram('no-such-program-kiln', '/bin:/usr/bin'), undefined);
    assert.equal(findProgram(playbook), undefined, 'not executable');
  });
});

describe('proxy protocol helpers', () => {
  it('recognizes server-side scp command lines', () => {
    assert.deepEqual(parseScp("scp -t '/home/u/.ansible/tmp/a b/x.py'"), { flags: 't', target: '/home/u/.ansible/tmp/a b/x.py' });
    assert.deepEqual(parseScp('scp -v -r -d -t -- /x'), { flags: 'vrdt', target: '/x' });
    assert.deepEqual(parseScp('scp -f /etc/hostname'), { flags: 'f', target: '/etc/hostname' });
    assert.equal(parseScp('scp /a /b'), undefined, 'a client scp is run as a command');
    assert.equal(parseScp('scp -t /x; rm -rf /'), undefined);
    assert.deepEqual(shellWords(`a "b \\"c\\"" 'd e'f\\ g`), ['a', 'b "c"', 'd ef g']);
  });
  it('reads stat output, with and without a stat program', () => {
    assert.deepEqual(parseStat('81a4 12 1700000000\n'), { mode: S_IFREG | 0o644, size: 12, mtime: 1700000000 });
    assert.deepEqual(parseStat('dir\n'), { mode: S_IFDIR | 0o755, size: 0, mtime: 0 });
    assert.equal(parseStat('missing\n'), undefined);
  });
  it('assembles out-of-order SFTP writes', () => {
    const out = assemble([{ offset: 3, data: Buffer.from('def') }, { offset: 0, data: Buffer.from('abc') }]);
    assert.equal(out.toString(), 'abcdef');
  });
});
