/**
 * The same 10-task playbook over SSH to a local sshd, three ways with the same
 * ansible.cfg (`ANSIBLE_CONFIG`; Ansible's defaults otherwise — no pipelining):
 * - `ansible-playbook` run directly against the sshd (the floor);
 * - `kiln build` with the `ansible` provisioner through kiln's SSH proxy (`null`
 *   builder over SSH, key auth);
 * - Debian's packer 1.6.6 with its `ansible` provisioner, with what it needs to work
 *   with OpenSSH 9.2 and ansible-core 2.14: `use_sftp = true`, `user` and
 *   `ansible_ssh_extra_args = ["-o HostKeyAlgorithms=+ssh-rsa -o PubkeyAcceptedKeyTypes=+ssh-rsa"]`.
 * Rounds are interleaved after a warm-up round; each run starts from an empty remote
 * folder and must leave the playbook's last file. Targets: kiln ≤ 1.05 × direct and
 * ≤ 0.95 × packer (median ratios). BENCH_RUNS sets the rounds (≥5).
 */
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestUser, startSshd } from '../test/support/sshd.js';
import type { Command } from './timing.js';
import { describeTimes, loadLine, ratio, timeOnce } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Ten tasks of the usual modules, every one changing something. */
export function tenTaskPlaybook(): string {
  const tasks = [
    ['file', 'path: "{{ remote_dir }}/etc"\n        state: directory'],
    ['copy', 'content: "one\\n"\n        dest: "{{ remote_dir }}/etc/one.conf"'],
    ['copy', 'content: "two\\n"\n        dest: "{{ remote_dir }}/etc/two.conf"\n        mode: "0600"'],
    ['lineinfile', 'path: "{{ remote_dir }}/etc/app.ini"\n        line: "enabled=true"\n        create: true'],
    ['lineinfile', 'path: "{{ remote_dir }}/etc/app.ini"\n        line: "level=debug"'],
    ['template', 'src: greeting.j2\n        dest: "{{ remote_dir }}/etc/greeting"'],
    ['command', 'cmd: touch {{ remote_dir }}/stamp\n        creates: "{{ remote_dir }}/stamp"'],
    ['file', 'path: "{{ remote_dir }}/link"\n        src: "{{ remote_dir }}/etc/one.conf"\n        state: link'],
    ['shell', 'cmd: echo done > {{ remote_dir }}/shell.out\n        creates: "{{ remote_dir }}/shell.out"'],
    ['copy', 'content: "last\\n"\n        dest: "{{ remote_dir }}/last.txt"'],
  ];
  const body = tasks.map(([m, args], i) => `    - name: task ${i + 1} ${m}\n      ansible.builtin.${m}:\n        ${args}\n`).join('');
  return `- hosts: all\n  gather_facts: false\n  tasks:\n${body}`;
}

function nullSshTemplate(port: number, user: string, key: string, provisioner: string): string {
  return [
    'source "null" "ssh" {',
    '  communicator         = "ssh"',
    '  ssh_host             = "127.0.0.1"',
    `  ssh_port             = ${port}`,
    `  ssh_username         = "${user}"`,
    `  ssh_private_key_file = "${key}"`,
    '}',
    '',
    'build {',
    '  sources = ["source.null.ssh"]',
    provisioner,
    '}',
    '',
  ].join('\n');
}

