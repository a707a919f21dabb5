import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { changesWithDefaults } from './steps/commit.js';
import { ERR_ARTIFACT_CONFLICT, ERR_ARTIFACT_NOT_USED, ERR_EXPORT_NOT_FILE, outcomeOf, prepareDocker, type DockerConfig } from './config.js';

const base = (over: Partial<DockerConfig> = {}): DockerConfig => ({ pull: true, container_dir: '/packer-files', fix_upload_owner: true, docker_path: 'docker', image: 'debian:12', commit: true, ...over });

/** prepareDocker's diagnostics as Packer's two message lists. */
function issues(c: DockerConfig): { errors: string[]; warnings: string[] } {
  const d = prepareDocker(c);
  return { errors: d.filter((x) => x.severity === 'error').map((x) => x.summary), warnings: d.filter((x) => x.severity === 'warning').map((x) => x.summary) };
}

describe('prepareDocker', () => {
  it('accepts a plain commit build with the docker communicator by default', () => {
    assert.deepEqual(issues(base()), { errors: [], warnings: [] });
    assert.deepEqual(outcomeOf(base()), { kind: 'commit' });
    assert.deepEqual(outcomeOf(base({ commit: false, export_path: 'x.tar' })), { kind: 'export', path: 'x.tar' });
    assert.deepEqual(outcomeOf(base({ commit: false, discard: true })), { kind: 'discard' });
  });

  it("has Packer's messages for the artifact choice and a missing image", () => {
    assert.deepEqual(issues(base({ commit: false })).errors, [ERR_ARTIFACT_NOT_USED]);
    assert.deepEqual(issues(base({ discard: true })).errors, [ERR_ARTIFACT_CONFLICT]);
    assert.deepEqual(issues(base({ image: undefined })).errors, ["missing 'image' attribute, it needs to be specified for a build to run."]);
    const dir = mkdtempSync(path.join(tmpdir(), 'kiln-docker-config-'));
    try {
      assert.deepEqual(issues(base({ commit: false, export_path: dir })).errors, [ERR_EXPORT_NOT_FILE]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('checks the image reference, login_server and the communicator type', () => {
    assert.deepEqual(issues(base({ image: 'Debian:12' })).errors, ['image "Debian:12" is not a valid image reference: repository name "Debian" must be lower case']);
    assert.deepEqual(issues(base({ login: true, login_server: 'bad host:5000' })).errors, ['login_server is not a registry address: "bad host:5000" contains white space']);
    assert.deepEqual(issues(base({ communicator: 'pigeon' })).errors, ['Communicator type pigeon is invalid']);
    assert.deepEqual(issues(base({ login_username: 'u' })).warnings, ['login_username and login_password are ignored unless login = true']);
    assert.equal(issues(base({ run_command: ['-d', 'debian'] })).warnings.length, 1);
  });
});

describe('changesWithDefaults', () => {
  it("keeps the base image's CMD and ENTRYPOINT unless the changes set them", () => {
    const source = { id: 'sha256:x', repoDigests: [], user: '', cmd: ['nginx', '-g', 'daemon off;'], entrypoint: undefined };
    assert.deepEqual(changesWithDefaults(['ENV A=b'], source), ['ENV A=b', 'CMD ["nginx","-g","daemon off;"]', 'ENTRYPOINT [""]']);
    assert.deepEqual(changesWithDefaults(['cmd ["/app"]', 'ENTRYPOINT ["/init"]'], source), ['cmd ["/app"]', 'ENTRYPOINT ["/init"]']);
  });
});
