// `kiln build` end to end with the docker builder and post-processors: bin/kiln (the
// compiled dist/) against a real Docker engine (test/support/docker.ts), the local
// busybox image and real Distribution registries (test/support/registry.ts).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interruptOnceStarted } from '../support/interrupt.js';
import { assertContainerGone, containerIdIn, ensureBusyboxImage, startDockerEngine, type DockerEngine } from '../support/docker.js';
import { debugBuild, pausedAfter } from '../support/debug-build.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';
import { finishedSteps, validEventFile } from '../support/events-schema.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-e2e-docker-'));
let engine: DockerEngine;
let image: string;
let registry: Registry;
let authRegistry: Registry;
const CREDS = { username: 'kiln', password: 'e2e-s3cret' };

before(async () => {
  engine = await startDockerEngine();
  image = await ensureBusyboxImage(engine);
  registry = await startRegistry();
  authRegistry = await startRegistry({ auth: CREDS });
});

after(async () => {
  await registry?.stop();
  await authRegistry?.stop();
  await engine?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly status: number | null;
  readonly out: string;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...engine.env, PACKER_NO_COLOR: '1', ...extra };
}

/** `args` go before the template (`-json=events.jsonl`). */
function kiln(dir: string, extra: Record<string, string> = {}, args: readonly string[] = []): Run {
  const r = spawnSync(bin, ['build', ...args, '.'], { cwd: dir, encoding: 'utf8', env: env(extra), timeout: 180_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

function template(name: string, text: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), text);
  return dir;
}

function tryDocker(args: string[]): void {
  spawnSync('docker', args, { env: engine.env, stdio: 'ignore' });
}

describe('docker builder: commit, docker-tag, docker-push, docker-save', () => {
  it('builds from the local image with shell and file provisioners, pushes, and the pushed image runs with the files and environment', async () => {
    const repo = `${registry.address}/kiln-e2e/app`;
    const hostDir = path.join(work, 'vol');
    mkdirSync(hostDir);
    const savePath = path.join(work, 'saved', 'app.tar');
    const dir = template(
      'push',
      `source "docker" "app" {
  image    = "${image}"
  pull     = false
  commit   = true
  changes  = ["ENV GREETING=hello-from-kiln", "LABEL org.example.built-by=kiln", "WORKDIR /srv"]
  author   = "kiln e2e <e2e@example.test>"
  message  = "built by the kiln e2e test"
  platform = "linux/amd64"
  volumes  = { "${hostDir}" = "/mnt/host" }
  tmpfs    = ["/scratch:size=1m"]
  cap_drop = ["NET_RAW"]
  device   = ["/dev/null:/dev/kiln-null"]
  container_dir = "/kiln-shared"
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    environment_vars = ["FOO=bar from env"]
    inline = [
      "echo provisioned > /hello.txt",
      "echo \\"$FOO\\" > /etc/foo",
      "echo \${build.SourceImageSha256} > /mnt/host/source-sha",
      "grep -q ' /scratch tmpfs' /proc/mounts && echo tmpfs-ok > /mnt/host/checks",
      "test -c /dev/kiln-null && echo device-ok >> /mnt/host/checks",
      "test -d /kiln-shared && echo container-dir-ok >> /mnt/host/checks",
    ]
  }

  provisioner "file" {
    content     = "uploaded by the file provisioner\\n"
    destination = "/etc/motd"
  }

  post-processors {
    post-processor "docker-tag" {
      repository = "${repo}"
      tags       = ["1.0", "latest"]
    }
    post-processor "docker-push" {}
  }

  post-processor "docker-save" {
    path = "${savePath}"
  }
}
`,
    );
    const r = kiln(dir, {}, ['-json=events.jsonl']);
    assert.equal(r.status, 0, r.out);
    await assertContainerGone(engine, containerIdIn(r.out));
    assert.match(r.out, /==> docker\.app: Committing the container/);
    // The same run's JSON event stream: valid against the schema, every component's steps, the artifacts.
    const events = validEventFile(path.join(dir, 'events.jsonl'));
    const steps = finishedSteps(events);
    assert.ok(steps.every((s) => s.endsWith(':ok')), steps.join(' '));
    assert.deepEqual(
      steps.filter((s) => !s.startsWith('builder:')),
      ['provisioner:shell:ok', 'provisioner:file:ok', 'post-processor:docker-tag:ok', 'post-processor:docker-push:ok', 'post-processor:docker-save:ok'],
    );
    assert.ok(steps.includes('builder:StepProvision:ok') && steps.includes('builder:StepCommit:ok'), steps.join(' '));
    const artifacts = events.filter((e) => e['type'] === 'artifact').map((e) => e['artifact'] as { builderId: string; id: string });
    assert.ok(artifacts.some((a) => a.builderId === 'packer.post-processor.docker-import' || /^sha256:[0-9a-f]{64}$/.test(a.id)), JSON.stringify(artifacts));
    assert.deepEqual(events.filter((e) => e['type'] === 'build-finished').map((e) => e['status']), ['succeeded']);
    assert.match(r.out, /Pushing: .*kiln-e2e\/app:latest/);
    assert.match(r.out, /Pushing: .*kiln-e2e\/app:1\.0/);
    assert.match(r.out, /--> docker\.app: Imported Docker image: sha256:[0-9a-f]{64}/);
    assert.equal(readFileSync(path.join(hostDir, 'checks'), 'utf8'), 'tmpfs-ok\ndevice-ok\ncontainer-dir-ok\n');
    assert.match(readFileSync(path.join(hostDir, 'source-sha'), 'utf8'), /^sha256:[0-9a-f]{64}\n$/);

    // The registry has both tags; drop the local copies and run what comes back from it.
    const tags = (await (await fetch(`http://${registry.address}/v2/kiln-e2e/app/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags.sort(), ['1.0', 'latest']);
    tryDocker(['rmi', `${repo}:1.0`, `${repo}:latest`]);
    engine.docker(['pull', `${repo}:1.0`]);
    const out = engine.docker(['run', '--rm', `${repo}:1.0`, '/bin/sh', '-c', 'cat /hello.txt /etc/foo /etc/motd; echo "$GREETING"; pwd']);
    assert.equal(out, 'provisioned\nbar from env\nuploaded by the file provisioner\nhello-from-kiln\n/srv\n');
    const meta = engine.docker(['inspect', '--format', '{{.Author}}|{{.Comment}}|{{index .Config.Labels "org.example.built-by"}}|{{json .Config.Entrypoint}}', `${repo}:1.0`]).trim();
    assert.equal(meta, 'kiln e2e <e2e@example.test>|built by the kiln e2e test|kiln|[""]');

    const listing = spawnSync('tar', ['-tf', savePath], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(listing.includes('manifest.json'), listing.join(' '));
    tryDocker(['rmi', `${repo}:1.0`]);
  });

  it('docker-push logs in to a registry that requires it, with a private client configuration', async () => {
    const repo = `${authRegistry.address}/kiln-e2e/private`;
    const home = mkdtempSync(path.join(work, 'home-'));
    const dir = template(
      'push-auth',
      `variable "password" {
  type      = string
  sensitive = true
}
source "docker" "p" {
  image  = "${image}"
  pull   = false
  commit = true
}
build {
  sources = ["source.docker.p"]
  provisioner "shell" { inline = ["echo private > /private.txt"] }
  post-processors {
    post-processor "docker-tag" {
      repository = "${repo}"
      tags       = ["7"]
    }
    post-processor "docker-push" {
      login          = true
      login_server   = "${authRegistry.address}"
      login_username = "${CREDS.username}"
      login_password = var.password
    }
  }
}
`,
    );
    const r = kiln(dir, { PKR_VAR_password: CREDS.password, HOME: home }, ['-json=events.jsonl']);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /Logging in\.\.\.[\s\S]*Pushing: [\s\S]*Logging out\.\.\./);
    assert.ok(!r.out.includes(CREDS.password), 'the password was printed');
    validEventFile(path.join(dir, 'events.jsonl'));
    assert.ok(!readFileSync(path.join(dir, 'events.jsonl'), 'utf8').includes(CREDS.password), 'the password is in the JSON events');
    const auth = Buffer.from(`${CREDS.username}:${CREDS.password}`).toString('base64');
    const res = await fetch(`http://${authRegistry.address}/v2/kiln-e2e/private/tags/list`, { headers: { Authorization: `Basic ${auth}` } });
    assert.deepEqual(((await res.json()) as { tags: string[] }).tags, ['7']);
    assert.equal(existsSync(path.join(home, '.docker', 'config.json')), false, 'credentials reached the user configuration');
    tryDocker(['rmi', `${repo}:7`]);
  });
});

describe('docker builder: export_path and discard', () => {
  it('exports a tar that docker import accepts (by hand and through docker-import)', async () => {
    const tarPath = path.join(work, 'export', 'rootfs.tar');
    const dir = template(
      'export',
      `source "docker" "e" {
  image       = "${image}"
  pull        = false
  export_path = "${tarPath}"
}
build {
  sources = ["source.docker.e"]
  provisioner "shell" { inline = ["echo exported > /exported.txt"] }
  post-processor "docker-import" {
    repository          = "kiln-e2e/imported"
    tag                 = "3"
    changes             = ["ENV IMPORTED=yes"]
    keep_input_artifact = true
  }
}
`,
    );
    const r = kiln(dir);
    assert.equal(r.status, 0, r.out);
    await assertContainerGone(engine, containerIdIn(r.out));
    assert.match(r.out, /--> docker\.e: Exported Docker file: .*rootfs\.tar/);
    assert.ok(statSync(tarPath).size > 100_000);
    assert.equal(engine.docker(['run', '--rm', 'kiln-e2e/imported:3', '/bin/sh', '-c', 'cat /exported.txt; echo $IMPORTED']), 'exported\nyes\n');
    engine.docker(['import', tarPath, 'kiln-e2e/by-hand:1']);
    assert.equal(engine.docker(['run', '--rm', 'kiln-e2e/by-hand:1', '/bin/cat', '/exported.txt']), 'exported\n');
    tryDocker(['rmi', 'kiln-e2e/imported:3', 'kiln-e2e/by-hand:1']);
  });

  it('discard leaves neither a container nor an image', async () => {
    const imagesBefore = engine.docker(['images', '-a', '-q', '--no-trunc']).split('\n').sort();
    const dir = template(
      'discard',
      `source "docker" "d" {
  image   = "${image}"
  pull    = false
  discard = true
}
build {
  sources = ["source.docker.d"]
  provisioner "shell" { inline = ["echo discarded > /gone.txt"] }
}
`,
    );
    const r = kiln(dir);
    assert.equal(r.status, 0, r.out);
    await assertContainerGone(engine, containerIdIn(r.out));
    assert.doesNotMatch(r.out, /Committing/);
    const imagesAfter = engine.docker(['images', '-a', '-q', '--no-trunc']).split('\n').sort();
    assert.deepEqual(imagesAfter.filter((i) => !imagesBefore.includes(i)), []);
  });
});

describe('docker builder: failures and interrupts', () => {
  it('a failing provisioner: the container is removed, exit 1, the output names the provisioner and its exit code', async () => {
    const dir = template(
      'failing',
      `source "docker" "f" {
  image  = "${image}"
  pull   = false
  commit = true
}
build {
  sources = ["source.docker.f"]
  provisioner "shell" { inline = ["echo before", "exit 7"] }
  provisioner "shell" { inline = ["echo never-runs"] }
}
`,
    );
    const r = kiln(dir, {}, ['-json=events.jsonl']);
    assert.equal(r.status, 1, r.out);
    await assertContainerGone(engine, containerIdIn(r.out));
    assert.match(r.out, /==> docker\.f: Provisioning with shell script: /);
    assert.match(r.out, /Build 'docker\.f' errored after .*: Script exited with non-zero exit status: 7\./);
    assert.doesNotMatch(r.out, /never-runs|Committing/);
    const events = validEventFile(path.join(dir, 'events.jsonl'));
    assert.deepEqual(
      finishedSteps(events).filter((s) => !s.startsWith('builder:') || s.endsWith(':failed')),
      ['provisioner:shell:failed', 'builder:StepProvision:failed'],
    );
    const finished = events.find((e) => e['type'] === 'build-finished') as { status: string; error: { code: string } };
    assert.equal(finished.status, 'failed');
    assert.equal(finished.error.code, 'BUILD_SCRIPT_EXIT_STATUS');
  });

  it('on SIGINT during provisioning: the container is removed, temp files too, exit 1', async () => {
    const hostDir = mkdtempSync(path.join(work, 'sigint-vol-'));
    const tmp = mkdtempSync(path.join(work, 'sigint-tmp-'));
    const dir = template(
      'sigint',
      `source "docker" "s" {
  image   = "${image}"
  pull    = false
  commit  = true
  volumes = { "${hostDir}" = "/mnt/host" }
}
build {
  sources = ["source.docker.s"]
  provisioner "shell" { inline = ["touch /mnt/host/started", "sleep 60"] }
}
`,
    );
    const child = spawn(bin, ['build', '.'], { cwd: dir, env: env({ TMPDIR: tmp }) });
    const { code, out } = await interruptOnceStarted(child, path.join(hostDir, 'started'), { timeoutMs: 60_000, stderr: true });
    assert.equal(code, 1, out);
    assert.match(out, /Killing the container/);
    await assertContainerGone(engine, containerIdIn(out));
    assert.doesNotMatch(out, /Committing/);
    assert.deepEqual(readdirSync(tmp), [], 'temporary files left behind');
  });

  it('an invalid image reference fails before any container starts', () => {
    const dir = template(
      'bad-image',
      `source "docker" "b" {
  image  = "Kiln-Test/BusyBox:1"
  commit = true
}
build { sources = ["source.docker.b"] }
`,
    );
    const r = kiln(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /image "Kiln-Test\/BusyBox:1" is not a valid image reference: repository name "BusyBox" must be lower case/);
    assert.doesNotMatch(r.out, /Starting docker container|Container ID/);
  });

  it('an invalid registry address in docker-tag or docker-push fails before any container starts', () => {
    const dir = template(
      'bad-registry',
      `source "docker" "b" {
  image  = "${image}"
  pull   = false
  commit = true
}
build {
  sources = ["source.docker.b"]
  post-processors {
    post-processor "docker-tag" {
      repository = "127.0.0.1:99999/kiln-e2e/app"
      tags       = ["1"]
    }
    post-processor "docker-push" {
      login        = true
      login_server = "https://registry example.test"
    }
  }
}
`,
    );
    const r = kiln(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /"127\.0\.0\.1:99999\/kiln-e2e\/app:1" is not a valid image reference: port 99999 of "127\.0\.0\.1:99999" is out of range/);
    assert.match(r.out, /login_server is not a registry address: "https:\/\/registry example\.test" contains white space/);
    assert.doesNotMatch(r.out, /Starting docker container|Container ID/);
  });
});

describe('docker builder: -debug', () => {
  it('pauses after each step, answered through a pipe, and commits once every pause was answered', async () => {
    const dir = template(
      'debug',
      `source "docker" "dbg" {
  image  = "${image}"
  pull   = false
  commit = true
}
build {
  sources = ["source.docker.dbg"]
  provisioner "shell" {
    inline = ["echo provisioned-in-debug"]
  }
}
`,
    );
    const run = await debugBuild(['.'], { cwd: dir, env: env(), timeoutMs: 180_000 });
    assert.equal(run.code, 0, run.out);
    assert.deepEqual(pausedAfter(run), ['StepTempDir', 'StepPull', 'StepRun', 'StepConnect', 'StepProvision', 'StepCommit']);
    for (const p of run.pauses) assert.equal(p.printedWhilePaused, '', `the build went on past the ${p.location} ${p.step} pause:\n${run.out}`);
    const at = (text: string): number => run.out.indexOf(text);
    assert.ok(at("step 'StepConnect'") < at('provisioned-in-debug') && at('provisioned-in-debug') < at("after run of step 'StepProvision'"), run.out);
    assert.ok(at("after run of step 'StepProvision'") < at('Committing the container'), run.out);
    await assertContainerGone(engine, containerIdIn(run.out));
    const id = /Image ID: (sha256:[0-9a-f]{64})/.exec(run.out)?.[1];
    assert.ok(id, run.out);
    tryDocker(['rmi', '-f', id]);
  });
});