export async function benchAnsible(): Promise<void> {
  const runs = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
  const user = ensureTestUser();
  const server = await startSshd();
  const work = mkdtempSync(path.join(tmpdir(), 'kiln-bench-ansible-'));
  const remote = mkdtempSync(path.join(tmpdir(), 'kiln-bench-ansible-remote-'));
  chownSync(remote, user.uid, user.gid);
  try {
    await server.ready;
    const playbook = path.join(work, 'playbook.yml');
    writeFileSync(playbook, tenTaskPlaybook());
    writeFileSync(path.join(work, 'greeting.j2'), 'hello {{ inventory_hostname }}\n');
    const cfg = path.join(work, 'ansible.cfg');
    writeFileSync(cfg, '[defaults]\nhost_key_checking = False\nretry_files_enabled = False\n');
    const env = { ANSIBLE_CONFIG: cfg, PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1', ANSIBLE_NOCOLOR: '1' };
    const dirFor = (label: string): string => `${remote}/${label}`;
    const extra = (label: string): string => `"-e", "remote_dir=${dirFor(label)}"`;

    const inventory = path.join(work, 'inventory');
    writeFileSync(inventory, `default ansible_host=127.0.0.1 ansible_port=${server.port} ansible_user=${user.name} ansible_ssh_private_key_file=${user.privateKeyPath}\n`);
    const direct: Command = { label: 'ansible-playbook direct', argv: ['ansible-playbook', '-i', inventory, '-e', `remote_dir=${dirFor('direct')}`, playbook], env };

    const kilnDir = path.join(work, 'kiln');
    mkdirSync(kilnDir);
    writeFileSync(
      path.join(kilnDir, 'build.pkr.hcl'),
      nullSshTemplate(server.port, user.name, user.privateKeyPath, `  provisioner "ansible" {\n    playbook_file   = "${playbook}"\n    extra_arguments = [${extra('kiln')}]\n  }`),
    );
    const kiln: Command = { label: 'kiln ansible (proxy)', argv: [path.join(root, 'bin', 'kiln'), 'build', '-color=false', '.'], cwd: kilnDir, env };

    const packerDir = path.join(work, 'packer');
    mkdirSync(packerDir);
    writeFileSync(
      path.join(packerDir, 'build.pkr.hcl'),
      nullSshTemplate(
        server.port,
        user.name,
        user.privateKeyPath,
        `  provisioner "ansible" {\n    playbook_file   = "${playbook}"\n    user            = "${user.name}"\n    use_sftp        = true\n` +
          `    ansible_ssh_extra_args = ["-o HostKeyAlgorithms=+ssh-rsa -o PubkeyAcceptedKeyTypes=+ssh-rsa"]\n    extra_arguments = [${extra('packer')}]\n  }`,
      ),
    );
    const packer: Command = { label: 'packer 1.6.6 ansible', argv: ['packer', 'build', '-color=false', '.'], cwd: packerDir, env };

    const contenders: [string, Command][] = [
      ['direct', direct],
      ['kiln', kiln],
      ['packer', packer],
    ];
    /** One run's wall time, or undefined when it failed (reported, and its round left out). */
    const once = (label: string, c: Command): number | undefined => {
      rmSync(dirFor(label), { recursive: true, force: true });
      mkdirSync(dirFor(label));
      chownSync(dirFor(label), user.uid, user.gid);
      try {
        const ms = timeOnce(c);
        if (!existsSync(`${dirFor(label)}/last.txt`)) throw new Error(`${c.label}: exited 0 but the playbook's last task left nothing`);
        return ms;
      } catch (err) {
        console.log(`FAILED: ${(err as Error).message.split('\n')[0] ?? ''}`);
        return undefined;
      }
    };
    console.log(`before: ${loadLine()}`);
    const times = new Map<string, number[]>(contenders.map(([l]) => [l, []]));
    for (const [l, c] of contenders) once(l, c); // warm-up round
    let failedRounds = 0;
    for (let i = 0; i < runs; i++) {
      const round = contenders.map(([l, c]) => [l, once(l, c)] as const);
      if (round.some(([, ms]) => ms === undefined)) failedRounds++;
      else for (const [l, ms] of round) times.get(l)?.push(ms ?? 0);
    }
    if (failedRounds > 0) console.log(`${failedRounds} of ${runs} rounds left out: a run failed (see FAILED above)`);
    for (const [l, c] of contenders) console.log(describeTimes(c.label, times.get(l) ?? []));
    const k = times.get('kiln') ?? [];
    const vsDirect = ratio(k, times.get('direct') ?? []);
    const vsPacker = ratio(k, times.get('packer') ?? []);
    const f = (r: { median: number; min: number; max: number }): string => `${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)})`;
    console.log(`10-task playbook: kiln/direct ${f(vsDirect)}, target ≤ 1.05; kiln/packer ${f(vsPacker)}, target ≤ 0.95 (whole builds, start-up included)`);
    console.log(`after: ${loadLine()}`);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(remote, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchAnsible();
