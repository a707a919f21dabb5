/**
 * Ansible content the `ansible*` end-to-end tests and bench/ansible.ts run: a playbook
 * with copy, template, lineinfile, command, a handler and a role from a local roles
 * folder (optionally an `apt` install of a local .deb, for root targets), a galaxy
 * role packed as a tarball, and a playbook directory for `ansible-local`. Every effect
 * lands under the `remote_dir` variable so a test can look at it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export interface AnsibleFixtures {
  readonly dir: string;
  /** The full playbook (see the module comment). */
  readonly playbook: string;
  /** Roles folder holding `marker` (not beside the playbook: found only through ANSIBLE_ROLES_PATH). */
  readonly roles: string;
  /** One task that fails with `FAILED-ON-PURPOSE`. */
  readonly failing: string;
  /** Copies a file up and fetches one back (`fetched/` beside `remote_dir`'s files). */
  readonly transfers: string;
  /** `command: sleep 300`, for cancelling. */
  readonly sleeping: string;
  /** A requirements file naming the tarball role `galrole`, and a playbook using it. */
  readonly galaxyFile: string;
  readonly galaxyPlaybook: string;
  /** For ansible-local: a playbook folder with `site.yml`, a role folder and group_vars. */
  readonly localDir: string;
  readonly localRole: string;
  readonly localGroupVars: string;
}

const ROLE_TASK = `- name: role marker
  ansible.builtin.copy:
    content: "role {{ marker_text | default('ran') }}\\n"
    dest: "{{ remote_dir }}/role.txt"
`;

/** The main playbook; `apt` adds the upload and install of `{{ deb_file }}` (a local package file) for root targets. */
export function mainPlaybook(opts: { apt?: boolean } = {}): string {
  const apt = opts.apt
    ? `    - name: copy the .deb
      ansible.builtin.copy:
        src: "{{ deb_file }}"
        dest: /tmp/kiln-hello.deb
    - name: package from a local .deb
      ansible.builtin.apt:
        deb: /tmp/kiln-hello.deb
`
    : '';
  return `- hosts: all
  gather_facts: false
  tasks:
    - name: remote_dir exists
      ansible.builtin.file:
        path: "{{ remote_dir }}"
        state: directory
    - name: copy
      ansible.builtin.copy:
        content: "copied\\n"
        dest: "{{ remote_dir }}/copied.txt"
        mode: "0640"
    - name: template
      ansible.builtin.template:
        src: templates/greeting.j2
        dest: "{{ remote_dir }}/greeting.txt"
    - name: lineinfile
      ansible.builtin.lineinfile:
        path: "{{ remote_dir }}/config.ini"
        line: enabled=true
        create: true
      notify: mark handler
    - name: command
      ansible.builtin.command: touch {{ remote_dir }}/command-ran
      args:
        creates: "{{ remote_dir }}/command-ran"
${apt}    - name: role
      ansible.builtin.include_role:
        name: marker
    - name: show the token
      ansible.builtin.debug:
        msg: "token is {{ token | default('none') }}"
  handlers:
    - name: mark handler
      ansible.builtin.command: touch {{ remote_dir }}/handler-ran
`;
}

export function writeAnsibleFixtures(dir: string, opts: { apt?: boolean } = {}): AnsibleFixtures {
  const f: AnsibleFixtures = {
    dir,
    playbook: path.join(dir, 'playbook.yml'),
    roles: path.join(dir, 'shared-roles'),
    failing: path.join(dir, 'failing.yml'),
    transfers: path.join(dir, 'transfers.yml'),
    sleeping: path.join(dir, 'sleeping.yml'),
    galaxyFile: path.join(dir, 'galaxy', 'requirements.yml'),
    galaxyPlaybook: path.join(dir, 'galaxy', 'playbook.yml'),
    localDir: path.join(dir, 'local', 'site'),
    localRole: path.join(dir, 'local', 'localrole'),
    localGroupVars: path.join(dir, 'local', 'group_vars'),
  };
  write(f.playbook, mainPlaybook(opts));
  write(path.join(dir, 'templates', 'greeting.j2'), 'hello {{ inventory_hostname }} from {{ greeting_from }}\n');
  write(path.join(f.roles, 'marker', 'tasks', 'main.yml'), ROLE_TASK);
  write(f.failing, `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: fail on purpose\n      ansible.builtin.fail:\n        msg: FAILED-ON-PURPOSE\n`);
  write(
    f.transfers,
    `- hosts: all
  gather_facts: false
  tasks:
    - name: upload
      ansible.builtin.copy:
        content: "{{ content }}\\n"
        dest: "{{ remote_dir }}/up.txt"
    - name: download
      ansible.builtin.fetch:
        src: "{{ remote_dir }}/up.txt"
        dest: "{{ fetch_dir }}/"
        flat: true
`,
  );
  write(f.sleeping, `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: sleep long\n      ansible.builtin.command: sleep 300\n`);
  // Galaxy: a role packed as a tarball, installed from a local path (no network).
  const src = path.join(dir, 'galaxy', 'src');
  write(path.join(src, 'galrole', 'tasks', 'main.yml'), `- name: galaxy role\n  ansible.builtin.copy:\n    content: "from galaxy\\n"\n    dest: "{{ remote_dir }}/galaxy.txt"\n`);
  write(path.join(src, 'galrole', 'meta', 'main.yml'), 'galaxy_info:\n  author: kiln\n  description: test role\n  license: MIT\n  min_ansible_version: "2.9"\n  platforms: []\ndependencies: []\n');
  const tarball = path.join(dir, 'galaxy', 'galrole.tar.gz');
  execFileSync('tar', ['-C', src, '-czf', tarball, 'galrole']);
  write(f.galaxyFile, `roles:\n  - src: ${tarball}\n    name: galrole\n`);
  write(f.galaxyPlaybook, `- hosts: all\n  gather_facts: false\n  roles:\n    - galrole\n`);
  // ansible-local: site.yml uses a role from role_paths and a variable from group_vars.
  write(
    path.join(f.localDir, 'site.yml'),
    `- hosts: all\n  gather_facts: false\n  roles:\n    - localrole\n  tasks:\n    - name: from group_vars\n      ansible.builtin.copy:\n        content: "{{ group_message }}\\n"\n        dest: "{{ remote_dir }}/group.txt"\n`,
  );
  write(path.join(f.localDir, 'templates', 'unused.j2'), 'playbook_dir content\n');
  write(path.join(f.localRole, 'tasks', 'main.yml'), `- name: local role\n  ansible.builtin.copy:\n    content: "local role\\n"\n    dest: "{{ remote_dir }}/local-role.txt"\n`);
  write(path.join(f.localGroupVars, 'all.yml'), 'group_message: from group_vars\n');
  return f;
}
