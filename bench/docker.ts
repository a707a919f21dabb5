/**
 * The docker builder against Debian's packer 1.6.6 (its docker builder is built in):
 * the same template — docker builder from the local busybox image, a shell and a file
 * provisioner, commit, docker-tag and docker-push to a local registry — built by
 * `kiln build` and `packer build` in turn against the same engine. Medians of ≥5
 * interleaved rounds (BENCH_RUNS) and the kiln/packer ratio with its min–max.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBusyboxImage, startDockerEngine } from '../test/support/docker.js';
import { startRegistry } from '../test/support/registry.js';
import { describeTimes, interleave, median, ratio } from './timing.js';

const runs = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
/** KILN_BIN runs another kiln (a stable copy while the checkout's dist/ is being rebuilt). */
const KILN = process.env['KILN_BIN'] ?? path.join(import.meta.dirname, '..', 'bin', 'kiln');

/** Written in the HCL2 both understand (packer 1.6.6's file provisioner has no `content`). */
export function dockerBenchTemplate(image: string, repo: string): string {
  return `source "docker" "bench" {
  image   = "${image}"
  pull    = false
  commit  = true
  changes = ["ENV GREETING=hello", "LABEL bench=docker"]
}

build {
  sources = ["source.docker.bench"]

  provisioner "shell" {
    environment_vars = ["FOO=bar"]
    inline = ["echo provisioned > /hello.txt", "echo \\"$FOO\\" > /etc/foo", "mkdir -p /opt/app"]
  }

  provisioner "file" {
    source      = "payload.txt"
    destination = "/opt/app/payload.txt"
  }

  post-processors {
    post-processor "docker-tag" {
      repository = "${repo}"
      tags       = ["1"]
    }
    post-processor "docker-push" {}
  }
}
`;
}

export async function benchDocker(): Promise<void> {
  const packer = spawnSync('packer', ['version'], { encoding: 'utf8' });
  if (packer.status !== 0) throw new Error('bench docker: packer is not installed (apt-get install -y packer)');
  const engine = await startDockerEngine();
  const registry = await startRegistry();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-docker-'));
  try {
    const image = await ensureBusyboxImage(engine);
    // Both tools and their docker clients reach this engine; neither phones home.
    process.env['DOCKER_HOST'] = engine.host;
    process.env['PACKER_NO_COLOR'] = '1';
    process.env['CHECKPOINT_DISABLE'] = '1';
    const kilnDir = path.join(dir, 'kiln');
    const packerDir = path.join(dir, 'packer');
    for (const [d, repo] of [[kilnDir, 'kiln'], [packerDir, 'packer']] as const) {
      mkdirSync(d, { recursive: true });
      writeFileSync(path.join(d, 'build.pkr.hcl'), dockerBenchTemplate(image, `${registry.address}/bench/${repo}`));
      writeFileSync(path.join(d, 'payload.txt'), 'x'.repeat(64 * 1024));
    }
    console.log(`${packer.stdout.trim()} vs kiln; engine ${engine.docker(['version', '--format', '{{.Server.Version}}']).trim()}; ${runs} rounds`);
    const times = interleave(
      [
        { label: 'kiln build', argv: [KILN, 'build', '.'], cwd: kilnDir },
        { label: 'packer build', argv: ['packer', 'build', '.'], cwd: packerDir },
      ],
      runs,
    );
    const k = times.get('kiln build') ?? [];
    const p = times.get('packer build') ?? [];
    console.log(describeTimes('kiln build  ', k));
    console.log(describeTimes('packer build', p));
    const r = ratio(k, p);
    console.log(`kiln/packer: median ${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)}); medians ${median(k).toFixed(0)} / ${median(p).toFixed(0)} ms; target ≤ 0.8`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await registry.stop();
    await engine.stop();
  }
}
