// `kiln build` end to end with the `ansible` and `ansible-local` provisioners on a
// `null` build over SSH to a real OpenSSH sshd (test/support/sshd.ts), with Debian's
// ansible-core and OpenSSH 9 client: through kiln's SSH proxy (sftp, scp over SFTP,
// legacy scp -O), with `use_proxy = false`, `ansible-local`, `galaxy_file` from a
// local tarball, a failing task, Ctrl-C, and bad input. The "remote" machine is this
// one, so the test reads the effects directly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';
import { ensureTestUser, startSshd } from '../support/sshd.js';
import type { TestServer, TestUser } from '../support/sshd.js';
import type { AnsibleFixtures } from './ansible-fixtures.js';
import { writeAnsibleFixtures } from './ansible-fixtures.js';
import { kilnBuild, nullSshSource, provisioner, tempFolder, writeTemplate } from './ssh-harness.js';
import type { HclValue } from './ssh-harness.js';

let user: TestUser;
let sshd: TestServer;
let work: string;
let fx: AnsibleFixtures;
const remotes: string[] = [];

before(async () => {
  user = ensureTestUser();
  sshd = await startSshd();
  await sshd.ready;
  work = tempFolder('ansible');
  fx = writeAnsibleFixtures(path.join(work, 'fixtures'));
});

