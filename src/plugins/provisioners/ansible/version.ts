/**
 * Finding and checking `ansible-playbook`. The PATH lookup is cheap and runs in
 * prepare (a missing program is a diagnostic on the provisioner block); the
 * `--version` run costs a Python start-up (about a second on a loaded host), so it
 * starts in prepare and is awaited only when the provisioner runs, while the build
 * gets its machine ready.
 */
import { execFile } from 'node:child_process';
import { findProgram } from './config.js';

export interface AnsibleVersion {
  /** `2.14.18` */
  readonly version: string;
  readonly major: number;
}

/** Packer's message plus how to get the program. */
export function notInstalledMessage(command: string): string {
  const program = command === 'ansible-playbook' || command.endsWith('/ansible-playbook') ? 'ansible-playbook' : command;
  return (
    `Error running "${command} --version": ${program} was not found${command.includes('/') ? '' : ' on PATH'}. ` +
    'Install Ansible on this host (Debian/Ubuntu: apt-get install ansible-core; elsewhere: python3 -m pip install ansible-core), ' +
    'set `command` to its path, or set `skip_version_check = true` if the build installs it.'
  );
}

/** Undefined when `command` can be run; else the error to report. */
export function checkInstalled(command: string): string | undefined {
  return findProgram(command) === undefined ? notInstalledMessage(command) : undefined;
}

const runs = new Map<string, Promise<AnsibleVersion | Error>>();

/** `command --version`, run once per command and process; resolves to the version or the error to report. */
export function ansibleVersion(command: string): Promise<AnsibleVersion | Error> {
  let run = runs.get(command);
  if (!run) {
    run = readVersion(command);
    runs.set(command, run);
  }
  return run;
}

function readVersion(command: string): Promise<AnsibleVersion | Error> {
  return new Promise((resolve) => {
    execFile(command, ['--version'], { timeout: 60_000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        resolve(new Error(code === 'ENOENT' ? notInstalledMessage(command) : `Error running "${command} --version": ${err.message.trim()}`));
        return;
      }
      resolve(parseVersion(command, stdout));
    });
  });
}

/** The version in `--version` output (`ansible-playbook [core 2.14.18]`, `ansible-playbook 2.9.6`). */
export function parseVersion(command: string, out: string): AnsibleVersion | Error {
  const m = /\w (\d+\.\d+[.\d]*)/.exec(out);
  if (!m?.[1]) return new Error(`Could not find ${command} version in output:\n${out}`);
  const version = m[1];
  const major = Number(version.split('.')[0]);
  if (!Number.isInteger(major)) return new Error(`Could not parse major version from "${version}".`);
  return { version, major };
}
