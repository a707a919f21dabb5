/**
 * The docker builder's options (packer-plugin-docker `builder/docker/config.go`) and
 * its cross-field checks. Image references and registry addresses are checked here,
 * so a typo stops the build before any container starts.
 */
import { statSync } from 'node:fs';
import { communicatorErrors, communicatorSchema } from '../../../sdk/communicator-config.js';
import type { PrepareDiagnostic } from '../../../sdk/component.js';
import { prepareError, prepareWarning } from '../../../sdk/component.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { bool, list, map, str } from '../../../sdk/schema/index.js';
import { imageRefProblem, registryProblem } from '../../../sdk/docker/image-ref.js';

export const dockerSchema = {
  ...communicatorSchema,
  image: str().doc('The base image, e.g. `debian:12` or `127.0.0.1:5000/base:1`. Required.'),
  pull: bool().default(true).doc('Pull `image` before starting the container.'),
  commit: bool().doc('Commit the container to an image at the end. One of `commit`, `discard`, `export_path` is required.'),
  discard: bool().doc('Throw the container away at the end (for builds whose output is elsewhere).'),
  export_path: str().doc('Export the container\'s filesystem to this tar file at the end (`docker export`).'),
  changes: list(str()).doc('Dockerfile instructions applied on commit, e.g. `ENV A=b`, `CMD ["/app"]`.'),
  author: str().doc('The committed image\'s author.'),
  message: str().doc('The commit message.'),
  platform: str().doc('The platform to pull and run, e.g. `linux/amd64`.'),
  run_command: list(str()).late().doc('The `docker run` arguments; `{{.Image}}` is the image. Default `["-d", "-i", "-t", "--entrypoint=/bin/sh", "--", "{{.Image}}"]`.'),
  volumes: map(str()).localPath().doc('Host path → container path mounts (`-v`); `~/` is the home folder.'),
  container_dir: str().default('/packer-files').doc('Where the build\'s temporary host folder is mounted in the container.'),
  privileged: bool().doc('Run the container with `--privileged`.'),
  cap_add: list(str()).doc('Capabilities to add (`--cap-add`).'),
  cap_drop: list(str()).doc('Capabilities to drop (`--cap-drop`).'),
  tmpfs: list(str()).doc('tmpfs mounts (`--tmpfs`), e.g. `/run:rw,size=64m`.'),
  device: list(str()).doc('Host devices to add (`--device`).'),
  runtime: str().doc('The container runtime (`--runtime`), e.g. `runsc`.'),
  exec_user: str().doc('Who provisioner commands run as (`docker exec -u`); default the container\'s user.'),
  fix_upload_owner: bool().default(true).doc('Give uploaded files to the container\'s user (`docker cp` creates them as root).'),
  docker_path: str().default('docker').noEffect().doc('The docker client to run.'),
  login: bool().noEffect().doc('Log in to `login_server` before pulling (credentials kept in a private client configuration).'),
  login_server: str().noEffect().doc('The registry to log in to, e.g. `registry.example.com:5000`.'),
  login_username: str().noEffect().doc('The user name for `login`.'),
  login_password: str().noEffect().doc('The password for `login`.'),
};

export type DockerConfig = Infer<typeof dockerSchema>;

export const ERR_ARTIFACT_NOT_USED = 'No instructions given for handling the artifact; expected commit, discard, or export_path';
export const ERR_ARTIFACT_CONFLICT = 'Cannot specify more than one of commit, discard, and export_path';
export const ERR_EXPORT_NOT_FILE = 'export_path must be a file, not a directory';

/** What the build does with the container at the end. */
export type Outcome = { readonly kind: 'commit' } | { readonly kind: 'discard' } | { readonly kind: 'export'; readonly path: string };

/** The outcome the (prepared) config asks for. */
export function outcomeOf(c: DockerConfig): Outcome {
  if (c.commit === true) return { kind: 'commit' };
  if (c.discard === true) return { kind: 'discard' };
  return { kind: 'export', path: c.export_path ?? '' };
}

/** Packer's checks, plus the image reference and registry address, each at its attribute. */
export function prepareDocker(c: DockerConfig): PrepareDiagnostic[] {
  const diags: PrepareDiagnostic[] = [];
  const err = (message: string, attribute?: string) => diags.push(prepareError(message, attribute));
  const comm = { ...c, communicator: c.communicator || 'docker' };
  for (const e of communicatorErrors(comm)) err(e, 'communicator');

  const image = c.image ?? '';
  if (image === '') {
    err("missing 'image' attribute, it needs to be specified for a build to run.");
  } else {
    const problem = imageRefProblem(image);
    if (problem !== undefined) err(`image "${image}" is not a valid image reference: ${problem}`, 'image');
  }

  const exportPath = c.export_path ?? '';
  const chosen = [c.commit === true, c.discard === true, exportPath !== ''].filter(Boolean).length;
  if (chosen > 1) err(ERR_ARTIFACT_CONFLICT);
  if (chosen === 0) err(ERR_ARTIFACT_NOT_USED);
  if (exportPath !== '' && isDirectory(exportPath)) err(ERR_EXPORT_NOT_FILE, 'export_path');

  if (c.login === true && (c.login_server ?? '') !== '') {
    const problem = registryProblem(c.login_server ?? '');
    if (problem !== undefined) err(`login_server is not a registry address: ${problem}`, 'login_server');
  }
  if (c.login === true && (c.login_password ?? '') !== '' && (c.login_username ?? '') === '') {
    err('login_password is set but login_username is not', 'login_password');
  }
  if (c.login !== true && ((c.login_username ?? '') !== '' || (c.login_password ?? '') !== '')) {
    diags.push(prepareWarning('login_username and login_password are ignored unless login = true', 'login_username'));
  }
  if ((c.run_command ?? []).length > 0 && !(c.run_command ?? []).some((a) => /\{\{\s*\.Image\s*\}\}/.test(a))) {
    diags.push(prepareWarning('run_command does not mention {{.Image}}: the container will not run the configured image unless the command names it', 'run_command'));
  }
  return diags;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