after(async () => {
  await sshd?.stop();
  for (const dir of [work, ...remotes]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A folder the test user owns, where the playbook's effects land. */
function remoteDir(name: string): string {
  const r = tempFolder(`ansible-${name}`, user);
  remotes.push(r);
  return r;
}

const TOKEN = 's3cr3t-kiln-token-42';

/** A build of one `null` source over SSH (key auth) with `provisioners`; a sensitive variable `token`. */
function build(name: string, provisioners: readonly string[], extra: Readonly<Record<string, HclValue>> = {}): string {
  const source = nullSshSource('box', sshd, user, 'key', { ssh_timeout: '30s', ...extra });
  const text = `variable "token" {\n  type = string\n  default = "${TOKEN}"\n  sensitive = true\n}\n\n${source}\nbuild {\n  sources = ["source.null.box"]\n${provisioners.join('')}}\n`;
  return writeTemplate(work, name, text);
}

function assertMainEffects(r: string): void {
  assert.equal(readFileSync(path.join(r, 'copied.txt'), 'utf8'), 'copied\n');
  assert.equal(statSync(path.join(r, 'copied.txt')).mode & 0o777, 0o640, 'copy sets the mode');
  assert.equal(readFileSync(path.join(r, 'greeting.txt'), 'utf8'), 'hello default from kiln\n');
  assert.equal(readFileSync(path.join(r, 'config.ini'), 'utf8'), 'enabled=true\n');
  assert.ok(existsSync(path.join(r, 'command-ran')), 'command ran');
  assert.ok(existsSync(path.join(r, 'handler-ran')), 'the handler ran');
  assert.equal(readFileSync(path.join(r, 'role.txt'), 'utf8'), 'role ran\n');
  assert.equal(statSync(path.join(r, 'copied.txt')).uid, user.uid, 'files belong to the communicator user');
}

/**
 * `kiln build` in `dir`, sent SIGINT 2 s after the first output line `when` accepts
 * (time for Ansible to start the remote command).
 */
function interruptedBuild(dir: string, when: (line: string) => boolean): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'bin', 'kiln'), ['build', '-color=false', '.'], { cwd: dir, env: { ...process.env, PACKER_NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer): void => {
      const text = d.toString();
      out += text;
      if (text.split('\n').some(when)) setTimeout(() => child.kill('SIGINT'), 2_000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

/** ansible-playbook processes still running for `file` (found through /proc). */
function playbookProcesses(file: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(file)) out.push(Number(e));
    } catch {
      // ended while we looked
    }
  }
  return out;
}

describe('ansible provisioner over SSH', () => {
  it('runs copy, template, lineinfile, command, a handler and a role through the proxy, masking a sensitive variable', async () => {
    const r = remoteDir('proxy');
    const dir = build('proxy', [
      provisioner('ansible', {
        playbook_file: fx.playbook,
        extra_arguments: ['-e', `remote_dir=${r}`, '-e', 'greeting_from=kiln', '-e', 'token=${var.token}'],
        ansible_env_vars: [`ANSIBLE_ROLES_PATH=${fx.roles}`],
      }),
    ]);
    const run = await kilnBuild(dir);
    assert.equal(run.status, 0, run.out);
    assert.match(run.out, /Setting up proxy adapter for Ansible/);
    assert.match(run.out, /TASK \[marker : role marker\]/);
    assert.match(run.out, /RUNNING HANDLER \[mark handler\]/);
    assert.match(run.out, /default\s+: ok=8\s+changed=6\s+unreachable=0\s+failed=0/);
    assert.ok(!run.out.includes(TOKEN), 'the sensitive variable never appears');
    assert.match(run.out, /token is <sensitive>/);
    assertMainEffects(r);
  });

  it('moves files both ways with sftp (use_sftp), scp over SFTP (the default) and legacy scp -O', async () => {
    const variants: [string, Record<string, HclValue>][] = [
      ['sftp', { use_sftp: true }],
      ['scp', {}],
      ['scp-legacy', { ansible_env_vars: ['ANSIBLE_SCP_EXTRA_ARGS=-O'] }],
    ];
    const dirs = variants.map(([name]) => ({ r: remoteDir(name), fetched: path.join(work, `fetched-${name}`) }));
    const dir = build(
      'transfers',
      variants.map(([name, extra], i) =>
        provisioner('ansible', {
          playbook_file: fx.transfers,
          extra_arguments: ['-e', `remote_dir=${dirs[i]?.r ?? ''}`, '-e', `fetch_dir=${dirs[i]?.fetched ?? ''}`, '-e', `content=via-${name}`],
          ...extra,
        }),
      ),
    );
    const run = await kilnBuild(dir);
    assert.equal(run.status, 0, run.out);
    variants.forEach(([name], i) => {
      const d = dirs[i];
      assert.ok(d);
      assert.equal(readFileSync(path.join(d.r, 'up.txt'), 'utf8'), `via-${name}\n`, `${name}: upload`);
      assert.equal(readFileSync(path.join(d.fetched, 'up.txt'), 'utf8'), `via-${name}\n`, `${name}: download`);
    });
  });

  it('connects straight to the machine with use_proxy = false', async () => {
    const r = remoteDir('direct');
    const dir = build('direct', [
      provisioner('ansible', {
        playbook_file: fx.playbook,
        use_proxy: false,
        extra_arguments: ['-e', `remote_dir=${r}`, '-e', 'greeting_from=kiln'],
        ansible_env_vars: [`ANSIBLE_ROLES_PATH=${fx.roles}`],
      }),
    ]);
    const run = await kilnBuild(dir);
    assert.equal(run.status, 0, run.out);
    assert.match(run.out, /Not using Proxy adapter for Ansible run/);
    assert.doesNotMatch(run.out, /Setting up proxy adapter/);
    assert.match(run.out, new RegExp(`ansible_ssh_private_key_file=${user.privateKeyPath.replaceAll('.', '\\.')}`));
    assertMainEffects(r);
  });

  it('ansible-local uploads playbook_dir, role_paths and group_vars and runs with -c local', async () => {
    const r = remoteDir('local');
    const staging = path.join(r, 'staging');
    const dir = build('local', [
      provisioner('ansible-local', {
        playbook_dir: fx.localDir,
        playbook_file: path.join(fx.localDir, 'site.yml'),
        role_paths: [fx.localRole],
        group_vars: fx.localGroupVars,
        staging_directory: staging,
        extra_arguments: [`-e remote_dir=${r}`],
      }),
    ]);
    const run = await kilnBuild(dir);
    assert.equal(run.status, 0, run.out);
    assert.match(run.out, /-c local -i /);
    assert.equal(readFileSync(path.join(r, 'local-role.txt'), 'utf8'), 'local role\n');
    assert.equal(readFileSync(path.join(r, 'group.txt'), 'utf8'), 'from group_vars\n');
    assert.ok(existsSync(path.join(staging, 'templates', 'unused.j2')), 'playbook_dir was uploaded as the staging directory');
    assert.ok(existsSync(path.join(staging, 'roles', 'localrole', 'tasks', 'main.yml')));
    assert.ok(existsSync(path.join(staging, 'group_vars', 'all.yml')));
  });

  it('installs a galaxy_file role from a local tarball into roles_path before the playbook', async () => {
    const r = remoteDir('galaxy');
    const rolesPath = path.join(work, 'galaxy-roles');
    mkdirSync(rolesPath, { recursive: true });
    const dir = build('galaxy', [
      provisioner('ansible', {
        playbook_file: fx.galaxyPlaybook,
        galaxy_file: fx.galaxyFile,
        roles_path: rolesPath,
        extra_arguments: ['-e', `remote_dir=${r}`],
        ansible_env_vars: [`ANSIBLE_ROLES_PATH=${rolesPath}`],
      }),
    ]);
    const run = await kilnBuild(dir);
    assert.equal(run.status, 0, run.out);
    assert.match(run.out, /Executing Ansible Galaxy/);
    assert.match(run.out, /galrole was installed successfully/);
    assert.ok(existsSync(path.join(rolesPath, 'galrole', 'tasks', 'main.yml')));
    assert.equal(readFileSync(path.join(r, 'galaxy.txt'), 'utf8'), 'from galaxy\n');
  });

  it('fails the build with Ansible\'s message when a task fails', async () => {
    const dir = build('failing', [provisioner('ansible', { playbook_file: fx.failing })]);
    const run = await kilnBuild(dir);
    assert.equal(run.status, 1, run.out);
    assert.match(run.out, /FAILED-ON-PURPOSE/);
    assert.match(run.out, /Error executing Ansible: Non-zero exit status: exit status 2/);
    assert.match(run.out, /Build 'null\.box' errored/);
  });

  it('an unreachable machine fails the build with a hint', async () => {
    const dir = build('unreachable', [provisioner('ansible', { playbook_file: fx.sleeping, use_proxy: false, user: 'kiln-no-such-user' })]);
    const run = await kilnBuild(dir);
    assert.equal(run.status, 1, run.out);
    assert.match(run.out, /UNREACHABLE!/);
    assert.match(run.out, /Error executing Ansible: Non-zero exit status: exit status 4 \(the machine was unreachable: check that 127\.0\.0\.1:\d+ accepts SSH as "kiln-no-such-user" with the build's key\)/);
  });

  it('Ctrl-C stops ansible-playbook and the proxy', async () => {
    const inventoryDir = path.join(work, 'inventory-cancel');
    mkdirSync(inventoryDir, { recursive: true });
    const dir = build('cancel', [provisioner('ansible', { playbook_file: fx.sleeping, keep_inventory_file: true, inventory_directory: inventoryDir })]);
    let sent = false;
    const run = await interruptedBuild(dir, (line) => !sent && line.includes('TASK [sleep long]') && (sent = true));
    assert.ok(sent, run.out);
    assert.notEqual(run.status, 0, run.out);
    assert.match(run.out, /Cancelling build after receiving interrupt/);
    assert.deepEqual(playbookProcesses(fx.sleeping), [], 'no ansible-playbook left');
    const inventory = readdirSync(inventoryDir).map((f) => readFileSync(path.join(inventoryDir, f), 'utf8'))[0] ?? '';
    const port = Number(/ansible_port=(\d+)/.exec(inventory)?.[1]);
    assert.ok(port > 0, inventory);
    const listening = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    assert.equal(listening, false, 'nothing listens on the proxy port');
  });
});

describe('ansible provisioner: bad input is a diagnostic naming file and line', () => {
  const check = async (name: string, body: Readonly<Record<string, HclValue>>, want: RegExp, env: Record<string, string> = {}): Promise<void> => {
    const dir = build(name, [provisioner('ansible', body)]);
    const run = await kilnBuild(dir, { env });
    assert.equal(run.status, 1, run.out);
    assert.match(run.out, want);
    assert.match(run.out, /on build\.pkr\.hcl line \d+/);
  };

  it('a missing playbook', async () => {
    await check('missing-playbook', { playbook_file: path.join(work, 'nope.yml') }, /playbook_file: .*nope\.yml is invalid: stat .*nope\.yml: no such file or directory/);
  });

  it('ansible-playbook not installed', async () => {
    // A PATH with node only: kiln runs, ansible-playbook is nowhere.
    const bin = path.join(work, 'node-only-bin');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(path.join(bin, 'node'))) symlinkSync(process.execPath, path.join(bin, 'node'));
    await check('no-ansible', { playbook_file: fx.playbook }, /ansible-playbook was not found on PATH\. Install Ansible on this host \(Debian\/Ubuntu: apt-get install ansible-core/, { PATH: bin });
  });

  it('an unknown option', async () => {
    await check('unknown-option', { playbook_file: fx.playbook, playbok_dir: 'x' }, /Unsupported argument[\s\S]*An argument named "playbok_dir" is not expected here/);
  });
});
